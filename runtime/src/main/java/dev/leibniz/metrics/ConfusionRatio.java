package dev.leibniz.metrics;

import dev.leibniz.tf.TfGraph;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A ratio of confusion counts at the threshold 0.5 (precision, recall): the statistics are the
 * counts {@code [tp, fp, tn, fn]} ({@link Confusion}), summed over batches.
 */
abstract class ConfusionRatio implements Metric {
  static final int TP = 0;
  static final int FP = 1;
  static final int FN = 3;

  @Override
  public List<Operand<TFloat32>> statistics(TfGraph graph, Operand<TFloat32> targets, Operand<TFloat32> predictions) {
    return Confusion.counts(graph, targets, predictions, new float[] {0.5f});
  }

  /** {@code count(part) / (count(part) + count(other))}. */
  static double ratio(List<float[]> totals, int part, int other) {
    return Metric.ratio(totals.get(part)[0], totals.get(part)[0] + totals.get(other)[0]);
  }
}
