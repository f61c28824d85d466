package dev.leibniz.processor.ops;

import static dev.leibniz.processor.ops.Rule.op;

import dev.leibniz.processor.ir.Attrs;
import java.util.List;

/** square, sqrt, exp, log and pow with a constant exponent, with their derivatives. */
final class Elementwise {
  private Elementwise() {}

  static final Rule SQUARE = op("square", 1, Rule::sameAsFirst, "tf.square($0)",
      (ir, n, g) -> new int[] {ir.mul(g, ir.mul(ir.constant(2), n.arg(0)))});

  static final Rule SQRT = op("sqrt", 1, Rule::sameAsFirst, "tf.sqrt($0)",
      (ir, n, g) -> new int[] {ir.div(ir.mul(g, ir.constant(0.5)), n.id())});

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
    return List.of(unary("square", SQUARE), unary("sqrt", SQRT), unary("exp", EXP), unary("log", LOG),
        DslOp.of("pow", a -> a.builder().node(POW, Attrs.of("exponent", a.number(1)), "pow", a.tensor(0))));
  }

  static DslOp unary(String name, Rule rule) {
    return DslOp.of(name, a -> a.builder().node(rule, Attrs.NONE, name, a.tensor(0)));
  }
}
