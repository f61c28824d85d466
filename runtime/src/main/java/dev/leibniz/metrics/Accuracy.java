package dev.leibniz.metrics;

import dev.leibniz.tf.TfGraph;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The accuracies of Keras: the fraction of predictions that match their targets.
 * <ul>
 * <li>binary: each value thresholded (default 0.5), equal to its target (0 or 1; Keras compares
 *     exactly, so a smoothed target never matches);
 * <li>categorical: argmax of prediction equals argmax of the one-hot target;
 * <li>sparse categorical: argmax of prediction equals the class index.
 * </ul>
 */
public final class Accuracy implements Metric {
  enum Kind { BINARY, CATEGORICAL, SPARSE_CATEGORICAL }

  private final String name;
  private final Kind kind;
  private final float threshold;

  Accuracy(String name, Kind kind, float threshold) {
    this.name = name;
    this.kind = kind;
    this.threshold = threshold;
  }

  public static Accuracy binary() {
    return binary(0.5f);
  }

  public static Accuracy binary(float threshold) {
    return new Accuracy("binary_accuracy", Kind.BINARY, threshold);
  }

  public static Accuracy categorical() {
    return new Accuracy("categorical_accuracy", Kind.CATEGORICAL, 0);
  }

  public static Accuracy sparseCategorical() {
    return new Accuracy("sparse_categorical_accuracy", Kind.SPARSE_CATEGORICAL, 0);
  }

  /** The same metric under another name ("accuracy" when given as that string). */
  public Accuracy named(String newName) {
    return new Accuracy(newName, kind, threshold);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<Operand<TFloat32>> statistics(TfGraph graph, Operand<TFloat32> targets, Operand<TFloat32> predictions) {
    Ops ops = graph.ops();
    var tf = graph.tf();
    Operand<TFloat32> correct = switch (kind) {
      // Exactly as Keras: the target must equal the thresholded prediction (a soft 0.9 never does).
      case BINARY -> ops.dtypes.cast(ops.math.equal(targets,
          ops.dtypes.cast(ops.math.greater(predictions, tf.scalar(threshold)), TFloat32.class)), TFloat32.class);
      case CATEGORICAL -> ops.dtypes.cast(ops.math.equal(
          ops.math.argMax(targets, ops.constant(-1), TInt64.class),
          ops.math.argMax(predictions, ops.constant(-1), TInt64.class)), TFloat32.class);
      case SPARSE_CATEGORICAL -> ops.dtypes.cast(ops.math.equal(
          ops.reshape(ops.dtypes.cast(targets, TInt64.class), ops.constant(new long[] {-1})),
          ops.reshape(ops.math.argMax(predictions, ops.constant(-1), TInt64.class), ops.constant(new long[] {-1}))),
          TFloat32.class);
    };
    return List.of(tf.sum(correct), ops.dtypes.cast(ops.size(correct), TFloat32.class));
  }

  @Override
  public double result(List<float[]> totals) {
    return Metric.ratio(totals.get(0)[0], totals.get(1)[0]);
  }
}
