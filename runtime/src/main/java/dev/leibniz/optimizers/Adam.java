package dev.leibniz.optimizers;

import dev.leibniz.tf.TfGraph;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.types.TFloat32;

/**
 * Adam with TensorFlow's fused ResourceApplyAdam, as Keras computes it: at step t (from 1),
 * {@code m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
 * w -= lr sqrt(1 - b2^t) / (1 - b1^t) m / (sqrt(v) + eps)}. The step count is a variable of the
 * graph, incremented after the updates. Keras defaults: 0.001, 0.9, 0.999, 1e-7.
 */
public final class Adam extends Optimizer {
  private final float beta1;
  private final float beta2;
  private final float epsilon;

  public Adam(float learningRate, float beta1, float beta2, float epsilon) {
    super(learningRate);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
  }

  public Adam(float learningRate) {
    this(learningRate, 0.9f, 0.999f, 1e-7f);
  }

  @Override
  public String name() {
    return "adam";
  }

  private record AdamStep(TfGraph.State iterations, Operand<TFloat32> beta1Power, Operand<TFloat32> beta2Power)
      implements Step {
    @Override
    public Op finish(TfGraph graph, Op updates) {
      Op increment = graph.ops().withControlDependencies(List.of(updates))
          .assignAddVariableOp(iterations.handle(), graph.tf().scalar(1));
      return graph.group(List.of(updates, increment));
    }
  }

  @Override
  protected Step begin(TfGraph graph) {
    TfGraph.State iterations = graph.state("adam_iterations", new long[0], 0);
    var tf = graph.tf();
    Operand<TFloat32> t = tf.add(iterations.value(), tf.scalar(1));
    return new AdamStep(iterations, graph.ops().math.pow(tf.scalar(beta1), t), graph.ops().math.pow(tf.scalar(beta2), t));
  }

  @Override
  protected Op update(TfGraph graph, Step step, TfGraph.Weight w, Operand<TFloat32> g, Operand<TFloat32> lr) {
    AdamStep s = (AdamStep) step;
    TfGraph.State m = slot(graph, w, "m", 0);
    TfGraph.State v = slot(graph, w, "v", 0);
    var tf = graph.tf();
    return graph.ops().train.resourceApplyAdam(w.handle(), m.handle(), v.handle(), s.beta1Power(), s.beta2Power(), lr,
        tf.scalar(beta1), tf.scalar(beta2), tf.scalar(epsilon), g);
  }
}
