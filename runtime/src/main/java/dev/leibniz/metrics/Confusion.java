package dev.leibniz.metrics;

import dev.leibniz.tf.TfGraph;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Counts of true/false positives/negatives of binary predictions at several thresholds: the
 * statistics of precision, recall and AUC. As in Keras, a target is positive when it is not 0
 * (a smoothed label of 0.1 is positive), and a prediction when it is above the threshold.
 */
final class Confusion {
  private Confusion() {}

  /** [tp, fp, tn, fn], each of shape [thresholds.length]: a prediction is positive above a threshold. */
  static List<Operand<TFloat32>> counts(TfGraph graph, Operand<TFloat32> targets, Operand<TFloat32> predictions,
      float[] thresholds) {
    Ops ops = graph.ops();
    Operand<TFloat32> p = ops.reshape(predictions, ops.constant(new long[] {-1, 1}));
    Operand<TFloat32> positive = ops.dtypes.cast(ops.math.greater(p, ops.constant(new float[][] {thresholds})),
        TFloat32.class);
    return counts(graph, targets, positive);
  }

  /**
   * The same for thresholds i / (n - 1), i = 0..n-1, with the first just below 0 and the last
   * just above 1, the way Keras counts them (its "evenly distributed" path, which AUC takes):
   * predictions clipped to [0, 1] fall in bucket max(ceil(p (n - 1)) - 1, 0) and are positive at
   * the thresholds up to their bucket.
   */
  static List<Operand<TFloat32>> evenCounts(TfGraph graph, Operand<TFloat32> targets, Operand<TFloat32> predictions,
      int n) {
    Ops ops = graph.ops();
    var tf = graph.tf();
    Operand<TFloat32> p = tf.clip(ops.reshape(predictions, ops.constant(new long[] {-1, 1})), 0, 1);
    Operand<TFloat32> bucket = tf.relu(tf.sub(ops.math.ceil(tf.mul(p, tf.scalar(n - 1))), tf.scalar(1)));
    int[] index = new int[n];
    for (int i = 0; i < n; i++) {
      index[i] = i;
    }
    Operand<TFloat32> positive = ops.dtypes.cast(ops.math.greaterEqual(ops.dtypes.cast(bucket, TInt32.class),
        ops.constant(new int[][] {index})), TFloat32.class);
    return counts(graph, targets, positive);
  }

  /** Sums over the batch, given {@code positive} [batch, thresholds] (1 where the prediction is positive). */
  private static List<Operand<TFloat32>> counts(TfGraph graph, Operand<TFloat32> targets, Operand<TFloat32> positive) {
    Ops ops = graph.ops();
    var tf = graph.tf();
    Operand<TFloat32> t = ops.reshape(ops.dtypes.cast(ops.math.notEqual(targets, tf.scalar(0)), TFloat32.class),
        ops.constant(new long[] {-1, 1}));
    Operand<TFloat32> negative = tf.sub(tf.scalar(1), positive);
    Operand<TFloat32> notT = tf.sub(tf.scalar(1), t);
    int[] batch = {0};
    return List.of(tf.sum(tf.mul(t, positive), batch, false), tf.sum(tf.mul(notT, positive), batch, false),
        tf.sum(tf.mul(notT, negative), batch, false), tf.sum(tf.mul(t, negative), batch, false));
  }
}
