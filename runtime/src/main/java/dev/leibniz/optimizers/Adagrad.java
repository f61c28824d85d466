package dev.leibniz.optimizers;

import dev.leibniz.tf.TfGraph;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Adagrad as Keras 3 computes it: {@code acc += g^2; w -= lr g / sqrt(acc + eps)}, epsilon inside
 * the root (TensorFlow's fused ResourceApplyAdagradV2 puts it outside, which differs when the
 * accumulator starts at 0). Keras defaults: learning rate 0.001, initial accumulator value 0.1,
 * epsilon 1e-7.
 */
public final class Adagrad extends Optimizer {
  private final float initialAccumulatorValue;
  private final float epsilon;

  public Adagrad(float learningRate, float initialAccumulatorValue, float epsilon) {
    this(Rate.of(learningRate), initialAccumulatorValue, epsilon);
  }

  /** With a learning rate that follows {@code schedule}. */
  public Adagrad(dev.leibniz.optimizers.schedules.LearningRateSchedule schedule, float initialAccumulatorValue,
      float epsilon) {
    this(Rate.of(schedule), initialAccumulatorValue, epsilon);
  }

  private Adagrad(Rate rate, float initialAccumulatorValue, float epsilon) {
    super(rate);
    if (!(initialAccumulatorValue >= 0) || !Float.isFinite(initialAccumulatorValue)) {
      throw new IllegalArgumentException("the initial accumulator value must be 0 or more, got "
          + initialAccumulatorValue);
    }
    this.initialAccumulatorValue = initialAccumulatorValue;
    this.epsilon = epsilon;
  }

  public Adagrad(float learningRate) {
    this(learningRate, 0.1f, 1e-7f);
  }

  @Override
  public String name() {
    return "adagrad";
  }

  public float initialAccumulatorValue() {
    return initialAccumulatorValue;
  }

  @Override
  protected Op update(TfGraph graph, Ops ops, Step step, TfGraph.Weight w, Operand<TFloat32> g, Operand<TFloat32> lr) {
    TfGraph.State accumulator = slot(graph, w, "accumulator", initialAccumulatorValue);
    var tf = graph.tf();
    Op accumulate = ops.assignAddVariableOp(accumulator.handle(), tf.square(g));
    Operand<TFloat32> sum = ops.withControlDependencies(List.of(accumulate))
        .readVariableOp(accumulator.handle(), TFloat32.class);
    return ops.assignSubVariableOp(w.handle(), tf.div(tf.mul(lr, g), tf.sqrt(tf.add(sum, tf.scalar(epsilon)))));
  }
}
