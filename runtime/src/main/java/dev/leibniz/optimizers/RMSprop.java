package dev.leibniz.optimizers;

import dev.leibniz.tf.TfGraph;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * RMSprop as Keras 3 computes it (TensorFlow's fused ResourceApplyRMSProp):
 * {@code ms = rho ms + (1 - rho) g^2; mom = momentum mom + lr g / sqrt(ms + eps); w -= mom}.
 * Keras defaults: learning rate 0.001, rho 0.9, momentum 0, epsilon 1e-7.
 */
public final class RMSprop extends Optimizer {
  private final float rho;
  private final float momentum;
  private final float epsilon;

  public RMSprop(float learningRate, float rho, float momentum, float epsilon) {
    this(Rate.of(learningRate), rho, momentum, epsilon);
  }

  /** With a learning rate that follows {@code schedule}. */
  public RMSprop(dev.leibniz.optimizers.schedules.LearningRateSchedule schedule, float rho, float momentum,
      float epsilon) {
    this(Rate.of(schedule), rho, momentum, epsilon);
  }

  private RMSprop(Rate rate, float rho, float momentum, float epsilon) {
    super(rate);
    this.rho = rho;
    this.momentum = momentum;
    this.epsilon = epsilon;
  }

  public RMSprop(float learningRate) {
    this(learningRate, 0.9f, 0f, 1e-7f);
  }

  @Override
  public String name() {
    return "rmsprop";
  }

  @Override
  protected Op update(TfGraph graph, Ops ops, Step step, TfGraph.Weight w, Operand<TFloat32> g, Operand<TFloat32> lr) {
    TfGraph.State ms = slot(graph, w, "rms", 0);
    TfGraph.State mom = slot(graph, w, "momentum", 0);
    var tf = graph.tf();
    return ops.train.resourceApplyRmsProp(w.handle(), ms.handle(), mom.handle(), lr, tf.scalar(rho),
        tf.scalar(momentum), tf.scalar(epsilon), g);
  }
}
