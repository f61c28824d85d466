package dev.leibniz.processor.ops;

import static dev.leibniz.processor.ops.Rule.op;

import dev.leibniz.processor.ir.Attrs;
import dev.leibniz.processor.ir.Op;
import java.util.List;

/**
 * tanh, sigmoid, relu and leakyRelu, and their fused gradient ops (TensorFlow's TanhGrad,
 * SigmoidGrad, ReluGrad and LeakyReluGrad), which have derivative rules of their own so that
 * second derivatives work.
 */
final class Nonlinear {
  private Nonlinear() {}

  static final Rule TANH = op("tanh", 1, Rule::sameAsFirst, "tf.tanh($0)",
      (ir, n, g) -> new int[] {ir.tanhGrad(n.id(), g)});

  /** tanhGrad(y, dy) = dy (1 - y^2). */
  static final Rule TANH_GRAD = op("tanhGrad", 2, Rule::sameAsFirst, "tf.tanhGrad($0, $1)",
      (ir, n, g) -> new int[] {
          ir.mul(ir.mul(g, n.arg(1)), ir.mul(ir.constant(-2), n.arg(0))),
          ir.tanhGrad(n.arg(0), g)});

  static final Rule SIGMOID = op("sigmoid", 1, Rule::sameAsFirst, "tf.sigmoid($0)",
      (ir, n, g) -> new int[] {ir.sigmoidGrad(n.id(), g)});

  /** sigmoidGrad(y, dy) = dy y (1 - y). */
  static final Rule SIGMOID_GRAD = op("sigmoidGrad", 2, Rule::sameAsFirst, "tf.sigmoidGrad($0, $1)",
      (ir, n, g) -> new int[] {
          ir.mul(ir.mul(g, n.arg(1)), ir.sub(ir.constant(1), ir.mul(ir.constant(2), n.arg(0)))),
          ir.sigmoidGrad(n.arg(0), g)});

  /**
   * relu(x). Its gradient reads the output (positive exactly where the input is), as TensorFlow's
   * own does: then nothing but the relu reads the input, and TensorFlow's remapper can fuse
   * MatMul or Conv2D, BiasAdd and Relu into one kernel (_FusedMatMul, _FusedConv2D).
   */
  static final Rule RELU = op("relu", 1, Rule::sameAsFirst, "tf.relu($0)",
      (ir, n, g) -> new int[] {ir.reluGrad(g, n.id())});

  /** reluGrad(dy, x) = dy where x > 0, else 0 (x: relu's input or output): linear in dy, piecewise constant in x. */
  static final Rule RELU_GRAD = op("reluGrad", 2, Rule::sameAsFirst, "tf.reluGrad($0, $1)",
      (ir, n, g) -> new int[] {ir.reluGrad(g, n.arg(1)), Op.ZERO});

  /**
   * leakyRelu(x): x where x > 0, else alpha x (attribute "alpha", at least 0). Its gradient reads
   * the output, whose sign is the input's: so TensorFlow can fuse the op into a convolution
   * before it (its remapper refuses a graph where the gradient reads the fused-away input).
   */
  static final Rule LEAKY_RELU = op("leakyRelu", 1, Rule::sameAsFirst,
      (args, attrs) -> "tf.leakyRelu(" + args.get(0) + ", " + attrs.expr("alpha").floatCode() + ")",
      (ir, n, g) -> new int[] {ir.node(Nonlinear.LEAKY_RELU_GRAD, n.attrs(), g, n.id())});

  /** leakyReluGrad(dy, y) = dy where y > 0, else alpha dy: linear in dy, piecewise constant in y. */
  static final Rule LEAKY_RELU_GRAD = op("leakyReluGrad", 2, Rule::sameAsFirst,
      (args, attrs) -> "tf.leakyReluGrad(" + args.get(0) + ", " + args.get(1) + ", " + attrs.expr("alpha").floatCode()
          + ")",
      (ir, n, g) -> new int[] {ir.node(Nonlinear.LEAKY_RELU_GRAD, n.attrs(), g, n.arg(1)), Op.ZERO});

  static List<DslOp> dsl() {
    return List.of(Elementwise.unary("tanh", TANH), Elementwise.unary("sigmoid", SIGMOID),
        Elementwise.unary("relu", RELU),
        DslOp.of("leakyRelu", a -> a.builder().node(LEAKY_RELU, Attrs.of("alpha", a.number(1)), "leakyRelu",
            a.tensor(0))));
  }
}
