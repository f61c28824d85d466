package dev.leibniz.metrics;

import dev.leibniz.tf.TfGraph;
import java.util.List;
import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Keras's {@code F1Score} over one-hot (or multi-label 0/1) targets {@code [batch, classes]}:
 * predictions are taken as the row's maximum (ties all count) or, with a threshold, every value
 * above it; per class, precision and recall from the true and false positives and negatives
 * summed over the epoch; then {@code f1 = 2 p r / (p + r)} with Keras's epsilon of 1e-7, averaged
 * "micro" (over all classes' counts together), "macro" (mean of the classes' scores) or
 * "weighted" (by each class's count of true samples).
 *
 * <p>Keras's default average is None, one score per class; logs hold one number per name, so
 * here the default is "macro" and the average must be one of the three.
 */
public final class F1Score implements Metric {
  private static final double EPSILON = 1e-7;
  private final String average;
  private final float threshold;

  /** {@code threshold}: NaN for the row's maximum, else a value in (0, 1]. */
  public F1Score(String average, double threshold) {
    String a = average == null ? "" : average.toLowerCase(Locale.ROOT);
    if (!List.of("micro", "macro", "weighted").contains(a)) {
      throw new IllegalArgumentException("F1Score's average is \"micro\", \"macro\" or \"weighted\", got " + average);
    }
    if (!Double.isNaN(threshold) && !(threshold > 0 && threshold <= 1)) {
      throw new IllegalArgumentException("F1Score's threshold is in (0, 1] (or NaN for the row's maximum), got "
          + threshold);
    }
    this.average = a;
    this.threshold = (float) threshold;
  }

  /** Macro average of the classes' F1, predictions taken as each row's maximum. */
  public F1Score() {
    this("macro", Double.NaN);
  }

  @Override
  public String name() {
    return "f1_score";
  }

  @Override
  public List<Operand<TFloat32>> statistics(TfGraph graph, Operand<TFloat32> targets, Operand<TFloat32> predictions) {
    var tf = graph.tf();
    var ops = graph.ops();
    Operand<TFloat32> predicted = Float.isNaN(threshold)
        ? ops.dtypes.cast(ops.math.equal(predictions, ops.max(predictions, ops.constant(-1),
            org.tensorflow.op.core.Max.keepDims(true))), TFloat32.class)
        : ops.dtypes.cast(ops.math.greater(predictions, tf.scalar(threshold)), TFloat32.class);
    int[] batch = {0};
    Operand<TFloat32> notTarget = tf.sub(tf.scalar(1), targets);
    return List.of(
        tf.sum(tf.mul(predicted, targets), batch, false),
        tf.sum(tf.mul(predicted, notTarget), batch, false),
        tf.sum(tf.mul(tf.sub(tf.scalar(1), predicted), targets), batch, false),
        tf.sum(targets, batch, false));
  }

  @Override
  public double result(List<float[]> totals) {
    float[] tp = totals.get(0);
    float[] fp = totals.get(1);
    float[] fn = totals.get(2);
    float[] support = totals.get(3);
    if (average.equals("micro")) {
      return f1(sum(tp), sum(fp), sum(fn));
    }
    double total = 0;
    double supportSum = sum(support);
    for (int c = 0; c < tp.length; c++) {
      double f = f1(tp[c], fp[c], fn[c]);
      total += average.equals("weighted") ? f * support[c] / (supportSum + EPSILON) : f / tp.length;
    }
    return total;
  }

  private static double f1(double tp, double fp, double fn) {
    double precision = tp / (tp + fp + EPSILON);
    double recall = tp / (tp + fn + EPSILON);
    return 2 * precision * recall / (precision + recall + EPSILON);
  }

  private static double sum(float[] values) {
    double s = 0;
    for (float v : values) {
      s += v;
    }
    return s;
  }
}
