package dev.leibniz.metrics;

import dev.leibniz.tf.TfGraph;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Keras's {@code AUC} (ROC curve, trapezoidal "interpolation" summation): confusion counts at
 * {@code numThresholds} evenly spaced thresholds (default 200, the ends just outside [0, 1]),
 * then the area under (false positive rate, true positive rate).
 */
public final class AUC implements Metric {
  private final float[] thresholds;

  public AUC(int numThresholds) {
    if (numThresholds < 2) {
      throw new IllegalArgumentException("AUC needs at least 2 thresholds, got " + numThresholds);
    }
    thresholds = new float[numThresholds];
    thresholds[0] = -1e-7f;
    for (int i = 1; i < numThresholds - 1; i++) {
      thresholds[i] = (float) i / (numThresholds - 1);
    }
    thresholds[numThresholds - 1] = 1 + 1e-7f;
  }

  public AUC() {
    this(200);
  }

  @Override
  public String name() {
    return "auc";
  }

  @Override
  public List<Operand<TFloat32>> statistics(TfGraph graph, Operand<TFloat32> targets, Operand<TFloat32> predictions) {
    return Confusion.counts(graph, targets, predictions, thresholds);
  }

  @Override
  public double result(List<float[]> totals) {
    float[] tp = totals.get(0);
    float[] fp = totals.get(1);
    float[] tn = totals.get(2);
    float[] fn = totals.get(3);
    double area = 0;
    for (int i = 0; i + 1 < thresholds.length; i++) {
      double tpr0 = Metric.ratio(tp[i], tp[i] + fn[i]);
      double tpr1 = Metric.ratio(tp[i + 1], tp[i + 1] + fn[i + 1]);
      double fpr0 = Metric.ratio(fp[i], fp[i] + tn[i]);
      double fpr1 = Metric.ratio(fp[i + 1], fp[i + 1] + tn[i + 1]);
      area += (fpr0 - fpr1) * (tpr0 + tpr1) / 2;
    }
    return area;
  }
}
