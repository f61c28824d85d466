package dev.leibniz.tf;

import dev.leibniz.dsl.Init;
import dev.leibniz.dsl.Variable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.VarHandleOp;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * One TensorFlow graph being built, and what it holds besides ops: its inputs, the variables of
 * the weights (created when the graph first reads them) and of other state (optimizer slots,
 * metric totals), the weight gradients generated backwards add up, the feeds that switch
 * training behaviour on, and the op that initializes every variable. Generated code reaches it
 * through {@link Tf}, the op vocabulary on this graph.
 */
public final class TfGraph {
  private final Graph graph;
  private final Ops ops;
  private final long seed;
  /** For export: each weight's variable name (Keras's path, {@code dense/kernel}); null in graphs that train. */
  private final java.util.function.Function<Variable, String> exportNames;
  private final Tf tf;
  // Insertion-ordered (Variable compares by identity): weights() lists them in the order first read.
  private final Map<Variable, Weight> weights = new LinkedHashMap<>();
  private final Map<Variable, Operand<TFloat32>> gradients = new IdentityHashMap<>();
  private final Map<Output<?>, PastActivation> pastActivation = new HashMap<>();
  private Op readsAfter;
  private final Map<Variable, Operand<TFloat32>> phaseReads = new IdentityHashMap<>();
  private final java.util.Set<String> usedNames = new java.util.HashSet<>();
  private final Map<String, Ops> scopes = new HashMap<>();
  private final List<State> states = new ArrayList<>();
  private final List<MovingUpdate> movingUpdates = new ArrayList<>();
  private final List<Operand<TFloat32>> addedLosses = new ArrayList<>();
  private final List<Op> trainEnd = new ArrayList<>();
  private Operand<TFloat32> training;
  private Operand<TInt64> randomSeed;
  /** For the body of a loop ({@link Rnn}): the graph it runs in, and the values it captured from there. */
  private final TfGraph outer;
  private final WhileLoop loop;
  private final Map<Output<?>, Operand<?>> captured = new LinkedHashMap<>();

  /** A weight: the DSL variable and its variable in this graph. */
  public record Weight(Variable variable, State state) {
    public String name() {
      return state.name();
    }

    public Operand<?> handle() {
      return state.handle();
    }

    public Operand<TFloat32> value() {
      return state.value();
    }
  }

  /**
   * A variable of the graph: a weight's, an optimizer's slot, a metric's running total.
   * {@code reset} sets it back to its initial value; {@code assign} sets it to what is fed to {@code feed}.
   */
  public record State(String name, long[] shape, Operand<?> handle, Operand<TFloat32> value, Op reset,
      Operand<TFloat32> feed, Op assign) {}

  /** A graph for training and inference: resource variables; random initializers seeded by {@code seed}. */
  public TfGraph(Graph graph, long seed) {
    this(graph, seed, null);
  }

  public TfGraph(Graph graph) {
    this(graph, 42);
  }

  private TfGraph(Graph graph, long seed, java.util.function.Function<Variable, String> exportNames) {
    this.graph = Objects.requireNonNull(graph, "graph");
    this.ops = Ops.create(graph);
    this.seed = seed;
    this.exportNames = exportNames;
    this.outer = null;
    this.loop = null;
    this.tf = new Tf(this);
  }

  /** The body of {@code loop}, in {@code outer}'s graph: weights and feeds are captured from {@code outer}. */
  TfGraph(TfGraph outer, WhileLoop loop) {
    this.graph = outer.graph;
    this.ops = loop.body();
    this.seed = outer.seed;
    this.exportNames = outer.exportNames;
    this.outer = outer;
    this.loop = loop;
    this.tf = new Tf(this);
  }

  /**
   * In a loop's body, {@code value} of the outer graph as every iteration reads it (it enters the
   * loop once); the same operand each time the same value is asked for.
   */
  @SuppressWarnings("unchecked")
  <T extends org.tensorflow.types.family.TType> Operand<T> capture(Operand<T> value) {
    return (Operand<T>) captured.computeIfAbsent(value.asOutput(), v -> loop.invariant(value));
  }

  /** The outer values captured so far, in order, each with what the body reads for it. */
  Map<Output<?>, Operand<?>> captured() {
    return captured;
  }

