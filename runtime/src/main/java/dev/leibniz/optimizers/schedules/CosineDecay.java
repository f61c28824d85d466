package dev.leibniz.optimizers.schedules;

import dev.leibniz.tf.TfGraph;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Keras's {@code CosineDecay}, with its optional linear warm-up: without warm-up,
 * {@code initialLearningRate * ((1 - alpha) * 0.5 * (1 + cos(pi * min(step, decaySteps) / decaySteps)) + alpha)};
 * with {@code warmupSteps} and {@code warmupTarget}, the rate first rises linearly from
 * {@code initialLearningRate} to {@code warmupTarget} over {@code warmupSteps}, then decays from
 * {@code warmupTarget} over {@code decaySteps}.
 */
public record CosineDecay(double initialLearningRate, long decaySteps, double alpha, double warmupTarget,
    long warmupSteps) implements LearningRateSchedule {
  public CosineDecay {
    LearningRateSchedule.nonNegative("initialLearningRate", initialLearningRate);
    LearningRateSchedule.positive("decaySteps", decaySteps);
    if (!(alpha >= 0 && alpha <= 1)) {
      throw new IllegalArgumentException("alpha (the floor, a fraction of the rate) must be in [0, 1], got " + alpha);
    }
    if (warmupSteps < 0) {
      throw new IllegalArgumentException("warmupSteps must be 0 or more, got " + warmupSteps);
    }
    if (warmupSteps > 0) {
      LearningRateSchedule.positive("warmupTarget", warmupTarget);
    } else if (initialLearningRate == 0) {
      throw new IllegalArgumentException("initialLearningRate must be positive without warm-up, got 0");
    }
  }

  /** Cosine decay from {@code initialLearningRate} to {@code alpha * initialLearningRate} over {@code decaySteps}. */
  public CosineDecay(double initialLearningRate, long decaySteps, double alpha) {
    this(initialLearningRate, decaySteps, alpha, Double.NaN, 0);
  }

  public CosineDecay(double initialLearningRate, long decaySteps) {
    this(initialLearningRate, decaySteps, 0);
  }

  @Override
  public Operand<TFloat32> rate(TfGraph graph, Operand<TFloat32> step) {
    var tf = graph.tf();
    var math = graph.ops().math;
    Operand<TFloat32> s = math.minimum(step, tf.scalar((float) (decaySteps + warmupSteps)));
    if (warmupSteps == 0) {
      return decayed(graph, s, initialLearningRate);
    }
    Operand<TFloat32> warming = tf.add(tf.scalar((float) initialLearningRate),
        tf.mul(tf.div(s, tf.scalar((float) warmupSteps)), tf.scalar((float) (warmupTarget - initialLearningRate))));
    Operand<TFloat32> decaying = decayed(graph, tf.sub(s, tf.scalar((float) warmupSteps)), warmupTarget);
    return graph.ops().select(math.less(s, tf.scalar((float) warmupSteps)), warming, decaying);
  }

  private Operand<TFloat32> decayed(TfGraph graph, Operand<TFloat32> step, double from) {
    var tf = graph.tf();
    Operand<TFloat32> fraction = tf.div(step, tf.scalar((float) decaySteps));
    Operand<TFloat32> cosine = tf.mul(tf.scalar(0.5f),
        tf.add(tf.scalar(1), graph.ops().math.cos(tf.mul(tf.scalar((float) Math.PI), fraction))));
    Operand<TFloat32> scaled = tf.add(tf.mul(tf.scalar((float) (1 - alpha)), cosine), tf.scalar((float) alpha));
    return tf.mul(tf.scalar((float) from), scaled);
  }

  @Override
  public double initialRate() {
    return initialLearningRate;
  }
}
