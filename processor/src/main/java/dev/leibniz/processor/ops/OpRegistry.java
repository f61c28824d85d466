package dev.leibniz.processor.ops;

import dev.leibniz.processor.ir.Node;
import dev.leibniz.processor.ir.Op;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The op functions of the DSL, family by family: an explicit list, not static-initializer
 * registration, so that what the processor knows is read in one place.
 */
public final class OpRegistry {
  private static final Map<String, DslOp> DSL = new LinkedHashMap<>();

  static {
    List<DslOp> all = new ArrayList<>();
    all.addAll(Arithmetic.dsl());
    all.addAll(Elementwise.dsl());
    all.addAll(Nonlinear.dsl());
    all.addAll(Piecewise.dsl());
    all.addAll(MatMul.dsl());
    all.addAll(Reductions.dsl());
    all.addAll(ShapeOps.dsl());
    all.addAll(Softmax.dsl());
    all.addAll(CrossEntropy.dsl());
    all.addAll(OneHot.dsl());
    all.addAll(Constants.dsl());
    all.addAll(Select.dsl());
    all.addAll(Gather.dsl());
    all.addAll(Slicing.dsl());
    all.addAll(Conv.dsl());
    all.addAll(Pooling.dsl());
    all.addAll(BiasAdd.dsl());
    all.addAll(Modes.dsl());
    for (DslOp op : all) {
      DSL.put(op.name(), op);
    }
  }

  private OpRegistry() {}

  /** The op function {@code name} of {@code dev.leibniz.dsl.Ops}, or null. */
  public static DslOp dsl(String name) {
    return DSL.get(name);
  }

  /** Op functions the parser lowers itself, because they name a method of the class: {@code rnn(this::step, ...)}. */
  public static final Set<String> PARSED = Set.of("rnn", "rnnStates", "gradient");

  /** Every op function of {@code dev.leibniz.dsl.Ops}: those with a lowering here, and {@link #PARSED}. */
  public static Set<String> dslNames() {
    Set<String> all = new java.util.TreeSet<>(DSL.keySet());
    all.addAll(PARSED);
    return all;
  }

  // ---- what the simplifier needs to recognize

  public static boolean isConstant(Node n, double value) {
    return n.op() == Constants.CONSTANT && n.attrs().expr("value").is(value);
  }

  /** A constant that depends on no tensor: a scalar, ones or zeros of a given shape. */
  public static boolean isConstant(Node n) {
    return n.op() == Constants.CONSTANT || n.op() == Constants.ONES || n.op() == Constants.ZEROS;
  }

  public static boolean isMul(Node n) {
    return n.op() == Arithmetic.MUL;
  }

  public static boolean isAdd(Node n) {
    return n.op() == Arithmetic.ADD;
  }

  public static boolean isNeg(Node n) {
    return n.op() == Arithmetic.NEG;
  }

  public static boolean isShapeOnly(Node n, int arg) {
    Op op = n.op();
    return arg == 1 && (op == ShapeOps.UNBROADCAST || op == ShapeOps.BROADCAST_LIKE
        || op == ShapeOps.RESHAPE_LIKE || op == Reductions.SUM_GRAD || op == Reductions.MEAN_GRAD);
  }

  /** unbroadcast, broadcastLike or reshapeLike whose input already has the target's shape. */
  public static boolean isIdentityReshape(Node n, Node input, Node like) {
    Op op = n.op();
    boolean reshaping = op == ShapeOps.UNBROADCAST || op == ShapeOps.BROADCAST_LIKE || op == ShapeOps.RESHAPE_LIKE;
    return reshaping && input.shape().fullyKnown() && input.shape().equals(like.shape());
  }
}