  private TfGraph outerOnly(String what) {
    if (outer != null) {
      throw new UnsupportedOperationException("a recurrent step cannot " + what + " (it runs inside a loop)");
    }
    return this;
  }

  /**
   * A graph for export: no training ops, and each weight's resource variable named
   * {@code names.apply(variable)} (a path such as {@code dense/kernel}, the name a SavedModel's
   * reader lists), initialized to zeros: set the trained values with {@link State#assign}.
   */
  public static TfGraph forExport(Graph graph, java.util.function.Function<Variable, String> names) {
    return new TfGraph(graph, 42, Objects.requireNonNull(names, "names"));
  }

  /** The op vocabulary on this graph, what generated code calls. */
  public Tf tf() {
    return tf;
  }

  public Graph graph() {
    return graph;
  }

  /** TensorFlow's own op builder, for what the vocabulary does not cover. */
  public Ops ops() {
    return ops;
  }

  long seed() {
    return seed;
  }

  boolean isForExport() {
    return exportNames != null;
  }

  // ---------------------------------------------------------------- inputs and outputs

  /** A float input named {@code name} (or {@code name_1}, ... where taken). */
  public Operand<TFloat32> placeholder(String name, long... shape) {
    return ops.withName(unique(name)).placeholder(TFloat32.class, Placeholder.shape(Shape.of(shape)));
  }

  /** {@code x} under the name {@code name} (or {@code name_1}, ... where taken): an output of an exported graph. */
  public Operand<TFloat32> named(String name, Operand<TFloat32> x) {
    return ops.withName(unique(name)).identity(x);
  }

  /** One op that runs all of {@code steps}. */
  public Op group(List<Op> steps) {
    return ops.withControlDependencies(steps).noOp();
  }

  /** {@code name}, or {@code name_1}, {@code name_2}, ... the first that no op of the graph has. */
  private String unique(String name) {
    String candidate = name;
    for (int n = 1; usedNames.contains(candidate) || graph.operation(candidate) != null; n++) {
      candidate = name + "_" + n;
    }
    usedNames.add(candidate);
    return candidate;
  }


  // ---------------------------------------------------------------- weights

  /** The value of weight {@code v}; its variable is created on the first read in this graph. */
  Operand<TFloat32> read(Variable v) {
    if (outer != null) {
      return capture(outer.read(v));
    }
    Weight w = weights.computeIfAbsent(v, this::create);
    if (readsAfter == null) {
      return w.value();
    }
    return phaseReads.computeIfAbsent(v, k -> ops.withControlDependencies(List.of(readsAfter))
        .readVariableOp(w.handle(), TFloat32.class));
  }

  /**
   * From now on, weights read by generated code are read after {@code update} has run: the next
   * phase of a training step sees the weights the previous phase set (a GAN's generator step
   * after its discriminator step), all in one run. Null ends that.
   */
  public void readAfter(Op update) {
    readsAfter = update;
    phaseReads.clear();
  }

  /** The weight of {@code v} in this graph, after it was read. */
  Weight weight(Variable v) {
    return outerOnly("update a moving average").weights.get(v);
  }

  /** The weights this graph has read, in the order first read. */
  public List<Weight> weights() {
    return List.copyOf(weights.values());
  }

  private Weight create(Variable v) {
    Shape shape = Shape.of(v.shape().dims());
    if (exportNames != null) {
      return new Weight(v, variable(exportNames.apply(v), shape, ops.zeros(ops.constant(shape), TFloat32.class)));
    }
    return new Weight(v, variable(v.name(), shape, Initializers.value(ops, v.init(), shape, seed, weights.size())));
  }

  /**
   * A resource variable under a unique name ({@code dense/kernel} becomes op {@code kernel} in
   * scope {@code dense}), its read, the op that sets it to {@code initial}, and a placeholder
   * with the op that assigns it.
   */
  private State variable(String name, Shape shape, Operand<TFloat32> initial) {
    String unique = unique(name);
    int slash = unique.lastIndexOf('/');
    Ops scoped = slash < 0 ? ops : scope(unique.substring(0, slash));
    String own = unique.substring(slash + 1);
    Operand<TFloat32> feed = scoped.withName(own + "_value").placeholder(TFloat32.class, Placeholder.shape(shape));
    Operand<?> handle = scoped.withName(own).varHandleOp(TFloat32.class, shape, VarHandleOp.sharedName(unique));
    return new State(unique, shape.asArray(), handle, scoped.withName(own + "_read").readVariableOp(handle, TFloat32.class),
        scoped.withName(own + "_init").assignVariableOp(handle, initial), feed,
        scoped.withName(own + "_assign").assignVariableOp(handle, feed));
  }

