package dev.leibniz.optimizers;

import dev.leibniz.optimizers.schedules.LearningRateSchedule;
import dev.leibniz.tf.TfGraph;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Adam with TensorFlow's fused ResourceApplyAdam, as Keras computes it: at step t (from 1),
 * {@code m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
 * w -= lr sqrt(1 - b2^t) / (1 - b1^t) m / (sqrt(v) + eps)}. Keras defaults: 0.001, 0.9, 0.999,
 * 1e-7. {@link AdamW} is this with decoupled weight decay.
 */
public class Adam extends Optimizer {
  private final float beta1;
  private final float beta2;
  private final float epsilon;

  public Adam(float learningRate, float beta1, float beta2, float epsilon) {
    this(Rate.of(learningRate), beta1, beta2, epsilon);
  }

  /** With a learning rate that follows {@code schedule}. */
  public Adam(LearningRateSchedule schedule, float beta1, float beta2, float epsilon) {
    this(Rate.of(schedule), beta1, beta2, epsilon);
  }

  public Adam(float learningRate) {
    this(learningRate, 0.9f, 0.999f, 1e-7f);
  }

  Adam(Rate rate, float beta1, float beta2, float epsilon) {
    super(rate);
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException("beta1 and beta2 must be in [0, 1), got " + beta1 + " and " + beta2);
    }
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
  }

  @Override
  public String name() {
    return "adam";
  }

  private record AdamStep(Operand<TFloat32> beta1Power, Operand<TFloat32> beta2Power) implements Step {}

  @Override
  protected Step begin(TfGraph graph, Operand<TFloat32> iterations) {
    var tf = graph.tf();
    Operand<TFloat32> t = tf.add(iterations, tf.scalar(1));
    return new AdamStep(graph.ops().math.pow(tf.scalar(beta1), t), graph.ops().math.pow(tf.scalar(beta2), t));
  }

  @Override
  protected Op update(TfGraph graph, Ops ops, Step step, TfGraph.Weight w, Operand<TFloat32> g, Operand<TFloat32> lr) {
    AdamStep s = (AdamStep) step;
    TfGraph.State m = slot(graph, w, "m", 0);
    TfGraph.State v = slot(graph, w, "v", 0);
    var tf = graph.tf();
    return ops.train.resourceApplyAdam(w.handle(), m.handle(), v.handle(), s.beta1Power(), s.beta2Power(), lr,
        tf.scalar(beta1), tf.scalar(beta2), tf.scalar(epsilon), g);
  }
}
