package dev.leibniz.processor.ops;

import static dev.leibniz.processor.ops.Rule.op;

import dev.leibniz.processor.ir.Attrs;
import dev.leibniz.processor.ir.Node;
import dev.leibniz.processor.ir.StaticShape;
import java.util.List;

/** add, sub, mul, div (broadcasting) and neg, with their derivatives. */
final class Arithmetic {
  private Arithmetic() {}

  static StaticShape broadcast(List<StaticShape> in, Attrs attrs) {
    return Shapes.broadcast(in.get(0), in.get(1));
  }

  static final Rule ADD = op("add", 2, Arithmetic::broadcast, "tf.add($0, $1)",
      (ir, n, g) -> grads(ir, n, g, g));

  static final Rule SUB = op("sub", 2, Arithmetic::broadcast, "tf.sub($0, $1)",
      (ir, n, g) -> grads(ir, n, g, ir.neg(g)));

  static final Rule MUL = op("mul", 2, Arithmetic::broadcast, "tf.mul($0, $1)",
      (ir, n, g) -> grads(ir, n, ir.mul(g, n.arg(1)), ir.mul(g, n.arg(0))));

  // d(a/b)/db = -a/b^2 = -(a/b)/b: reuses the output.
  static final Rule DIV = op("div", 2, Arithmetic::broadcast, "tf.div($0, $1)",
      (ir, n, g) -> grads(ir, n, ir.div(g, n.arg(1)), ir.neg(ir.div(ir.mul(g, n.id()), n.arg(1)))));

  static final Rule NEG = op("neg", 1, Rule::sameAsFirst, "tf.neg($0)",
      (ir, n, g) -> new int[] {ir.neg(g)});

  /** Sums each adjoint back over the dimensions its input was broadcast along. */
  private static int[] grads(IrMath ir, Node n, int ga, int gb) {
    StaticShape a = ir.shape(n.arg(0));
    StaticShape b = ir.shape(n.arg(1));
    return new int[] {
        Shapes.mayBroadcast(a, b) ? ir.unbroadcast(ga, n.arg(0)) : ga,
        Shapes.mayBroadcast(b, a) ? ir.unbroadcast(gb, n.arg(1)) : gb};
  }

  static List<DslOp> dsl() {
    return List.of(binary("add", ADD), binary("sub", SUB), binary("mul", MUL), binary("div", DIV),
        DslOp.of("neg", a -> a.builder().node(NEG, Attrs.NONE, "neg", a.tensor(0))));
  }

  /** A binary op whose either side may be a Java number, which becomes a scalar constant. */
  static DslOp binary(String name, Rule rule) {
    return DslOp.of(name, a -> a.builder().node(rule, Attrs.NONE, name, a.tensorOrNumber(0), a.tensorOrNumber(1)));
  }
}
