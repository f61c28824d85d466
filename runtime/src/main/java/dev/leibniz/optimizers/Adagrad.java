package dev.leibniz.optimizers;

import dev.leibniz.tf.Tf;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.types.TFloat32;

/**
 * Adagrad with TensorFlow's fused ResourceApplyAdagradV2:
 * {@code acc += g^2; w -= lr g / (sqrt(acc) + eps)} (epsilon after the root, as tf.keras 2;
 * Keras 3 adds it inside, a difference of order 1e-7). Keras defaults: learning rate 0.001,
 * initial accumulator 0.1, epsilon 1e-7.
 */
public final class Adagrad extends Optimizer {
  private final float initialAccumulator;
  private final float epsilon;

  public Adagrad(float learningRate, float initialAccumulator, float epsilon) {
    super(learningRate);
    this.initialAccumulator = initialAccumulator;
    this.epsilon = epsilon;
  }

  public Adagrad(float learningRate) {
    this(learningRate, 0.1f, 1e-7f);
  }

  @Override
  public String name() {
    return "adagrad";
  }

  @Override
  protected Op update(Tf tf, Step step, Tf.Weight w, Operand<TFloat32> g, Operand<TFloat32> lr) {
    Tf.State accumulator = slot(tf, w, "accumulator", initialAccumulator);
    return tf.resourceApplyAdagradV2(w.handle(), accumulator.handle(), lr, tf.scalar(epsilon), g);
  }
}