  /** The ops under {@code path} (a/b/c); one Ops per scope, since TensorFlow Java numbers a scope opened twice. */
  private Ops scope(String path) {
    Ops known = scopes.get(path);
    if (known != null) {
      return known;
    }
    int slash = path.lastIndexOf('/');
    Ops parent = slash < 0 ? ops : scope(path.substring(0, slash));
    Ops scoped = parent.withSubScope(path.substring(slash + 1));
    scopes.put(path, scoped);
    return scoped;
  }

  // ---------------------------------------------------------------- gradients

  /** Adds to the gradient of weight {@code v} (what generated backwards call through {@link Tf#addGradient}). */
  void addGradient(Variable v, Operand<TFloat32> gradient) {
    gradients.merge(v, gradient, tf::add);
  }

  /**
   * The weight gradients {@code backward} adds, kept apart from the graph's own (a second
   * backward in the same graph: a custom training loop's beside fit's).
   */
  public Map<Variable, Operand<TFloat32>> collectGradients(Runnable backward) {
    Map<Variable, Operand<TFloat32>> own = new IdentityHashMap<>(gradients);
    gradients.clear();
    try {
      backward.run();
      return new IdentityHashMap<>(gradients);
    } finally {
      gradients.clear();
      gradients.putAll(own);
    }
  }

  /** The weight gradients added in this graph (a loop body's, summed over the steps by the loop). */
  Map<Variable, Operand<TFloat32>> collectedGradients() {
    return gradients;
  }

  /** {@code name}, or {@code name_1}, ... the first no op of the graph has (a loop's name, the prefix of its ops). */
  String uniqueName(String name) {
    return unique(name);
  }

  /** The summed gradient of {@code v} so far, or null if no backward reached it. */
  public Operand<TFloat32> gradient(Variable v) {
    return gradients.get(v);
  }

  // ---------------------------------------------------------------- gradients past an output activation

  /** A loss's seed for the output of a softmax or sigmoid, and its own gradient of that activation's input. */
  private static final class PastActivation {
    final Output<?> activation;
    final Operand<TFloat32> dInput;
    boolean taken;

    PastActivation(Output<?> activation, Operand<TFloat32> dInput) {
      this.activation = activation;
      this.dInput = dInput;
    }
  }

  /**
   * The seed a loss gives a model's backward for {@code activation}, the output of a softmax or
   * sigmoid (Keras computes cross-entropies from that activation's input, the logits): the
   * gradient {@code dActivation} it computed from the probabilities, under a name of its own.
   * Where the backward's first step is that activation's gradient op, the op returns
   * {@code dInput}, the loss's gradient of the logits, instead; {@link #tookPastActivation} says
   * whether it did.
   */
  public Operand<TFloat32> seedPastActivation(Operand<TFloat32> activation, Operand<TFloat32> dActivation,
      Operand<TFloat32> dInput) {
    Operand<TFloat32> seed = ops.withName(unique("loss_gradient")).identity(dActivation);
    pastActivation.put(seed.asOutput(), new PastActivation(activation.asOutput(), dInput));
    return seed;
  }

  /** What {@link Tf#softmaxGrad} and {@link Tf#sigmoidGrad} return for {@code dy} at {@code y}, or null for their own. */
  Operand<TFloat32> pastActivation(Operand<TFloat32> y, Operand<TFloat32> dy) {
    PastActivation past = dy == null ? null : pastActivation.get(dy.asOutput());
    if (past == null || !past.activation.equals(y.asOutput())) {
      return null;
    }
    past.taken = true;
    return past.dInput;
  }

  /**
   * Whether the backward took {@code seed} past its activation, so that the gradients are the
   * loss's computed from the logits. Asked after the backward is built.
   */
  public boolean tookPastActivation(Operand<TFloat32> seed) {
    PastActivation past = pastActivation.get(seed.asOutput());
    if (past == null || !past.taken) {
      return false;
    }
    if (((GraphOperation) seed.op()).numConsumers() > 0) {
      throw new IllegalStateException("the model's backward used the loss's gradient " + seed
          + " both past its output activation and elsewhere; the gradients would mix two forms of the loss");
    }
    return true;
  }

