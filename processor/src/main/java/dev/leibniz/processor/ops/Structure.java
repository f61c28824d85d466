package dev.leibniz.processor.ops;

import dev.leibniz.dsl.GraphNames;
import dev.leibniz.processor.ir.Attrs;
import dev.leibniz.processor.ir.Builder;
import dev.leibniz.processor.ir.Node;
import dev.leibniz.processor.ir.Op;
import dev.leibniz.processor.ir.StaticShape;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Ops that are not math: where values enter a function (inputs, weights, loop-carried locals,
 * values merged after a region), the mutable gradient slots of backward regions, and calls into
 * another class's generated graph (a sublayer's {@code @Call}), which are differentiated by
 * calling that graph's generated backward.
 */
public final class Structure {
  private Structure() {}

  /** A value that has no arguments and is emitted by the generator, not as an expression. */
  private static final class Leaf extends Op {
    Leaf(String name) {
      super(name);
    }

    @Override
    public StaticShape shape(List<StaticShape> in, Attrs attrs) {
      return attrs.has("shape") ? (StaticShape) attrs.map().get("shape") : StaticShape.UNKNOWN;
    }

    @Override
    public String emit(List<String> args, Attrs attrs) {
      throw new IllegalStateException(name() + " is written by the generator");
    }

    @Override
    public int[] vjp(Builder b, Node node, int g) {
      return new int[0];
    }
  }

  /** Tensor input {@code index} of the function (attributes "index", "shape"). */
  public static final Op INPUT = new Leaf("input");
  /** The weight in field "field", read at the top of the function. */
  public static final Op WEIGHT = new Leaf("weight");
  /** A local carried into a loop iteration. */
  public static final Op CARRY = new Leaf("carry");
  /** A value defined by a region statement: a merge after an if, or a carried local after a loop. */
  public static final Op PHI = new Leaf("phi");
  /** The adjoint handed to a backward pass (its upstream gradient). */
  public static final Op SEED = new Leaf("seed");

  /**
   * Structure that is emitted but never differentiated (gradient slots, calls into other graphs
   * and their records): its shape, its emission, and for a record its Java type.
   */
  private static final class Plumbing extends Op {
    private final Rule.ShapeRule shape;
    private final BiFunction<List<String>, Attrs, String> emit;
    private final Function<Attrs, String> javaType;

    private final boolean effect;

    Plumbing(String name, Rule.ShapeRule shape, BiFunction<List<String>, Attrs, String> emit,
        Function<Attrs, String> javaType) {
      this(name, shape, emit, javaType, false);
    }

    Plumbing(String name, Rule.ShapeRule shape, BiFunction<List<String>, Attrs, String> emit,
        Function<Attrs, String> javaType, boolean effect) {
      super(name);
      this.shape = shape;
      this.emit = emit;
      this.javaType = javaType;
      this.effect = effect;
    }

    @Override
    public boolean hasEffect() {
      return effect;
    }

    @Override
    public StaticShape shape(List<StaticShape> in, Attrs attrs) {
      return shape.apply(in, attrs);
    }

    @Override
    public String emit(List<String> args, Attrs attrs) {
      return emit.apply(args, attrs);
    }

    @Override
    public String javaType(Attrs attrs) {
      return javaType.apply(attrs);
    }

    @Override
    public int[] vjp(Builder b, Node node, int g) {
      throw new IllegalStateException(name() + " is not differentiated");
    }

    @Override
    public boolean differentiable() {
      return false;
    }
  }

  private static StaticShape unknown(List<StaticShape> in, Attrs attrs) {
    return StaticShape.UNKNOWN;
  }

  /**
   * slot() or slot(init): a mutable gradient of a backward region, empty (a symbolic zero, null
   * while the graph is built) or holding {@code init}; read after the region with {@link #READ}.
   */
  public static final Op SLOT = new Plumbing("slot",
      (in, attrs) -> in.isEmpty() ? (StaticShape) attrs.map().getOrDefault("shape", StaticShape.UNKNOWN) : in.get(0),
      (args, attrs) -> args.isEmpty() ? "null" : args.get(0), attrs -> null);

