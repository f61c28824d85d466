package dev.leibniz.metrics;

import dev.leibniz.tf.TfGraph;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** Keras's {@code Recall}: tp / (tp + fn), a prediction being positive above 0.5. */
public final class Recall implements Metric {
  @Override
  public String name() {
    return "recall";
  }

  @Override
  public List<Operand<TFloat32>> statistics(TfGraph graph, Operand<TFloat32> targets, Operand<TFloat32> predictions) {
    return Confusion.counts(graph, targets, predictions, new float[] {0.5f});
  }

  @Override
  public double result(List<float[]> totals) {
    return Metric.ratio(totals.get(0)[0], totals.get(0)[0] + totals.get(3)[0]);
  }
}
