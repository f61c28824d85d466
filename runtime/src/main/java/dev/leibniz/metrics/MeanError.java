package dev.leibniz.metrics;

import dev.leibniz.tf.TfGraph;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Keras's regression metrics, means over every value of every batch: {@code mean_absolute_error}
 * |p - t|, {@code mean_squared_error} (p - t)^2, {@code root_mean_squared_error} the root of that
 * mean, {@code mean_absolute_percentage_error} 100 |t - p| / max(|t|, 1e-7).
 */
public final class MeanError implements Metric {
  enum Kind { ABSOLUTE, SQUARED, ROOT_SQUARED, ABSOLUTE_PERCENTAGE }

  private final String name;
  private final Kind kind;

  private MeanError(String name, Kind kind) {
    this.name = name;
    this.kind = kind;
  }

  public static MeanError absolute() {
    return new MeanError("mean_absolute_error", Kind.ABSOLUTE);
  }

  public static MeanError squared() {
    return new MeanError("mean_squared_error", Kind.SQUARED);
  }

  public static MeanError rootSquared() {
    return new MeanError("root_mean_squared_error", Kind.ROOT_SQUARED);
  }

  public static MeanError absolutePercentage() {
    return new MeanError("mean_absolute_percentage_error", Kind.ABSOLUTE_PERCENTAGE);
  }

  /** The same metric under another name (the string it was asked for by, as Keras logs it). */
  public MeanError named(String newName) {
    return new MeanError(newName, kind);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<Operand<TFloat32>> statistics(TfGraph graph, Operand<TFloat32> targets, Operand<TFloat32> predictions) {
    var tf = graph.tf();
    var math = graph.ops().math;
    Operand<TFloat32> error = tf.sub(predictions, targets);
    Operand<TFloat32> values = switch (kind) {
      case ABSOLUTE -> math.abs(error);
      case SQUARED, ROOT_SQUARED -> tf.square(error);
      case ABSOLUTE_PERCENTAGE -> tf.mul(tf.scalar(100), math.abs(tf.div(error,
          math.maximum(math.abs(targets), tf.scalar(1e-7f)))));
    };
    return List.of(tf.sum(values), graph.ops().dtypes.cast(graph.ops().size(values), TFloat32.class));
  }

  @Override
  public double result(List<float[]> totals) {
    double mean = Metric.ratio(totals.get(0)[0], totals.get(1)[0]);
    return kind == Kind.ROOT_SQUARED ? Math.sqrt(mean) : mean;
  }
}
