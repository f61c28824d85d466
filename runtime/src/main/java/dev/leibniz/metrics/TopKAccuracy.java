package dev.leibniz.metrics;

import dev.leibniz.tf.TfGraph;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Keras's {@code top_k_categorical_accuracy} (one-hot targets) and
 * {@code sparse_top_k_categorical_accuracy} (class indices): the fraction of samples whose target
 * class is among the {@code k} highest predictions (TensorFlow's InTopK: classes tied at the
 * boundary all count as in). Keras's default k is 5.
 */
public final class TopKAccuracy implements Metric {
  private final String name;
  private final int k;
  private final boolean sparse;

  private TopKAccuracy(String name, int k, boolean sparse) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, got " + k);
    }
    this.name = name;
    this.k = k;
    this.sparse = sparse;
  }

  public static TopKAccuracy categorical(int k) {
    return new TopKAccuracy("top_k_categorical_accuracy", k, false);
  }

  public static TopKAccuracy sparseCategorical(int k) {
    return new TopKAccuracy("sparse_top_k_categorical_accuracy", k, true);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<Operand<TFloat32>> statistics(TfGraph graph, Operand<TFloat32> targets, Operand<TFloat32> predictions) {
    var ops = graph.ops();
    long classes = predictions.shape().get(-1);
    Operand<TFloat32> rows = ops.reshape(predictions, ops.constant(new long[] {-1, classes}));
    Operand<TInt32> labels = sparse ? ops.dtypes.cast(ops.reshape(targets, ops.constant(new long[] {-1})), TInt32.class)
        : ops.dtypes.cast(ops.math.argMax(ops.reshape(targets, ops.constant(new long[] {-1, classes})),
            ops.constant(-1), TInt64.class), TInt32.class);
    Operand<TFloat32> hit = ops.dtypes.cast(ops.nn.inTopK(rows, labels, ops.constant(k)), TFloat32.class);
    return List.of(graph.tf().sum(hit), ops.dtypes.cast(ops.size(hit), TFloat32.class));
  }

  @Override
  public double result(List<float[]> totals) {
    return Metric.ratio(totals.get(0)[0], totals.get(1)[0]);
  }
}
