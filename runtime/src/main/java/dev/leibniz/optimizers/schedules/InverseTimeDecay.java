package dev.leibniz.optimizers.schedules;

import dev.leibniz.tf.TfGraph;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Keras's {@code InverseTimeDecay}: {@code initialLearningRate / (1 + decayRate * step / decaySteps)},
 * the quotient {@code step / decaySteps} floored with {@code staircase}.
 */
public record InverseTimeDecay(double initialLearningRate, long decaySteps, double decayRate, boolean staircase)
    implements LearningRateSchedule {
  public InverseTimeDecay {
    LearningRateSchedule.positive("initialLearningRate", initialLearningRate);
    LearningRateSchedule.positive("decaySteps", decaySteps);
    LearningRateSchedule.nonNegative("decayRate", decayRate);
  }

  public InverseTimeDecay(double initialLearningRate, long decaySteps, double decayRate) {
    this(initialLearningRate, decaySteps, decayRate, false);
  }

  @Override
  public Operand<TFloat32> rate(TfGraph graph, Operand<TFloat32> step) {
    var tf = graph.tf();
    Operand<TFloat32> p = progress(graph, step, decaySteps, staircase);
    return tf.div(tf.scalar((float) initialLearningRate), tf.add(tf.scalar(1), tf.mul(tf.scalar((float) decayRate), p)));
  }

  /** {@code step / decaySteps}, floored with {@code staircase}: both decays' exponent. */
  static Operand<TFloat32> progress(TfGraph graph, Operand<TFloat32> step, long decaySteps, boolean staircase) {
    Operand<TFloat32> p = graph.tf().div(step, graph.tf().scalar((float) decaySteps));
    return staircase ? graph.ops().math.floor(p) : p;
  }

  @Override
  public double initialRate() {
    return initialLearningRate;
  }
}
