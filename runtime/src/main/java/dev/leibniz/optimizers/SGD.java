package dev.leibniz.optimizers;

import dev.leibniz.tf.TfGraph;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.train.ResourceApplyKerasMomentum;
import org.tensorflow.types.TFloat32;

/**
 * Stochastic gradient descent, with Keras's momentum: {@code v = momentum v - lr g; w += v}
 * (Nesterov: {@code w += momentum v - lr g}). Without momentum: {@code w -= lr g}.
 * Keras defaults: learning rate 0.01, momentum 0.
 */
public final class SGD extends Optimizer {
  private final float momentum;
  private final boolean nesterov;

  public SGD(float learningRate, float momentum, boolean nesterov) {
    this(Rate.of(learningRate), momentum, nesterov);
  }

  /** With a learning rate that follows {@code schedule}. */
  public SGD(dev.leibniz.optimizers.schedules.LearningRateSchedule schedule, float momentum, boolean nesterov) {
    this(Rate.of(schedule), momentum, nesterov);
  }

  private SGD(Rate rate, float momentum, boolean nesterov) {
    super(rate);
    if (momentum < 0 || momentum >= 1) {
      throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
    }
    this.momentum = momentum;
    this.nesterov = nesterov;
  }

  public SGD(float learningRate) {
    this(learningRate, 0, false);
  }

  @Override
  public String name() {
    return "sgd";
  }

  @Override
  protected Op update(TfGraph graph, Ops ops, Step step, TfGraph.Weight w, Operand<TFloat32> g, Operand<TFloat32> lr) {
    if (momentum == 0 && !nesterov) {
      return ops.train.resourceApplyGradientDescent(w.handle(), lr, g);
    }
    TfGraph.State velocity = slot(graph, w, "momentum", 0);
    return ops.train.resourceApplyKerasMomentum(w.handle(), velocity.handle(), lr, g, graph.tf().scalar(momentum),
        ResourceApplyKerasMomentum.useNesterov(nesterov));
  }
}
