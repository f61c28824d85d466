package dev.leibniz.processor.ops;

import dev.leibniz.processor.ir.Attrs;
import dev.leibniz.processor.ir.Builder;
import dev.leibniz.processor.ir.JavaExpr;
import dev.leibniz.processor.ir.Op;
import dev.leibniz.processor.ir.StaticShape;
import java.util.List;

/** Writes IR through a {@link Builder} one op at a time, so that derivative rules read as math. */
public final class IrMath {
  private final Builder b;

  public IrMath(Builder b) {
    this.b = b;
  }

  public StaticShape shape(int id) {
    return b.shape(id);
  }

  /** Intermediate values are named after their op; the differentiator renames adjoints dX. */
  int node(Op op, Attrs attrs, int... args) {
    return b.node(op, attrs, op.name(), args);
  }

  public int add(int x, int y) {
    return node(Arithmetic.ADD, Attrs.NONE, x, y);
  }

  /** x + y for two gradients of one value: adjacent slices' gradients joined into one ({@link Slicing#joined}). */
  public int sum(int x, int y) {
    int joined = Slicing.joined(this, b.get(x), b.get(y));
    return joined >= 0 ? joined : add(x, y);
  }

  public int sub(int x, int y) {
    return node(Arithmetic.SUB, Attrs.NONE, x, y);
  }

  public int mul(int x, int y) {
    return node(Arithmetic.MUL, Attrs.NONE, x, y);
  }

  public int div(int x, int y) {
    return node(Arithmetic.DIV, Attrs.NONE, x, y);
  }

  public int neg(int x) {
    return node(Arithmetic.NEG, Attrs.NONE, x);
  }

  public int constant(double value) {
    return constant(JavaExpr.of(value));
  }

  public int constant(JavaExpr value) {
    return b.node(Constants.CONSTANT, Attrs.of("value", value), "c");
  }

  public int pow(int x, JavaExpr exponent) {
    return node(Elementwise.POW, Attrs.of("exponent", exponent), x);
  }

  public int matmul(int x, int y, boolean transposeA, boolean transposeB) {
    return b.node(MatMul.MATMUL, Attrs.of("transposeA", transposeA, "transposeB", transposeB), "matmul", x, y);
  }

  public int tanhGrad(int y, int dy) {
    return node(Nonlinear.TANH_GRAD, Attrs.NONE, y, dy);
  }

  public int sigmoidGrad(int y, int dy) {
    return node(Nonlinear.SIGMOID_GRAD, Attrs.NONE, y, dy);
  }

  public int softmax(int x) {
    return node(Softmax.SOFTMAX, Attrs.NONE, x);
  }

  public int softmaxGrad(int y, int dy) {
    return node(Softmax.SOFTMAX_GRAD, Attrs.NONE, y, dy);
  }

  public int sigmoid(int x) {
    return node(Nonlinear.SIGMOID, Attrs.NONE, x);
  }

  public int sqrtGrad(int y, int dy) {
    return node(Elementwise.SQRT_GRAD, Attrs.NONE, y, dy);
  }

  public int rsqrtGrad(int y, int dy) {
    return node(Elementwise.RSQRT_GRAD, Attrs.NONE, y, dy);
  }

  public int square(int x) {
    return node(Elementwise.SQUARE, Attrs.NONE, x);
  }

  public int sign(int x) {
    return node(Piecewise.SIGN, Attrs.NONE, x);
  }

  /** Where mask is nonzero a, else b (broadcasting). */
  public int where(int mask, int a, int b) {
    return node(Select.WHERE, Attrs.NONE, mask, a, b);
  }

  public int greaterEqual(int a, int b) {
    return node(Select.GREATER_EQUAL, Attrs.NONE, a, b);
  }

  public int lessEqual(int a, int b) {
    return node(Select.LESS_EQUAL, Attrs.NONE, a, b);
  }

  /** x with a new last axis of size 1. */
  public int expandLast(int x) {
    return node(ShapeOps.EXPAND_DIMS, Attrs.of("axis", JavaExpr.of(-1)), x);
  }

  public int relu(int x) {
    return node(Nonlinear.RELU, Attrs.NONE, x);
  }

  public int reluGrad(int dy, int x) {
    return node(Nonlinear.RELU_GRAD, Attrs.NONE, dy, x);
  }

  /** Sum of all elements: a scalar. */
  public int sumAll(int x) {
    return node(Reductions.SUM, Attrs.of("keepDims", false), x);
  }

  public int sumLastAxis(int x) {
    return node(Reductions.SUM, Attrs.of("axes", List.of(JavaExpr.of(-1)), "keepDims", true), x);
  }

  public int unbroadcast(int g, int like) {
    return node(ShapeOps.UNBROADCAST, Attrs.NONE, g, like);
  }

  public int reshapeLike(int x, int like) {
    return node(ShapeOps.RESHAPE_LIKE, Attrs.NONE, x, like);
  }

  /** a + b, either of which may be a symbolic zero (null) when the graph is built. */
  public int accumulate(int a, int b) {
    return node(Structure.ACCUMULATE, Attrs.NONE, a, b);
  }

  /** g, or zeros shaped like {@code like} where g is a symbolic zero. */
  public int orZerosLike(int g, int like) {
    return node(Structure.OR_ZEROS, Attrs.NONE, g, like);
  }

  public int onesLike(int x) {
    return node(Constants.ONES_LIKE, Attrs.NONE, x);
  }

  public int zerosLike(int x) {
    return node(Constants.ZEROS_LIKE, Attrs.NONE, x);
  }
}
