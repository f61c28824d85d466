package dev.leibniz.optimizers;

import dev.leibniz.dsl.Variable;
import dev.leibniz.tf.TfGraph;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.types.TFloat32;

/**
 * An optimizer: builds, once per training graph, the update of every trainable weight from its
 * generated gradient, with TensorFlow's fused resource apply ops. Its slots (momentum,
 * accumulators, step count) are variables of that graph, set to their initial values when the
 * graph is initialized.
 */
public abstract class Optimizer {
  protected final float learningRate;

  protected Optimizer(float learningRate) {
    if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
      throw new IllegalArgumentException("the learning rate must be a positive number, got " + learningRate);
    }
    this.learningRate = learningRate;
  }

  /** The Keras name: "sgd", "rmsprop", "adam", "adagrad". */
  public abstract String name();

  public float learningRate() {
    return learningRate;
  }

  /** One op that updates every trainable weight that has a gradient in {@code graph}. */
  public Op apply(TfGraph graph) {
    return apply(graph, graph::gradient);
  }

  /** One op that updates every trainable weight of {@code graph} by its gradient in {@code gradients} (null: none). */
  public Op apply(TfGraph graph, java.util.function.Function<Variable, Operand<TFloat32>> gradients) {
    Operand<TFloat32> lr = graph.tf().scalar(learningRate);
    Step step = begin(graph);
    List<Op> updates = new ArrayList<>();
    for (TfGraph.Weight w : graph.weights()) {
      Operand<TFloat32> g = gradients.apply(w.variable());
      if (g != null && w.variable().trainable()) {
        updates.add(update(graph, step, w, g, lr));
      }
    }
    return step.finish(graph, graph.group(updates));
  }

  /** Per-step values shared by all weights (Adam's bias corrections), and what runs after the updates. */
  protected interface Step {
    default Op finish(TfGraph graph, Op updates) {
      return updates;
    }
  }

  protected Step begin(TfGraph graph) {
    return new Step() {};
  }

  /** The update of one weight. */
  protected abstract Op update(TfGraph graph, Step step, TfGraph.Weight weight, Operand<TFloat32> gradient,
      Operand<TFloat32> lr);

  /** A slot variable of {@code weight}, shaped like it. */
  protected static TfGraph.State slot(TfGraph graph, TfGraph.Weight weight, String slot, float initial) {
    return graph.state(weight.name() + "_" + slot, weight.variable().shape().dims(), initial);
  }

  @Override
  public String toString() {
    return name() + "(learningRate=" + learningRate + ")";
  }
}
