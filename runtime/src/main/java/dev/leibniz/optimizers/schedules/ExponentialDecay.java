package dev.leibniz.optimizers.schedules;

import dev.leibniz.tf.TfGraph;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Keras's {@code ExponentialDecay}: {@code initialLearningRate * decayRate ^ (step / decaySteps)},
 * the exponent floored with {@code staircase}.
 */
public record ExponentialDecay(double initialLearningRate, long decaySteps, double decayRate, boolean staircase)
    implements LearningRateSchedule {
  public ExponentialDecay {
    LearningRateSchedule.positive("initialLearningRate", initialLearningRate);
    LearningRateSchedule.positive("decaySteps", decaySteps);
    LearningRateSchedule.positive("decayRate", decayRate);
  }

  public ExponentialDecay(double initialLearningRate, long decaySteps, double decayRate) {
    this(initialLearningRate, decaySteps, decayRate, false);
  }

  @Override
  public Operand<TFloat32> rate(TfGraph graph, Operand<TFloat32> step) {
    var tf = graph.tf();
    Operand<TFloat32> p = InverseTimeDecay.progress(graph, step, decaySteps, staircase);
    return tf.mul(tf.scalar((float) initialLearningRate), graph.ops().math.pow(tf.scalar((float) decayRate), p));
  }

  @Override
  public double initialRate() {
    return initialLearningRate;
  }
}