  /** The value of a slot once its region has run (or, in a reversed loop, as an iteration starts). */
  public static final Op READ = Rule.op("read", 1, Rule::sameAsFirst, "$0", (ir, n, g) -> new int[] {Op.ZERO});

  /**
   * accumulate(sum, g): {@code sum + g} where either may be a symbolic zero (null while the graph
   * is built): JAX's {@code add_tangents}, for gradients that a region may or may not have written.
   */
  public static final Op ACCUMULATE = Rule.op("accumulate", 2, Rule::sameAsSecond, "tf.accumulate($0, $1)",
      (ir, n, g) -> new int[] {g, g});

  /** orZerosLike(g, like): g, or zeros shaped like {@code like} where g is a symbolic zero. */
  public static final Op OR_ZEROS = Rule.op("orZerosLike", 2, Rule::sameAsSecond, "tf.orZerosLike($0, $1)",
      (ir, n, g) -> new int[] {g, Op.ZERO});

  /**
   * A call into another generated graph (attributes "graph", "method", "target" (Java code of
   * the layer object, absent for static functions), "inputs" (names)): its value is that
   * graph's forward record.
   */
  public static final Op CALL = new Plumbing("call", Structure::unknown,
      (args, attrs) -> "$T{" + attrs.string("graph") + "}." + attrs.string("method") + "("
          + graphArgs(args, checkedTarget(attrs)) + ")",
      attrs -> attrs.string("graph") + "." + GraphNames.forwardRecord(attrs.string("method")), true);

  /** A forward's sublayer, checked where it is first used: a null field is an error that names it. */
  private static Attrs checkedTarget(Attrs attrs) {
    if (!attrs.has("target")) {
      return attrs;
    }
    String target = attrs.string("target");
    return attrs.with("target", "tf.sublayer(" + target + ", \"" + target.substring(target.indexOf('.') + 1) + "\")");
  }

  /** The record, then each adjoint, "null" where attribute "present" says none was passed. */
  private static List<String> withNulls(List<String> args, Attrs attrs) {
    if (!attrs.has("present")) {
      return args;
    }
    List<String> out = new java.util.ArrayList<>();
    out.add(args.get(0));
    int next = 1;
    @SuppressWarnings("unchecked")
    List<Boolean> present = (List<Boolean>) attrs.map().get("present");
    for (boolean p : present) {
      out.add(p ? args.get(next++) : "null");
    }
    return out;
  }

  /**
   * The arguments of a call into another graph: {@code tf} (where attribute "dropsWeightGradients"
   * says so, its view that drops weight gradients), the layer object (for an instance call), the values.
   */
  private static String graphArgs(List<String> args, Attrs attrs) {
    String tf = attrs.has("dropsWeightGradients") ? "tf.withoutWeightGradients()" : "tf";
    String target = attrs.has("target") ? attrs.string("target") + ", " : "";
    return tf + ", " + target + String.join(", ", args);
  }

  /**
   * output(record, inputs...): the tensor a {@link #CALL} or an {@link #RNN} returned, or
   * (attributes "component" and "index") one output of a call or loop with several. The adjoint of a single output goes to the
   * inputs through the other graph's backward; the outputs of a call with several are collected
   * by the differentiator, which runs that backward once, at the call, with all of them.
   */
  public static final Op OUTPUT = new Op("output") {
    @Override
    public StaticShape shape(List<StaticShape> in, Attrs attrs) {
      return StaticShape.UNKNOWN;
    }

    @Override
    public String emit(List<String> args, Attrs attrs) {
      if (attrs.has("indexed")) {
        return args.get(0) + ".outputs().get(" + attrs.integer("index") + ")"; // a loop's output or final state
      }
      return args.get(0) + "." + (attrs.has("component") ? attrs.string("component") : "output") + "()";
    }

    @Override
    public int[] vjp(Builder b, Node node, int g) {
      Node call = b.get(node.arg(0));
      List<Integer> args = List.of(call.id(), g);
      int[] fromInputs = backwardOf(b, call, args, new int[] {g});
      int[] out = new int[node.args().size()];
      out[0] = Op.ZERO;
      System.arraycopy(fromInputs, 0, out, 1, fromInputs.length);
      return out;
    }
  };

