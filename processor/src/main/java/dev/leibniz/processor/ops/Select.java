package dev.leibniz.processor.ops;

import static dev.leibniz.processor.ops.Rule.op;

import dev.leibniz.processor.ir.Attrs;
import dev.leibniz.processor.ir.Op;
import dev.leibniz.processor.ir.StaticShape;
import java.util.List;

/**
 * where(mask, a, b) on a computed mask, and the comparisons that compute masks (greater, less,
 * greaterEqual, lessEqual: 1 or 0, with zero gradients). where is linear in a and b: each gets g where it was chosen.
 */
final class Select {
  private Select() {}

  static StaticShape broadcast3(List<StaticShape> in, Attrs attrs) {
    return Shapes.broadcast(Shapes.broadcast(in.get(0), in.get(1)), in.get(2));
  }

  static StaticShape broadcast2(List<StaticShape> in, Attrs attrs) {
    return Shapes.broadcast(in.get(0), in.get(1));
  }

  static final Rule WHERE = op("where", 3, Select::broadcast3, "tf.where($0, $1, $2)",
      (ir, n, g) -> {
        int zero = ir.constant(0);
        return new int[] {Op.ZERO,
            ir.unbroadcast(ir.where(n.arg(0), g, zero), n.arg(1)),
            ir.unbroadcast(ir.where(n.arg(0), zero, g), n.arg(2))};
      });

  static final Rule GREATER = comparison("greater");
  static final Rule LESS = comparison("less");
  static final Rule GREATER_EQUAL = comparison("greaterEqual");
  static final Rule LESS_EQUAL = comparison("lessEqual");

  /** 1 or 0 where the comparison holds: piecewise constant, so both adjoints are zero. */
  private static Rule comparison(String name) {
    return op(name, 2, Select::broadcast2, "tf." + name + "($0, $1)", (ir, n, g) -> new int[] {Op.ZERO, Op.ZERO});
  }

  static List<DslOp> dsl() {
    return List.of(
        DslOp.of("where", a -> a.builder().node(WHERE, Attrs.NONE, "where", a.tensor(0), a.tensorOrNumber(1),
            a.tensorOrNumber(2))),
        Arithmetic.binary("greater", GREATER), Arithmetic.binary("less", LESS),
        Arithmetic.binary("greaterEqual", GREATER_EQUAL), Arithmetic.binary("lessEqual", LESS_EQUAL));
  }
}
