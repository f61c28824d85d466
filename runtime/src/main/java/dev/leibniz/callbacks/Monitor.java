package dev.leibniz.callbacks;

import java.util.Map;

/**
 * A logged value a callback watches, and which way is better: lower for losses, higher for
 * accuracies, AUC, precision and recall (Keras's "auto" mode).
 */
final class Monitor {
  final String name;
  final boolean higherIsBetter;
  private final double minDelta;

  Monitor(String name, double minDelta) {
    this.name = name;
    this.minDelta = Math.abs(minDelta);
    String m = name.replaceFirst("^val_", "");
    this.higherIsBetter = m.contains("acc") || m.equals("auc") || m.equals("precision") || m.equals("recall");
  }

  /**
   * Fails before training when {@code model}'s fit will not log the monitored value ("learning_rate",
   * which rate callbacks add, passes).
   */
  void check(dev.leibniz.Model model, String who) {
    java.util.List<String> logged = model.epochLogNames();
    if (!logged.contains(name) && !name.equals("learning_rate")) {
      throw new IllegalArgumentException(who + " monitors \"" + name + "\", which this fit does not log; it logs "
          + logged + (name.startsWith("val_") ? " (give validation data for val_ values)" : ""));
    }
  }

  /** The worst value, to start from. */
  double worst() {
    return higherIsBetter ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
  }

  /** The monitored value in this epoch's logs, or a message naming what is logged. */
  double value(Map<String, Double> logs, String who) {
    Double value = logs.get(name);
    if (value == null) {
      throw new IllegalArgumentException(who + " monitors \"" + name + "\", which this fit does not log;"
          + " it logs " + logs.keySet() + (name.startsWith("val_") ? " (give validation data for val_ values)" : ""));
    }
    return value;
  }

  /** Whether {@code value} beats {@code best} by more than minDelta. */
  boolean improves(double value, double best) {
    return higherIsBetter ? value - minDelta > best : value + minDelta < best;
  }
}
