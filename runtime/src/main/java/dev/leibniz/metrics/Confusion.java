package dev.leibniz.metrics;

import dev.leibniz.tf.TfGraph;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Counts of true/false positives/negatives of binary predictions at several thresholds (a
 * prediction is positive when above the threshold): the statistics of precision, recall and AUC.
 */
final class Confusion {
  private Confusion() {}

  /** [tp, fp, tn, fn], each of shape [thresholds.length]. */
  static List<Operand<TFloat32>> counts(TfGraph graph, Operand<TFloat32> targets, Operand<TFloat32> predictions,
      float[] thresholds) {
    Ops ops = graph.ops();
    var tf = graph.tf();
    Operand<TFloat32> t = ops.reshape(ops.dtypes.cast(ops.math.greater(targets, tf.scalar(0.5f)), TFloat32.class),
        ops.constant(new long[] {-1, 1}));
    Operand<TFloat32> p = ops.reshape(predictions, ops.constant(new long[] {-1, 1}));
    Operand<TFloat32> positive = ops.dtypes.cast(
        ops.math.greater(p, ops.constant(new float[][] {thresholds})),
        TFloat32.class);
    Operand<TFloat32> negative = tf.sub(tf.scalar(1), positive);
    Operand<TFloat32> notT = tf.sub(tf.scalar(1), t);
    int[] batch = {0};
    return List.of(tf.sum(tf.mul(t, positive), batch, false), tf.sum(tf.mul(notT, positive), batch, false),
        tf.sum(tf.mul(notT, negative), batch, false), tf.sum(tf.mul(t, negative), batch, false));
  }
}