  /**
   * The seeds of a call's outputs in order, {@link Op#ZERO} where an output got no adjoint; a
   * loop's outputs are its output and its final states.
   */
  public static int[] outputSeeds(Node call, java.util.Map<Integer, Integer> byIndex) {
    int count = call.attrs().strings("outputs").size() + (call.op() == RNN ? 1 : 0);
    int[] seeds = new int[count];
    for (int i = 0; i < seeds.length; i++) {
      seeds[i] = byIndex.getOrDefault(i, Op.ZERO);
    }
    return seeds;
  }

  /**
   * The other graph's backward of {@code call}, given {@code args} (the record, then the seeds
   * present in {@code seeds}), and the adjoint it gives each input of the call.
   */
  public static int[] backwardOf(Builder b, Node call, List<Integer> args, int[] seeds) {
    return backwardOf(b, call, args, seeds, false);
  }

  /**
   * The same; where {@code dropsWeightGradients}, the backward's weight gradients are dropped: it
   * computes a value of the forward (an input's gradient), not the training gradients.
   */
  public static int[] backwardOf(Builder b, Node call, List<Integer> args, int[] seeds, boolean dropsWeightGradients) {
    if (call.op() == RNN) {
      return rnnBackwardOf(b, call, seeds);
    }
    Attrs attrs = dropsWeightGradients ? call.attrs().with("dropsWeightGradients", true) : call.attrs();
    if (seeds.length > 1) {
      List<Boolean> present = new java.util.ArrayList<>();
      for (int s : seeds) {
        present.add(s != Op.ZERO);
      }
      attrs = attrs.with("present", present);
    }
    String hint = call.hint().endsWith("Call") ? call.hint().substring(0, call.hint().length() - 4) : call.hint();
    int grads = b.node(BACKWARD, args, attrs, "grads" + GraphNames.capitalize(hint));
    @SuppressWarnings("unchecked")
    List<String> inputs = (List<String>) attrs.map().get("inputs");
    int[] out = new int[inputs.size()];
    for (int i = 0; i < out.length; i++) {
      String field = GraphNames.gradientOf(inputs.get(i));
      out[i] = b.node(FIELD, Attrs.of("field", field, "index", i), hint + GraphNames.capitalize(field), grads);
    }
    return out;
  }

  /** Whether {@code n} is one input gradient of another graph's backward (a {@link #FIELD} of a {@link #BACKWARD}). */
  public static boolean isBackwardField(Builder b, Node n) {
    return n.op() == FIELD && b.get(n.arg(0)).op() == BACKWARD;
  }

  /** The method a call or its backward goes to, as users write it: {@code Dense.call}. */
  public static String callee(Node n) {
    String graph = n.attrs().string("graph");
    String simple = graph.substring(graph.lastIndexOf('.') + 1).replaceAll("_Graph$", "").replace('_', '.');
    return simple + "." + n.attrs().string("method");
  }

  /** Whether {@code n} is another graph's backward, the record of its input gradients. */
  public static boolean isBackward(Node n) {
    return n.op() == BACKWARD;
  }

  /**
   * The backward of {@code backward} (another graph's backward, of the call {@code call}, with one
   * seed), given the adjoints {@code dd} of its input gradients ({@link Op#ZERO}: none): that graph's
   * generated {@code <method>BackwardBackward}, which adds its weight gradients to the graph. Returns
   * the adjoint of each input of the call, then that of the seed.
   */
  public static int[] secondBackwardOf(Builder b, Node backward, Node call, int[] dd) {
    List<Integer> args = new java.util.ArrayList<>(call.args());
    args.add(backward.arg(1));
    List<Boolean> present = new java.util.ArrayList<>();
    for (int d : dd) {
      present.add(d != Op.ZERO);
      if (d != Op.ZERO) {
        args.add(d);
      }
    }
    Attrs attrs = call.attrs().with("present", present);
    String hint = call.hint().endsWith("Call") ? call.hint().substring(0, call.hint().length() - 4) : call.hint();
    int grads = b.node(SECOND_BACKWARD, args, attrs, "grads2" + GraphNames.capitalize(hint));
    @SuppressWarnings("unchecked")
    List<String> inputs = (List<String>) attrs.map().get("inputs");
    int[] out = new int[inputs.size() + 1];
    for (int i = 0; i < inputs.size(); i++) {
      String field = GraphNames.gradientOf(inputs.get(i));
      out[i] = b.node(FIELD, Attrs.of("field", field, "index", i), hint + GraphNames.capitalize(field) + "2", grads);
    }
    String seedField = GraphNames.gradientOf(GraphNames.gradientOf("output"));
    out[inputs.size()] = b.node(FIELD, Attrs.of("field", seedField), hint + GraphNames.capitalize(seedField), grads);
    return out;
  }

