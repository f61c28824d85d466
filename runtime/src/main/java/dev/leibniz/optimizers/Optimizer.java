package dev.leibniz.optimizers;

import dev.leibniz.dsl.Variable;
import dev.leibniz.optimizers.schedules.LearningRateSchedule;
import dev.leibniz.tf.TfGraph;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * An optimizer: builds, once per training graph, the update of every trainable weight from its
 * generated gradient, with TensorFlow's fused resource apply ops. Its state lives in that graph:
 * the step count ({@code iterations}, as Keras's), the learning rate (a variable that
 * {@link #setLearningRate} changes between steps without rebuilding anything, or a
 * {@link LearningRateSchedule} computed from the step count) and the slots (momentum,
 * accumulators), set to their initial values when the graph is initialized.
 *
 * <p>As Keras's base optimizer, every optimizer takes {@code clipnorm}, {@code clipvalue} or
 * {@code globalClipnorm} (one of them) and {@code weightDecay} ({@code w -= lr * wd * w} before
 * each update, as Keras 3 applies it).
 */
public abstract class Optimizer {
  /** A constant learning rate (that {@link #setLearningRate} may change) or a schedule. */
  protected record Rate(float constant, LearningRateSchedule schedule) {
    static Rate of(float learningRate) {
      if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
        throw new IllegalArgumentException("the learning rate must be a positive number, got " + learningRate);
      }
      return new Rate(learningRate, null);
    }

    static Rate of(LearningRateSchedule schedule) {
      if (schedule == null) {
        throw new IllegalArgumentException("the learning rate schedule is null");
      }
      return new Rate(Float.NaN, schedule);
    }
  }

  /**
   * What {@link #build} made in a graph: the update, the learning rate's variable (null under a
   * schedule), the rate of the next step, and the step count (Keras's {@code optimizer.iterations}).
   */
  public record Applied(Op update, TfGraph.State learningRate, Operand<TFloat32> currentRate,
      TfGraph.State iterations) {}

  private volatile float learningRate;
  private final LearningRateSchedule schedule;
  /** Counts {@link #setLearningRate} calls, so each graph sets its variable once per change. */
  private volatile int learningRateVersion;
  /** Keras's {@code use_ema}/{@code ema_momentum}: a moving average of each weight it trains; negative: none. */
  private double emaMomentum = -1;
  private float clipnorm = Float.NaN;
  private float clipvalue = Float.NaN;
  private float globalClipnorm = Float.NaN;
  private float weightDecay;

  protected Optimizer(float learningRate) {
    this(Rate.of(learningRate));
  }

  protected Optimizer(Rate rate) {
    this.learningRate = rate.constant();
    this.schedule = rate.schedule();
  }

  /** The Keras name: "sgd", "rmsprop", "adam", "adamw", "adagrad". */
  public abstract String name();

  /**
   * The learning rate: the constant given or last set; under a schedule, its rate at step 0 (the
   * model's {@code learningRate()} reads the rate the graph uses now).
   */
  public float learningRate() {
    return schedule == null ? learningRate : (float) schedule.initialRate();
  }

  /** The schedule the learning rate follows, or null for a constant rate. */
  public LearningRateSchedule schedule() {
    return schedule;
  }

  /**
   * Sets the learning rate of every model this optimizer trains, from their next step (Keras's
   * {@code optimizer.learning_rate = rate}): a variable of the graph, assigned, nothing rebuilt.
   */
  public void setLearningRate(double rate) {
    if (schedule != null) {
      throw new IllegalStateException("this optimizer's learning rate follows " + schedule + "; a scheduled rate"
          + " cannot be set (Keras refuses it too). Give the optimizer a constant rate to change it by hand");
    }
    if (!(rate > 0) || !Double.isFinite(rate)) {
      throw new IllegalArgumentException("the learning rate must be a positive number, got " + rate);
    }
    learningRate = (float) rate;
    learningRateVersion++;
  }

  /** Changes with every {@link #setLearningRate}. */
  public int learningRateVersion() {
    return learningRateVersion;
  }

  /** Keras's {@code clipnorm}: each weight's gradient scaled down to at most this L2 norm. */
  public Optimizer withClipnorm(double norm) {
    clipnorm = clip("clipnorm", norm);
    return this;
  }

  /** Keras's {@code clipvalue}: each gradient element clipped to [-value, value]. */
  public Optimizer withClipvalue(double value) {
    clipvalue = clip("clipvalue", value);
    return this;
  }

  /** Keras's {@code global_clipnorm}: all gradients scaled together so that their joint L2 norm is at most this. */
  public Optimizer withGlobalClipnorm(double norm) {
    globalClipnorm = clip("globalClipnorm", norm);
    return this;
  }

  private float clip(String name, double value) {
    if (!(value > 0) || !Double.isFinite(value)) {
      throw new IllegalArgumentException(name + " must be a positive number, got " + value);
    }
    int set = (Float.isNaN(clipnorm) ? 0 : 1) + (Float.isNaN(clipvalue) ? 0 : 1) + (Float.isNaN(globalClipnorm) ? 0 : 1);
    if (set > 0) {
      throw new IllegalArgumentException("only one of clipnorm, clipvalue and globalClipnorm can be set (as in Keras);"
          + " " + name + " came after " + clipping());
    }
    return (float) value;
  }

  private String clipping() {
    return !Float.isNaN(clipnorm) ? "clipnorm=" + clipnorm
        : !Float.isNaN(clipvalue) ? "clipvalue=" + clipvalue : !Float.isNaN(globalClipnorm) ? "globalClipnorm=" + globalClipnorm : "";
  }

  /** Keras's {@code weight_decay}: before each update, {@code w -= lr * weightDecay * w} for every weight trained. */
  public Optimizer withWeightDecay(double weightDecay) {
    if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
      throw new IllegalArgumentException("weightDecay must be 0 or a positive number, got " + weightDecay);
    }
    this.weightDecay = (float) weightDecay;
    return this;
  }

  public float weightDecay() {
    return weightDecay;
  }

  /**
   * The update of every trainable weight of {@code graph} by its gradient in {@code gradients}
   * (null: none), in this order, as Keras 3's {@code apply}: gradients clipped, weights decayed,
   * each weight's update at the learning rate of this step, then the step count incremented.
   */
  public Applied build(TfGraph graph, java.util.function.Function<Variable, Operand<TFloat32>> gradients) {
    var tf = graph.tf();
    TfGraph.State iterations = graph.state(name() + "_iterations", new long[0], 0);
    TfGraph.State rateVariable = schedule == null ? graph.state(name() + "_learning_rate", new long[0], learningRate)
        : null;
    Operand<TFloat32> lr = schedule == null ? rateVariable.value() : schedule.rate(graph, iterations.value());
    List<TfGraph.Weight> trained = new ArrayList<>();
    List<Operand<TFloat32>> grads = new ArrayList<>();
    for (TfGraph.Weight w : graph.weights()) {
      Operand<TFloat32> g = gradients.apply(w.variable());
      if (g != null && w.variable().trainable()) {
        trained.add(w);
        grads.add(g);
      }
    }
    grads = clipped(graph, grads);
    Step step = begin(graph, iterations.value());
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < trained.size(); i++) {
      TfGraph.Weight w = trained.get(i);
      Op decayed = decay(graph, w, lr);
      Ops ops = decayed == null ? graph.ops() : graph.ops().withControlDependencies(List.of(decayed));
      updates.add(constrained(graph, w, update(graph, ops, step, w, grads.get(i), lr)));
    }
    Op applied = graph.group(updates);
    Op counted = graph.ops().withControlDependencies(List.of(applied)).assignAddVariableOp(iterations.handle(),
        tf.scalar(1));
    Op done = graph.group(List.of(applied, counted));
    Op update = emaMomentum < 0 || trained.isEmpty() ? done : movingAverages(graph, trained, done);
    return new Applied(update, rateVariable, lr, iterations);
  }

  /** Keras 3's {@code _clip_gradients}: by each norm, by the global norm, or by value. */
  private List<Operand<TFloat32>> clipped(TfGraph graph, List<Operand<TFloat32>> grads) {
    var tf = graph.tf();
    var ops = graph.ops();
    if (!Float.isNaN(clipnorm)) {
      return grads.stream().map(g -> {
        Operand<TFloat32> norm = tf.sqrt(tf.sum(tf.square(g)));
        return tf.div(tf.mul(g, tf.scalar(clipnorm)), ops.math.maximum(norm, tf.scalar(clipnorm)));
      }).toList();
    }
    if (!Float.isNaN(globalClipnorm) && !grads.isEmpty()) {
      Operand<TFloat32> squares = null;
      for (Operand<TFloat32> g : grads) {
        squares = tf.accumulate(squares, tf.sum(tf.square(g)));
      }
      Operand<TFloat32> norm = tf.sqrt(squares);
      Operand<TFloat32> scale = tf.div(tf.scalar(globalClipnorm), ops.math.maximum(norm, tf.scalar(globalClipnorm)));
      return grads.stream().map(g -> tf.mul(g, scale)).toList();
    }
    if (!Float.isNaN(clipvalue)) {
      return grads.stream().map(g -> (Operand<TFloat32>) ops.clipByValue(g, tf.scalar(-clipvalue), tf.scalar(clipvalue)))
          .toList();
    }
    return grads;
  }

  /** After {@code updated}, the weight replaced by its constraint's projection (Keras's {@code variable.constraint}). */
  private static Op constrained(TfGraph graph, TfGraph.Weight w, Op updated) {
    dev.leibniz.dsl.Constraint c = w.variable().constraint();
    if (c == null) {
      return updated;
    }
    Ops after = graph.ops().withControlDependencies(List.of(updated));
    Operand<TFloat32> now = after.readVariableOp(w.handle(), TFloat32.class);
    return after.assignVariableOp(w.handle(), Constraints.project(graph, c, now));
  }

  /** Keras 3's {@code _apply_weight_decay}: {@code w -= w * wd * lr}, or null without decay. */
  private Op decay(TfGraph graph, TfGraph.Weight w, Operand<TFloat32> lr) {
    if (weightDecay == 0) {
      return null;
    }
    var tf = graph.tf();
    return graph.ops().assignSubVariableOp(w.handle(), tf.mul(tf.mul(w.value(), tf.scalar(weightDecay)), lr));
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

  /** Per-step values shared by all weights (Adam's bias corrections). */
  protected interface Step {}

  /** The values every weight's update of this step shares; {@code iterations} is the steps taken before this one. */
  protected Step begin(TfGraph graph, Operand<TFloat32> iterations) {
    return new Step() {};
  }

  /** The update of one weight, built with {@code ops} (which run it after the weight's decay). */
  protected abstract Op update(TfGraph graph, Ops ops, Step step, TfGraph.Weight weight, Operand<TFloat32> gradient,
      Operand<TFloat32> lr);

  /** A slot variable of {@code weight}, shaped like it. */
  protected static TfGraph.State slot(TfGraph graph, TfGraph.Weight weight, String slot, float initial) {
    return graph.state(weight.name() + "_" + slot, weight.variable().shape().dims(), initial);
  }

  @Override
  public String toString() {
    String rate = schedule == null ? "learningRate=" + learningRate : "learningRate=" + schedule;
    return name() + "(" + rate + (emaMomentum < 0 ? "" : ", ema=" + emaMomentum)
        + (clipping().isEmpty() ? "" : ", " + clipping()) + (weightDecay == 0 ? "" : ", weightDecay=" + weightDecay) + ")";
  }
}
