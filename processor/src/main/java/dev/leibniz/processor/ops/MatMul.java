package dev.leibniz.processor.ops;

import static dev.leibniz.processor.ops.Rule.op;

import dev.leibniz.processor.Message;
import dev.leibniz.processor.ir.Attrs;
import dev.leibniz.processor.ir.Op;
import dev.leibniz.processor.ir.OpError;
import dev.leibniz.processor.ir.StaticShape;
import java.util.ArrayList;
import java.util.List;

/**
 * Matrix products and their derivatives. {@code matmul(a, b)}, either side optionally
 * transposed: of matrices; of a left operand of higher rank by a matrix (its last axis
 * multiplied, the leading axes kept: Keras's Dense on a sequence); of two operands of the same
 * rank above 2 (a batch of matrix products over the leading axes, attention's). And
 * {@code matmulLeading(a, b, like)}: {@code a^T b} shaped as the right operand {@code like} (the
 * gradient of a matrix multiplied into a higher-rank operand, or of a batch).
 */
final class MatMul {
  private MatMul() {}

  static StaticShape shape(List<StaticShape> in, Attrs attrs) {
    StaticShape a = in.get(0);
    StaticShape b = in.get(1);
    boolean ta = attrs.bool("transposeA");
    boolean tb = attrs.bool("transposeB");
    if (!a.knownRank()) {
      // A matrix or a batch: decided by the operands' ranks when the graph is built (a batch's rank is b's).
      return b.knownRank() && b.rank() > 2 ? StaticShape.ofRank(b.rank()) : StaticShape.UNKNOWN;
    }
    if (a.rank() > 2 && (!b.knownRank() || b.rank() == 2)) {
      return lastAxis(a, b, ta, tb);
    }
    if (a.rank() > 2 || (b.knownRank() && b.rank() > 2)) {
      return batched(a, b, ta, tb);
    }
    Shapes.requireRank(a, 2, "matmul", "left operand");
    Shapes.requireRank(b, 2, "matmul", "right operand");
    long rows = a.dim(ta ? 1 : 0);
    long innerA = a.dim(ta ? 0 : 1);
    long innerB = b.knownRank() ? b.dim(tb ? 1 : 0) : -1;
    long cols = b.knownRank() ? b.dim(tb ? 0 : 1) : -1;
    if (!StaticShape.compatible(innerA, innerB)) {
      throw new OpError(Message.MATMUL_INNER, a, b, innerA, innerB);
    }
    return StaticShape.of(rows, cols);
  }

  /** A left operand of rank above 2 (or unknown) by a matrix: its last axis multiplied. */
  private static StaticShape lastAxis(StaticShape a, StaticShape b, boolean ta, boolean tb) {
    if (ta) {
      throw new OpError(Message.RANK, "matmul", 2, "transposed left operand", a.rank(), a);
    }
    Shapes.requireRank(b, 2, "matmul", "right operand");
    long inner = a.dim(a.rank() - 1);
    long innerB = b.knownRank() ? b.dim(tb ? 1 : 0) : -1;
    if (!StaticShape.compatible(inner, innerB)) {
      throw new OpError(Message.MATMUL_INNER, a, b, inner, innerB);
    }
    List<Long> dims = new ArrayList<>(a.dims().subList(0, a.rank() - 1));
    dims.add(b.knownRank() ? b.dim(tb ? 0 : 1) : -1);
    return new StaticShape(dims);
  }

  /** Two operands of the same rank above 2: one matrix product per position of the leading axes. */
  private static StaticShape batched(StaticShape a, StaticShape b, boolean ta, boolean tb) {
    if (!b.knownRank() || b.rank() != a.rank()) {
      throw new OpError(Message.RANK, "matmul", a.rank(), "right operand (a batch of matrices as the left one "
          + a + ")", b.knownRank() ? b.rank() : -1, b);
    }
    int r = a.rank();
    List<Long> dims = new ArrayList<>();
    for (int i = 0; i < r - 2; i++) {
      if (!StaticShape.compatible(a.dim(i), b.dim(i))) {
        throw new OpError(Message.MATMUL_INNER, a, b, a.dim(i), b.dim(i));
      }
      dims.add(Math.max(a.dim(i), b.dim(i)));
    }
    long innerA = a.dim(ta ? r - 2 : r - 1);
    long innerB = b.dim(tb ? r - 1 : r - 2);
    if (!StaticShape.compatible(innerA, innerB)) {
      throw new OpError(Message.MATMUL_INNER, a, b, innerA, innerB);
    }
    dims.add(a.dim(ta ? r - 1 : r - 2));
    dims.add(b.dim(tb ? r - 2 : r - 1));
    return new StaticShape(dims);
  }

  /** Whether {@code b} is known to be a batch of matrices (then its gradient is a batched product too). */
  private static boolean batch(IrMath ir, int b) {
    StaticShape s = ir.shape(b);
    return s.knownRank() && s.rank() > 2;
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
          return new int[] {ir.matmul(g, b, false, true), batch(ir, b) ? ir.matmul(a, g, true, false) : leading(ir, a, g, b)};
        } else if (!ta) {
          return new int[] {ir.matmul(g, b, false, false), batch(ir, b) ? ir.matmul(g, a, true, false) : leading(ir, g, a, b)};
        } else if (!tb) {
          return new int[] {ir.matmul(b, g, false, true), ir.matmul(a, g, false, false)};
        }
        return new int[] {ir.matmul(b, g, true, true), ir.matmul(g, a, true, true)};
      });

  /**
   * a^T b for the gradient of {@code like}, a right operand not known to be a batch: a plain
   * transposed product where a is known to be a matrix, else {@code matmulLeading}, which decides
   * by like's rank when the graph is built.
   */
  private static int leading(IrMath ir, int a, int b, int like) {
    StaticShape s = ir.shape(a);
    return s.knownRank() && s.rank() == 2 ? ir.matmul(a, b, true, false) : ir.node(MATMUL_LEADING, Attrs.NONE, a, b, like);
  }

  /** The shape of matmulLeading's third operand, whose gradient it is. */
  static StaticShape shapedAsLike(List<StaticShape> in, Attrs attrs) {
    return in.get(2);
  }

  /**
   * matmulLeading(a, b, like) = a^T b, shaped as {@code like}: where like is a matrix, contracted
   * over every axis but the last ([..., k] and [..., m] to [k, m], a matrix's gradient in a
   * higher-rank product); where like is a batch, one product per batch position. Its adjoints
   * are the products of the forward: b h^T for a, a h for b (like only gives the shape).
   */
  static final Rule MATMUL_LEADING = op("matmulLeading", 3, MatMul::shapedAsLike, "tf.matmulLeading($0, $1, $2)",
      (ir, n, h) -> new int[] {ir.matmul(n.arg(1), h, false, true), ir.matmul(n.arg(0), h, false, false), Op.ZERO});

  static List<DslOp> dsl() {
    return List.of(DslOp.of("matmul", a -> new IrMath(a.builder()).matmul(a.tensor(0), a.tensor(1), false, false)));
  }
}
