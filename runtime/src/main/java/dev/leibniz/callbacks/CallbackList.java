package dev.leibniz.callbacks;

import dev.leibniz.Model;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The callbacks of one {@code fit}, called in order at each event, as Keras's
 * {@code CallbackList}: the progress output first, the user's callbacks, and the
 * {@code History} last.
 */
public final class CallbackList implements Callback {
  private final List<Callback> callbacks;

  public CallbackList(List<Callback> callbacks) {
    this.callbacks = List.copyOf(callbacks);
  }

  /** The user's callbacks with the ones every fit has: {@code progress} (null when quiet) before, {@code history} after. */
  public static CallbackList of(List<Callback> user, Callback progress, Callback history) {
    List<Callback> all = new ArrayList<>();
    if (progress != null) {
      all.add(progress);
    }
    all.addAll(user);
    all.add(history);
    return new CallbackList(all);
  }

  @Override
  public void onTrainBegin(Model model) {
    callbacks.forEach(c -> c.onTrainBegin(model));
  }

  @Override
  public void onEpochBegin(Model model, int epoch) {
    callbacks.forEach(c -> c.onEpochBegin(model, epoch));
  }

  @Override
  public void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {
    Map<String, Double> view = Collections.unmodifiableMap(logs);
    callbacks.forEach(c -> c.onEpochEnd(model, epoch, view));
  }

  @Override
  public void onTrainEnd(Model model) {
    callbacks.forEach(c -> c.onTrainEnd(model));
  }
}
