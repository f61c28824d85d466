package dev.leibniz.optimizers.schedules;

import dev.leibniz.tf.TfGraph;
import java.util.Arrays;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Keras's {@code PiecewiseConstantDecay}: {@code values[0]} up to and with step
 * {@code boundaries[0]}, {@code values[1]} after it up to {@code boundaries[1]}, ...,
 * {@code values[n]} after the last boundary. One more value than boundaries, the boundaries
 * increasing.
 */
public final class PiecewiseConstantDecay implements LearningRateSchedule {
  private final long[] boundaries;
  private final double[] values;

  public PiecewiseConstantDecay(long[] boundaries, double[] values) {
    if (values.length != boundaries.length + 1) {
      throw new IllegalArgumentException("PiecewiseConstantDecay takes one more value than boundaries, got "
          + boundaries.length + " boundaries and " + values.length + " values");
    }
    for (int i = 1; i < boundaries.length; i++) {
      if (boundaries[i] <= boundaries[i - 1]) {
        throw new IllegalArgumentException("the boundaries must increase, got " + Arrays.toString(boundaries));
      }
    }
    for (double v : values) {
      LearningRateSchedule.positive("each value", v);
    }
    this.boundaries = boundaries.clone();
    this.values = values.clone();
  }

  @Override
  public Operand<TFloat32> rate(TfGraph graph, Operand<TFloat32> step) {
    var tf = graph.tf();
    var math = graph.ops().math;
    // values[0] + sum over boundaries passed of the step to the next value
    Operand<TFloat32> rate = tf.scalar((float) values[0]);
    for (int i = 0; i < boundaries.length; i++) {
      Operand<TFloat32> past = graph.ops().dtypes.cast(math.greater(step, tf.scalar((float) boundaries[i])),
          TFloat32.class);
      rate = tf.add(rate, tf.mul(past, tf.scalar((float) (values[i + 1] - values[i]))));
    }
    return rate;
  }

  @Override
  public double initialRate() {
    return values[0];
  }

  @Override
  public String toString() {
    return "PiecewiseConstantDecay(boundaries=" + Arrays.toString(boundaries) + ", values=" + Arrays.toString(values) + ")";
  }
}