  /**
   * backwardBackward(inputs..., seed, adjoints...): the other graph's backward of its backward,
   * on the call's inputs (its forward is built again there), the seed its backward was given and
   * the adjoints of that backward's input gradients (attribute "present": which are passed; null
   * for the others). Its value is a record of the gradients of the inputs and of the seed.
   */
  static final Op SECOND_BACKWARD = new Plumbing("backwardBackward", Structure::unknown,
      (args, attrs) -> "$T{" + attrs.string("graph") + "}." + GraphNames.secondBackwardMethod(attrs.string("method"))
          + "(" + graphArgs(secondArgs(args, attrs), attrs) + ")",
      attrs -> attrs.string("graph") + "." + GraphNames.gradientsRecord(GraphNames.backwardMethod(attrs.string("method"))),
      true);

  /** The inputs and the seed, then each adjoint, "null" where attribute "present" says none was passed. */
  private static List<String> secondArgs(List<String> args, Attrs attrs) {
    @SuppressWarnings("unchecked")
    List<Boolean> present = (List<Boolean>) attrs.map().get("present");
    int fixed = args.size() - (int) present.stream().filter(p -> p).count();
    List<String> out = new java.util.ArrayList<>(args.subList(0, fixed));
    int next = fixed;
    for (boolean p : present) {
      out.add(p ? args.get(next++) : "null");
    }
    return out;
  }

  /**
   * backward(record, adjoints...): the other graph's generated backward; its value is a record.
   * For a call with several outputs, attribute "present" says which adjoints are passed; null
   * (a symbolic zero) stands for the others.
   */
  static final Op BACKWARD = new Plumbing("backward", Structure::unknown,
      (args, attrs) -> "$T{" + attrs.string("graph") + "}." + GraphNames.backwardMethod(attrs.string("method")) + "("
          + graphArgs(withNulls(args, attrs), attrs) + ")",
      attrs -> attrs.string("graph") + "." + GraphNames.gradientsRecord(attrs.string("method")), true);

  /** One input gradient out of a {@link #BACKWARD} record (attribute "field"). */
  static final Op FIELD = new Plumbing("field", Structure::unknown,
      (args, attrs) -> args.get(0) + "." + attrs.string("field") + "()", attrs -> null);

  // ---------------------------------------------------------------- recurrent loops

  /**
   * rnn(x[, mask][, initial states...]): the loop op running this layer's {@code @Call} step over
   * the steps of {@code x} (attributes "graph", "method", "inputs", "outputs" as a {@link #CALL}'s,
   * "sequences" (Java code of returnSequences), "masked", and "initial" (how many initial states are
   * arguments) or "sizes" (Java code of each state's size, from zeros)); its value is the loop's
   * forward record. Its lambda hands the step's generated forward the loop body's graph.
   */
  public static final Op RNN = new Plumbing("rnn", Structure::unknown, Structure::emitRnn,
      attrs -> "dev.leibniz.tf.Forward", true);

  private static String emitRnn(List<String> args, Attrs attrs) {
    int from = attrs.bool("masked") ? 2 : 1;
    String states = attrs.integer("initial") > 0
        ? "$T{java.util.List}.of(" + String.join(", ", args.subList(from, args.size())) + ")"
        : "new int[] {" + String.join(", ", attrs.strings("sizes")) + "}";
    return "tf.rnn(" + String.join(", ", args.subList(0, from)) + ", " + attrs.string("sequences") + ", " + states
        + ", (stepTf, stepX, stepStates) -> $T{" + attrs.string("graph") + "}." + attrs.string("method")
        + "(stepTf, layer, stepX" + stateArgs("stepStates", attrs) + "))";
  }

