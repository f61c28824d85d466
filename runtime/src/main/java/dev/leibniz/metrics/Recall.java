package dev.leibniz.metrics;

import java.util.List;

/** Keras's {@code Recall}: tp / (tp + fn), a prediction being positive above 0.5,
 * a target when not 0. */
public final class Recall extends ConfusionRatio {
  @Override
  public String name() {
    return "recall";
  }

  @Override
  public double result(List<float[]> totals) {
    return ratio(totals, TP, FN);
  }
}
