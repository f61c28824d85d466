package dev.leibniz.e2e;

import dev.leibniz.tf.Tensors;
import dev.leibniz.tf.TfGraph;
import dev.leibniz.tf.TfSession;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Tensor;
import org.tensorflow.types.TFloat32;

/**
 * Central finite differences of a scalar of a graph run with feeds given as arrays (each fed with
 * its placeholder's shape): with respect to a fed value, or to a weight set in the session.
 */
public final class FeedDifferences {
  private FeedDifferences() {}

  /** Runs {@code fetches} with {@code feeds}. */
  public static List<float[]> run(TfSession session, Map<Operand<?>, float[]> feeds,
      List<? extends Operand<?>> fetches) {
    Map<Operand<?>, Tensor> tensors = new HashMap<>();
    try {
      feeds.forEach((x, v) -> tensors.put(x, Tensors.of(v, x.shape().asArray())));
      return session.run(tensors, fetches);
    } finally {
      tensors.values().forEach(Tensor::close);
    }
  }

  /** d scalar / d (each value fed to {@code x}), by steps of {@code h}. */
  public static float[] ofFeed(TfSession session, Map<Operand<?>, float[]> feeds, Operand<TFloat32> scalar,
      Operand<TFloat32> x, double h) {
    float[] v = feeds.get(x);
    return differences(v, h, () -> run(session, feeds, List.of(scalar)).get(0)[0], () -> {});
  }

  /** d scalar / d (each value of weight {@code w}), by steps of {@code h}. */
  public static float[] ofWeight(TfSession session, Map<Operand<?>, float[]> feeds, Operand<TFloat32> scalar,
      TfGraph.Weight w, double h) {
    float[] v = session.run(Map.of(), List.of(w.value())).get(0);
    return differences(v, h, () -> run(session, feeds, List.of(scalar)).get(0)[0],
        () -> session.assign(Map.of(w.state(), v)));
  }

  private static float[] differences(float[] v, double h, java.util.function.DoubleSupplier value, Runnable set) {
    float[] out = new float[v.length];
    for (int j = 0; j < v.length; j++) {
      float keep = v[j];
      v[j] = (float) (keep + h);
      set.run();
      double plus = value.getAsDouble();
      v[j] = (float) (keep - h);
      set.run();
      double minus = value.getAsDouble();
      v[j] = keep;
      set.run();
      out[j] = (float) ((plus - minus) / (2 * h));
    }
    return out;
  }
}