  /**
   * The loop's backward given the seeds of its output and final states ({@link Op#ZERO}: none),
   * and the gradient it gives each of the loop's arguments (none for the mask).
   */
  static int[] rnnBackwardOf(Builder b, Node loop, int[] seeds) {
    Attrs attrs = loop.attrs();
    String hint = b.hint(loop.arg(0));
    int[] grads = new int[loop.args().size()];
    java.util.Arrays.fill(grads, Op.ZERO);
    boolean onlyOutput = attrs.integer("initial") == 0
        && java.util.Arrays.stream(seeds, 1, seeds.length).allMatch(d -> d == Op.ZERO);
    if (onlyOutput) {
      grads[0] = b.node(RNN_BACKWARD, List.of(loop.id(), seeds[0]), attrs, GraphNames.gradientOf(hint));
      return grads;
    }
    List<Boolean> present = new java.util.ArrayList<>();
    List<Integer> args = new java.util.ArrayList<>();
    args.add(loop.id());
    for (int d : seeds) {
      present.add(d != Op.ZERO);
      if (d != Op.ZERO) {
        args.add(d);
      }
    }
    int all = b.node(RNN_BACKWARD, args, attrs.with("present", present), "grads" + GraphNames.capitalize(hint));
    grads[0] = b.node(RNN_GRADIENT, List.of(all), Attrs.of("index", 0), GraphNames.gradientOf(hint));
    int from = attrs.bool("masked") ? 2 : 1;
    for (int k = from; k < grads.length; k++) {
      grads[k] = b.node(RNN_GRADIENT, List.of(all), Attrs.of("index", 1 + k - from),
          GraphNames.gradientOf(b.hint(loop.arg(k))));
    }
    return grads;
  }

  /**
   * rnnBackward(rnn, seeds...): the gradient of the loop's input, or (attribute "present": which of
   * the output's and final states' seeds are given) the list of the gradients of the input and of the
   * initial states. The step's weight gradients go to the graph.
   */
  static final Op RNN_BACKWARD = new Plumbing("rnnBackward", Structure::unknown, Structure::emitRnnBackward,
      attrs -> attrs.has("present") ? "dev.leibniz.tf.Gradients" : null);

  private static String emitRnnBackward(List<String> args, Attrs attrs) {
    String step = "(stepTf, stepFwd, stepGrads) -> $T{" + attrs.string("graph") + "}."
        + GraphNames.backwardMethod(attrs.string("method")) + "(stepTf, layer, ($T{" + attrs.string("graph") + "."
        + GraphNames.forwardRecord(attrs.string("method")) + "}) stepFwd" + stateArgs("stepGrads", attrs)
        + ").asList()";
    if (!attrs.has("present")) {
      return "tf.rnnBackward(" + args.get(0) + ", " + args.get(1) + ", " + step + ")";
    }
    List<String> seeds = withNulls(args, attrs).subList(1, 1 + presentCount(attrs)); // output's, then final states'
    List<String> finals = seeds.subList(1, seeds.size());
    String dFinal = finals.stream().allMatch("null"::equals) ? "$T{java.util.List}.of()"
        : "$T{java.util.Arrays}.asList(" + String.join(", ", finals) + ")";
    return "tf.rnnBackward(" + args.get(0) + ", " + seeds.get(0) + ", " + dFinal + ", " + step + ")";
  }

  private static int presentCount(Attrs attrs) {
    @SuppressWarnings("unchecked")
    List<Boolean> present = (List<Boolean>) attrs.map().get("present");
    return present.size();
  }

  /** One gradient (attribute "index") of a loop's backward list. */
  static final Op RNN_GRADIENT = new Plumbing("rnnGradient", Structure::unknown,
      (args, attrs) -> args.get(0) + ".asList().get(" + attrs.integer("index") + ")", attrs -> null);

  /** {@code , list.get(0), list.get(1)}: one argument per state. */
  private static String stateArgs(String list, Attrs attrs) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < attrs.strings("outputs").size(); i++) {
      out.append(", ").append(list).append(".get(").append(i).append(")");
    }
    return out.toString();
  }

  /** Whether node {@code n} is a leaf that the generator declares itself. */
  public static boolean isLeaf(Node n) {
    return n.op() instanceof Leaf;
  }
}
