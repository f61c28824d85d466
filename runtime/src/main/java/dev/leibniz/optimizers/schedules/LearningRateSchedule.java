package dev.leibniz.optimizers.schedules;

import dev.leibniz.tf.TfGraph;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A learning rate that follows the optimizer's step count, as Keras's
 * {@code keras.optimizers.schedules}: computed in the training graph from the optimizer's
 * {@code iterations} (the steps taken before this one), so changing it costs no rebuild and no
 * Java work per step. Give one to an optimizer in place of a constant rate:
 * {@code new Adam(new CosineDecay(1e-3, 10_000), 0.9f, 0.999f, 1e-7f)} or
 * {@code Optimizers.adam(new ExponentialDecay(0.01, 1000, 0.96))}.
 */
public interface LearningRateSchedule {
  /** The rate at {@code step}, as ops of {@code graph}. */
  Operand<TFloat32> rate(TfGraph graph, Operand<TFloat32> step);

  /** The rate at step 0. */
  double initialRate();

  /** A rate argument checked: positive and finite. */
  static double positive(String name, double value) {
    if (!(value > 0) || !Double.isFinite(value)) {
      throw new IllegalArgumentException(name + " must be a positive number, got " + value);
    }
    return value;
  }

  /** A rate argument checked: zero or more, finite. */
  static double nonNegative(String name, double value) {
    if (!(value >= 0) || !Double.isFinite(value)) {
      throw new IllegalArgumentException(name + " must be 0 or a positive number, got " + value);
    }
    return value;
  }
}
