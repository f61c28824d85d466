package dev.leibniz.metrics;

import dev.leibniz.losses.Loss;
import dev.leibniz.tf.TfGraph;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A loss as a metric, as Keras's {@code compile(metrics=["binary_crossentropy"])} wraps a loss
 * function: the mean of its value per sample (per row, for sequences) over every batch, from the
 * predictions as they are (the probabilities, where the loss itself is computed from the logits)
 * and with no sample weights, as Keras 3's compiled metrics. A loss that gives one number per batch
 * is averaged over the batches.
 */
public final class LossMean implements Metric {
  private final String name;
  private final Loss loss;

  /** {@code loss}'s mean, logged as {@code name}. */
  public LossMean(String name, Loss loss) {
    this.name = name;
    this.loss = loss;
  }

  @Override
  public String name() {
    return name;
  }

  /** The loss this metric averages. */
  public Loss loss() {
    return loss;
  }

  @Override
  public List<Operand<TFloat32>> statistics(TfGraph graph, Operand<TFloat32> targets, Operand<TFloat32> predictions) {
    Operand<TFloat32> rows = loss.rows(graph, targets, predictions);
    var ops = graph.ops();
    return List.of(graph.tf().sum(rows), ops.dtypes.cast(ops.size(rows), TFloat32.class));
  }

  @Override
  public double result(List<float[]> totals) {
    return Metric.ratio(totals.get(0)[0], totals.get(1)[0]);
  }
}
