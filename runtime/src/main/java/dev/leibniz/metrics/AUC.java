package dev.leibniz.metrics;

import dev.leibniz.tf.TfGraph;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Keras's {@code AUC} (ROC curve, trapezoidal "interpolation" summation): confusion counts at
 * {@code numThresholds} evenly spaced thresholds (default 200, the ends just outside [0, 1]),
 * then the area under (false positive rate, true positive rate). Predictions are clipped to
 * [0, 1]; with {@code fromLogits} they are raw scores, passed through a sigmoid first. Targets
 * are positive when not 0.
 */
public final class AUC implements Metric {
  private final int numThresholds;
  private final boolean fromLogits;

  public AUC(int numThresholds, boolean fromLogits) {
    if (numThresholds < 2) {
      throw new IllegalArgumentException("AUC needs at least 2 thresholds, got " + numThresholds);
    }
    this.numThresholds = numThresholds;
    this.fromLogits = fromLogits;
  }

  public AUC(int numThresholds) {
    this(numThresholds, false);
  }

  public AUC() {
    this(200);
  }

  /** Keras's {@code AUC(from_logits=True)}: for a model that outputs logits. */
  public static AUC fromLogits() {
    return new AUC(200, true);
  }

  @Override
  public String name() {
    return "auc";
  }

  @Override
  public List<Operand<TFloat32>> statistics(TfGraph graph, Operand<TFloat32> targets, Operand<TFloat32> predictions) {
    Operand<TFloat32> p = fromLogits ? graph.tf().sigmoid(predictions) : predictions;
    return Confusion.evenCounts(graph, targets, p, numThresholds);
  }

  @Override
  public double result(List<float[]> totals) {
    float[] tp = totals.get(0);
    float[] fp = totals.get(1);
    float[] tn = totals.get(2);
    float[] fn = totals.get(3);
    double area = 0;
    for (int i = 0; i + 1 < numThresholds; i++) {
      double tpr0 = Metric.ratio(tp[i], tp[i] + fn[i]);
      double tpr1 = Metric.ratio(tp[i + 1], tp[i + 1] + fn[i + 1]);
      double fpr0 = Metric.ratio(fp[i], fp[i] + tn[i]);
      double fpr1 = Metric.ratio(fp[i + 1], fp[i + 1] + tn[i + 1]);
      area += (fpr0 - fpr1) * (tpr0 + tpr1) / 2;
    }
    return area;
  }
}
