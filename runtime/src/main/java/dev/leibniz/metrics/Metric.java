package dev.leibniz.metrics;

import dev.leibniz.tf.TfGraph;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A streaming metric, computed as Keras does over all the batches of an epoch: the graph
 * computes per-batch statistics (counts of correct predictions, true positives per threshold...),
 * the training step adds them to running totals held in graph variables, and {@link #result}
 * turns the totals into the value. The totals are reset at the start of every epoch and every
 * evaluation.
 */
public interface Metric {
  /** The name in logs and {@code History}: "accuracy", "auc", ... */
  String name();

  /** Per-batch statistics of fully known static shape, each summed over batches. */
  List<Operand<TFloat32>> statistics(TfGraph graph, Operand<TFloat32> targets, Operand<TFloat32> predictions);

  /** The metric from the summed statistics, in the order {@link #statistics} gave them. */
  double result(List<float[]> totals);

  /** {@code a / b}, and 0 where {@code b} is 0 (Keras's divide_no_nan). */
  static double ratio(double a, double b) {
    return b == 0 ? 0 : a / b;
  }
}
