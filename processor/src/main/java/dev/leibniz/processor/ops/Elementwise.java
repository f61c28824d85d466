package dev.leibniz.processor.ops;

import static dev.leibniz.processor.ops.Rule.op;

import dev.leibniz.processor.ir.Attrs;
import java.util.List;

/** square, sqrt, rsqrt, exp, log, softplus and pow with a constant exponent, with their derivatives. */
final class Elementwise {
  private Elementwise() {}

  static final Rule SQUARE = op("square", 1, Rule::sameAsFirst, "tf.square($0)",
      (ir, n, g) -> new int[] {ir.mul(g, ir.mul(ir.constant(2), n.arg(0)))});

  static final Rule SQRT = op("sqrt", 1, Rule::sameAsFirst, "tf.sqrt($0)",
      (ir, n, g) -> new int[] {ir.sqrtGrad(n.id(), g)});

  /**
   * sqrtGrad(y, dy) = dy / (2 y), and 0 where dy is 0 (TensorFlow's kernel): a gradient that
   * does not reach sqrt(0) stays 0 instead of 0 / 0. Its derivatives are TensorFlow's.
   */
  static final Rule SQRT_GRAD = op("sqrtGrad", 2, Rule::sameAsFirst, "tf.sqrtGrad($0, $1)",
      (ir, n, g) -> {
        int gOverY = ir.div(g, n.arg(0));
        return new int[] {ir.neg(ir.mul(gOverY, n.id())), ir.mul(ir.constant(0.5), gOverY)};
      });

  /** 1 / sqrt(x). */
  static final Rule RSQRT = op("rsqrt", 1, Rule::sameAsFirst, "tf.rsqrt($0)",
      (ir, n, g) -> new int[] {ir.rsqrtGrad(n.id(), g)});

  /** rsqrtGrad(y, dy) = -dy y^3 / 2, and 0 where dy is 0 (TensorFlow's kernel: rsqrt(0) is inf). */
  static final Rule RSQRT_GRAD = op("rsqrtGrad", 2, Rule::sameAsFirst, "tf.rsqrtGrad($0, $1)",
      (ir, n, g) -> new int[] {
          ir.mul(ir.mul(ir.constant(-1.5), ir.mul(g, n.arg(1))), ir.square(n.arg(0))),
          ir.rsqrtGrad(n.arg(0), g)});

  /** log(1 + exp(x)), computed stably; its derivative is sigmoid(x). */
  static final Rule SOFTPLUS = op("softplus", 1, Rule::sameAsFirst, "tf.softplus($0)",
      (ir, n, g) -> new int[] {ir.mul(g, ir.sigmoid(n.arg(0)))});

  static final Rule EXP = op("exp", 1, Rule::sameAsFirst, "tf.exp($0)",
      (ir, n, g) -> new int[] {ir.mul(g, n.id())});

  static final Rule LOG = op("log", 1, Rule::sameAsFirst, "tf.log($0)",
      (ir, n, g) -> new int[] {ir.div(g, n.arg(0))});

  // d(x^c)/dx = c x^(c-1), for a constant c (attribute "exponent").
  static final Rule POW = op("pow", 1, Rule::sameAsFirst,
      (args, attrs) -> "tf.pow(" + args.get(0) + ", " + attrs.expr("exponent").floatCode() + ")",
      (ir, n, g) -> {
        var c = n.attrs().expr("exponent");
        int derivative = c.is(2) ? ir.mul(ir.constant(2), n.arg(0))
            : ir.mul(ir.constant(c), ir.pow(n.arg(0), c.plus(-1)));
        return new int[] {ir.mul(g, derivative)};
      });

  static List<DslOp> dsl() {
    return List.of(unary("square", SQUARE), unary("sqrt", SQRT), unary("rsqrt", RSQRT), unary("exp", EXP),
        unary("log", LOG), unary("softplus", SOFTPLUS),
        DslOp.of("pow", a -> a.builder().node(POW, Attrs.of("exponent", a.number(1)), "pow", a.tensor(0))));
  }

  static DslOp unary(String name, Rule rule) {
    return DslOp.of(name, a -> a.builder().node(rule, Attrs.NONE, name, a.tensor(0)));
  }
}
