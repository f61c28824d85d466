package dev.leibniz.processor.ops;

import static dev.leibniz.processor.ops.Rule.op;

import dev.leibniz.processor.ir.Attrs;
import dev.leibniz.processor.ir.Op;
import dev.leibniz.processor.ir.StaticShape;
import java.util.List;

/**
 * where(mask, a, b) on a computed mask, and the comparisons that compute masks (greater, less:
 * 1 or 0, with zero gradients). where is linear in a and b: each gets g where it was chosen.
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
        int zeros = ir.zerosLike(g);
        return new int[] {Op.ZERO,
            ir.unbroadcast(ir.node(Select.WHERE, Attrs.NONE, n.arg(0), g, zeros), n.arg(1)),
            ir.unbroadcast(ir.node(Select.WHERE, Attrs.NONE, n.arg(0), zeros, g), n.arg(2))};
      });

  static final Rule GREATER = op("greater", 2, Select::broadcast2, "tf.greater($0, $1)",
      (ir, n, g) -> new int[] {Op.ZERO, Op.ZERO});

  static final Rule LESS = op("less", 2, Select::broadcast2, "tf.less($0, $1)",
      (ir, n, g) -> new int[] {Op.ZERO, Op.ZERO});

  private static int operand(CallArgs a, int i) {
    return a.isTensor(i) ? a.tensor(i) : new IrMath(a.builder()).constant(a.number(i));
  }

  static List<DslOp> dsl() {
    return List.of(
        DslOp.of("where", a -> a.builder().node(WHERE, Attrs.NONE, "where", a.tensor(0), operand(a, 1), operand(a, 2))),
        DslOp.of("greater", a -> a.builder().node(GREATER, Attrs.NONE, "greater", a.tensor(0), operand(a, 1))),
        DslOp.of("less", a -> a.builder().node(LESS, Attrs.NONE, "less", a.tensor(0), operand(a, 1))));
  }
}