  // ---------------------------------------------------------------- other state

  /** A new state (not a weight) of {@code shape} filled with {@code initial}, set by {@link #initializer()}. */
  public State state(String name, long[] shape, float initial) {
    State state = variable(name, Shape.of(shape), ops.fill(dims(ops, shape), ops.constant(initial)));
    states.add(state);
    return state;
  }

  /** The states created so far, in order. */
  public List<State> states() {
    return List.copyOf(states);
  }

  /** One op that sets every weight and every state to its initial value. */
  public Op initializer() {
    List<Op> inits = new ArrayList<>();
    for (Weight w : weights.values()) {
      inits.add(w.state().reset());
    }
    for (State st : states) {
      inits.add(st.reset());
    }
    return group(inits);
  }

  // ---------------------------------------------------------------- training and inference

  /**
   * 1 in training steps, 0 otherwise: a placeholder named "training" that defaults to 0, so
   * evaluate and predict need not feed it; in an export, the constant 0, so that converters
   * (TF Lite's) fold the training branches away.
   */
  Operand<TFloat32> training() {
    if (outer != null) {
      return capture(outer.training());
    }
    if (training == null) {
      training = isForExport() ? ops.withName("training").constant(0f)
          : ops.withName("training").placeholderWithDefault(ops.constant(0f), Shape.scalar());
    }
    return training;
  }

  /** The training flag's placeholder if any op of the graph reads it, else null. */
  public Operand<TFloat32> trainingFlag() {
    return training;
  }

  /**
   * The seed of this step's random ops: a placeholder named "random_seed" ([2] int64) that
   * defaults to the graph seed; fit feeds (seed, step) so each step draws new masks and a
   * resumed run draws the same ones.
   */
  Operand<TInt64> randomSeed() {
    if (outer != null) {
      return capture(outer.randomSeed());
    }
    if (randomSeed == null) {
      randomSeed = ops.withName("random_seed").placeholderWithDefault(ops.constant(new long[] {seed, 0}), Shape.of(2));
    }
    return randomSeed;
  }

  /** The seed placeholder if any op of the graph reads it, else null. */
  public Operand<TInt64> randomSeedFeed() {
    return randomSeed;
  }

  /** Registers a loss a layer added (a scalar) to the model's ({@code addLoss}). */
  void addLoss(Operand<TFloat32> loss) {
    outerOnly("add a loss").addedLosses.add(loss);
  }

  /** The losses layers added while their forwards were built, each a scalar. */
  public List<Operand<TFloat32>> addedLosses() {
    return List.copyOf(addedLosses);
  }

  /** A moving statistic's update in a training step, {@code op}: {@code variable -= delta}. */
  public record MovingUpdate(Operand<?> handle, Operand<TFloat32> delta, Op op) {}

  /** Registers a moving statistic's update that training steps run besides the optimizer's: {@code handle -= delta}. */
  void addUpdate(Operand<?> handle, Operand<TFloat32> delta) {
    movingUpdates.add(new MovingUpdate(handle, delta, ops.assignSubVariableOp(handle, delta)));
  }

  /** The moving statistics' updates; multi-worker training averages their deltas across the workers first. */
  public List<MovingUpdate> movingUpdates() {
    return List.copyOf(movingUpdates);
  }

  /** Registers what runs once when training ends (an optimizer's moving averages put into the weights). */
  public void addTrainEnd(Op op) {
    trainEnd.add(op);
  }

  /** What runs once when fit ends. */
  public List<Op> trainEnd() {
    return List.copyOf(trainEnd);
  }

  /** The state updates a training step runs besides the optimizer's (moving averages). */
  public List<Op> updates() {
    return movingUpdates.stream().map(MovingUpdate::op).toList();
  }

  /** Dimensions as TensorFlow's int32 shape constants want them. */
  static Operand<TInt32> dims(Ops ops, long[] shape) {
    int[] out = new int[shape.length];
    for (int i = 0; i < shape.length; i++) {
      out[i] = Math.toIntExact(shape[i]);
    }
    return ops.constant(out);
  }
}
