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
  /** Keras's {@code use_ema}/{@code ema_momentum}: a moving average of each weight it trains; negative: none. */
  private double emaMomentum = -1;

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
    List<TfGraph.Weight> trained = new ArrayList<>();
    for (TfGraph.Weight w : graph.weights()) {
      Operand<TFloat32> g = gradients.apply(w.variable());
      if (g != null && w.variable().trainable()) {
        updates.add(update(graph, step, w, g, lr));
        trained.add(w);
      }
    }
    Op applied = step.finish(graph, graph.group(updates));
    return emaMomentum < 0 || trained.isEmpty() ? applied : movingAverages(graph, trained, applied);
  }

  /**
   * Keras's {@code use_ema=True, ema_momentum=momentum}: after each step, a moving average of every
   * weight this optimizer trains ({@code average = momentum * average + (1 - momentum) * weight},
   * the weight itself after the first step), and at the end of {@code fit} the weights take their
   * averages (Keras's {@code finalize_variable_values}). GANs sample better from averaged weights.
   */
  public Optimizer withEma(double momentum) {
    if (!(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException("the EMA momentum is in [0, 1), got " + momentum);
    }
    this.emaMomentum = momentum;
    return this;
  }

  private Op movingAverages(TfGraph graph, List<TfGraph.Weight> trained, Op applied) {
    var tf = graph.tf();
    var after = graph.ops().withControlDependencies(List.of(applied));
    TfGraph.State steps = graph.state(name() + "_ema_steps", new long[0], 0);
    Operand<TFloat32> done = after.readVariableOp(steps.handle(), TFloat32.class);
    // 0 on the first step (the average starts at the weight), the momentum after
    Operand<TFloat32> momentum = tf.mul(after.dtypes.cast(after.math.greater(done, tf.scalar(0)), TFloat32.class),
        tf.scalar((float) emaMomentum));
    List<Op> averaged = new ArrayList<>();
    List<Op> finalize = new ArrayList<>();
    for (TfGraph.Weight w : trained) {
      TfGraph.State average = slot(graph, w, "ema", 0);
      Operand<TFloat32> now = after.readVariableOp(w.handle(), TFloat32.class);
      Operand<TFloat32> before = after.readVariableOp(average.handle(), TFloat32.class);
      Operand<TFloat32> next = tf.add(tf.mul(momentum, before), tf.mul(tf.sub(tf.scalar(1), momentum), now));
      averaged.add(after.assignVariableOp(average.handle(), next));
      finalize.add(graph.ops().assignVariableOp(w.handle(), graph.ops().readVariableOp(average.handle(),
          TFloat32.class)));
    }
    Op counted = graph.ops().withControlDependencies(averaged).assignAddVariableOp(steps.handle(), tf.scalar(1));
    graph.addTrainEnd(graph.group(finalize));
    return graph.group(List.of(applied, graph.group(averaged), counted));
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
    return name() + "(learningRate=" + learningRate + (emaMomentum < 0 ? "" : ", ema=" + emaMomentum) + ")";
  }
}
