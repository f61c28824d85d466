package dev.leibniz;

import dev.leibniz.callbacks.Callback;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code fit} returns, as Keras's {@code History.history}: for "loss", each metric and
 * their "val_" forms, the value at the end of every epoch. Recorded as Keras records it: as the
 * last callback of {@code fit}.
 */
public final class History implements Callback {
  private final Map<String, List<Double>> values = new LinkedHashMap<>();
  private int epochs;

  public History() {}

  /** A history with these values per epoch (what another process's {@link #history()} was: a launcher's result). */
  public static History of(Map<String, ? extends List<? extends Number>> values) {
    History h = new History();
    values.forEach((k, v) -> h.values.put(k, new ArrayList<>(v.stream().map(Number::doubleValue).toList())));
    h.epochs = values.values().stream().mapToInt(List::size).max().orElse(0);
    return h;
  }

  @Override
  public void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {
    logs.forEach((k, v) -> values.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
    epochs++;
  }

  /** Every key, with one value per epoch. */
  public Map<String, List<Double>> history() {
    Map<String, List<Double>> copy = new LinkedHashMap<>();
    values.forEach((k, v) -> copy.put(k, Collections.unmodifiableList(new ArrayList<>(v))));
    return Collections.unmodifiableMap(copy);
  }

  /** The values of {@code key} per epoch; a clear error naming the keys there are if absent. */
  public List<Double> get(String key) {
    List<Double> v = values.get(key);
    if (v == null) {
      throw new IllegalArgumentException("History has no \"" + key + "\"; it has " + values.keySet());
    }
    return List.copyOf(v);
  }

  /** The value of {@code key} after the last epoch. */
  public double last(String key) {
    List<Double> v = get(key);
    return v.get(v.size() - 1);
  }

  /** The number of epochs run (fewer than asked if a callback stopped training). */
  public int epochs() {
    return epochs;
  }

  /**
   * The curves of training, as Keras users draw them with matplotlib: one panel per value (loss,
   * each metric), training beside validation, to a {@code .png} or {@code .svg} file.
   */
  public void plot(java.nio.file.Path file) throws java.io.IOException {
    dev.leibniz.plot.HistoryPlot.save(this, file);
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
