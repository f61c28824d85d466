package dev.leibniz.processor.ops;

import static dev.leibniz.processor.ops.Rule.op;

import dev.leibniz.processor.Message;
import dev.leibniz.processor.ir.Attrs;
import dev.leibniz.processor.ir.OpError;
import dev.leibniz.processor.ir.StaticShape;
import java.util.List;

/**
 * Matrix product, either side optionally transposed, and its derivative. The left operand may
 * have more axes than two ({@code [..., n, k] x [k, m]}: the last axis against a matrix, as
 * Keras's Dense on a sequence); transposed, such a left operand is contracted with a right one
 * of the same rank over every axis but the last ({@code [..., k]^T x [..., m] -> [k, m]}, the
 * kernel's gradient).
 */
final class MatMul {
  private MatMul() {}

  static StaticShape shape(List<StaticShape> in, Attrs attrs) {
    StaticShape a = in.get(0);
    StaticShape b = in.get(1);
    boolean ta = attrs.bool("transposeA");
    boolean tb = attrs.bool("transposeB");
    if (!a.knownRank() || a.rank() > 2) {
      return batched(a, b, ta, tb);
    }
    Shapes.requireRank(a, 2, "matmul", "left operand");
    Shapes.requireRank(b, 2, "matmul", "right operand");
    long rows = a.knownRank() ? a.dim(ta ? 1 : 0) : -1;
    long innerA = a.knownRank() ? a.dim(ta ? 0 : 1) : -1;
    long innerB = b.knownRank() ? b.dim(tb ? 1 : 0) : -1;
    long cols = b.knownRank() ? b.dim(tb ? 0 : 1) : -1;
    if (!StaticShape.compatible(innerA, innerB)) {
      throw new OpError(Message.MATMUL_INNER, a, b, innerA, innerB);
    }
    return StaticShape.of(rows, cols);
  }

  /** A left operand of rank above 2 (or unknown): the last axis against a matrix, or the contraction over the others. */
  private static StaticShape batched(StaticShape a, StaticShape b, boolean ta, boolean tb) {
    if (ta) {
      if (tb || (b.knownRank() && a.knownRank() && b.rank() != a.rank())) {
        throw new OpError(Message.RANK, "matmul", a.knownRank() ? a.rank() : 2, "right operand shaped as the left"
            + " one " + a, b.knownRank() ? b.rank() : -1, b);
      }
      long k = a.knownRank() ? a.dim(a.rank() - 1) : -1;
      long m = b.knownRank() ? b.dim(b.rank() - 1) : -1;
      return StaticShape.of(k, m);
    }
    Shapes.requireRank(b, 2, "matmul", "right operand");
    if (!a.knownRank()) {
      return StaticShape.UNKNOWN;
    }
    long inner = a.dim(a.rank() - 1);
    long innerB = b.knownRank() ? b.dim(tb ? 1 : 0) : -1;
    if (!StaticShape.compatible(inner, innerB)) {
      throw new OpError(Message.MATMUL_INNER, a, b, inner, innerB);
    }
    List<Long> dims = new java.util.ArrayList<>(a.dims().subList(0, a.rank() - 1));
    dims.add(b.knownRank() ? b.dim(tb ? 0 : 1) : -1);
    return new StaticShape(dims);
  }

  static final Rule MATMUL = op("matmul", 2, MatMul::shape,
      (args, attrs) -> attrs.bool("transposeA") || attrs.bool("transposeB")
          ? "tf.matmul(" + args.get(0) + ", " + args.get(1) + ", " + attrs.bool("transposeA") + ", "
              + attrs.bool("transposeB") + ")"
          : "tf.matmul(" + args.get(0) + ", " + args.get(1) + ")",
      (ir, n, g) -> {
        int a = n.arg(0);
        int b = n.arg(1);
        boolean ta = n.attrs().bool("transposeA");
        boolean tb = n.attrs().bool("transposeB");
        if (!ta && !tb) {
          return new int[] {ir.matmul(g, b, false, true), ir.matmul(a, g, true, false)};
        } else if (!ta) {
          return new int[] {ir.matmul(g, b, false, false), ir.matmul(g, a, true, false)};
        } else if (!tb) {
          return new int[] {ir.matmul(b, g, false, true), ir.matmul(a, g, false, false)};
        }
        return new int[] {ir.matmul(b, g, true, true), ir.matmul(g, a, true, true)};
      });

  static List<DslOp> dsl() {
    return List.of(DslOp.of("matmul", a -> new IrMath(a.builder()).matmul(a.tensor(0), a.tensor(1), false, false)));
  }
}
