package dev.leibniz.metrics;

import java.util.List;

/** Keras's {@code Precision}: tp / (tp + fp), a prediction being positive above 0.5,
 * a target when not 0. */
public final class Precision extends ConfusionRatio {
  @Override
  public String name() {
    return "precision";
  }

  @Override
  public double result(List<float[]> totals) {
    return ratio(totals, TP, FP);
  }
}
