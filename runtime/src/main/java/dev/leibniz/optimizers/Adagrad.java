package dev.leibniz.optimizers;

import dev.leibniz.tf.TfGraph;
import java.util.List;
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
  protected Op update(TfGraph graph, Step step, TfGraph.Weight w, Operand<TFloat32> g, Operand<TFloat32> lr) {
    TfGraph.State accumulator = slot(graph, w, "accumulator", initialAccumulator);
    return resourceApplyAdagradV2(graph, w.handle(), accumulator.handle(), lr, graph.tf().scalar(epsilon), g);
  }

  /**
   * TensorFlow's fused ResourceApplyAdagradV2 ({@code accum += g^2; var -= lr g / (sqrt(accum) + eps)}),
   * which TensorFlow Java has no wrapper for.
   */
  private static Op resourceApplyAdagradV2(TfGraph graph, Operand<?> var, Operand<?> accum, Operand<TFloat32> lr,
      Operand<TFloat32> epsilon, Operand<TFloat32> grad) {
    var scope = graph.ops().scope();
    var op = graph.graph().opBuilder("ResourceApplyAdagradV2", scope.makeOpName("ResourceApplyAdagradV2"), scope)
        .addInput(var.asOutput()).addInput(accum.asOutput()).addInput(lr.asOutput())
        .addInput(epsilon.asOutput()).addInput(grad.asOutput())
        .setAttr("T", org.tensorflow.proto.DataType.DT_FLOAT)
        .build();
    return graph.ops().withControlDependencyOps(List.of(op)).noOp();
  }
}
