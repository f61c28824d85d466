package dev.leibniz.processor.ops;

import dev.leibniz.processor.ir.Attrs;
import java.util.List;

/**
 * abs, maximum, minimum and clip: sugar over relu (STYLE 8), so they need no derivative rule of
 * their own and their second derivatives come for free.
 *
 * <pre>
 * abs(x)          = relu(x) + relu(-x)
 * maximum(a, b)   = b + relu(a - b)
 * minimum(a, b)   = a - relu(a - b)
 * clip(x, lo, hi) = lo + relu(x - lo) - relu(x - hi)    (for lo &lt;= hi)
 * </pre>
 */
final class Piecewise {
  private Piecewise() {}

  static List<DslOp> dsl() {
    return List.of(
        DslOp.of("abs", a -> {
          IrMath ir = new IrMath(a.builder());
          int x = a.tensor(0);
          return a.builder().node(Arithmetic.ADD, Attrs.NONE, "abs", ir.relu(x), ir.relu(ir.neg(x)));
        }),
        DslOp.of("maximum", a -> {
          IrMath ir = new IrMath(a.builder());
          int x = operand(a, ir, 0);
          int y = operand(a, ir, 1);
          return a.builder().node(Arithmetic.ADD, Attrs.NONE, "maximum", y, ir.relu(ir.sub(x, y)));
        }),
        DslOp.of("minimum", a -> {
          IrMath ir = new IrMath(a.builder());
          int x = operand(a, ir, 0);
          int y = operand(a, ir, 1);
          return a.builder().node(Arithmetic.SUB, Attrs.NONE, "minimum", x, ir.relu(ir.sub(x, y)));
        }),
        DslOp.of("clip", a -> {
          IrMath ir = new IrMath(a.builder());
          int x = a.tensor(0);
          int lo = ir.constant(a.number(1));
          int hi = ir.constant(a.number(2));
          int kept = ir.add(lo, ir.relu(ir.sub(x, lo)));
          return a.builder().node(Arithmetic.SUB, Attrs.NONE, "clip", kept, ir.relu(ir.sub(x, hi)));
        }));
  }

  private static int operand(CallArgs a, IrMath ir, int i) {
    return a.isTensor(i) ? a.tensor(i) : ir.constant(a.number(i));
  }
}
