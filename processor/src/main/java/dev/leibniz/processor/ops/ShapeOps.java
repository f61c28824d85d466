package dev.leibniz.processor.ops;

import static dev.leibniz.processor.ops.Rule.op;

import dev.leibniz.processor.Message;
import dev.leibniz.processor.ir.Attrs;
import dev.leibniz.processor.ir.JavaExpr;
import dev.leibniz.processor.ir.Op;
import dev.leibniz.processor.ir.OpError;
import dev.leibniz.processor.ir.StaticShape;
import java.util.ArrayList;
import java.util.List;

/**
 * reshape and transpose, and the shape plumbing of gradients: reshapeLike, and unbroadcast /
 * broadcastLike (each the derivative of the other).
 */
final class ShapeOps {
  private ShapeOps() {}

  static StaticShape reshaped(List<StaticShape> in, Attrs attrs) {
    List<JavaExpr> target = attrs.exprs("shape");
    List<Long> dims = new ArrayList<>();
    int inferred = 0;
    for (JavaExpr e : target) {
      long d = Shapes.size(e);
      if (e.isConstant() && d == -1) {
        inferred++;
      } else if (e.isConstant() && d < 0) {
        throw new OpError(Message.RESHAPE_DIMENSION, d);
      }
      dims.add(d);
    }
    if (inferred > 1) {
      throw new OpError(Message.RESHAPE_TWO_INFERRED, target);
    }
    StaticShape x = in.get(0);
    StaticShape out = new StaticShape(dims);
    if (x.fullyKnown() && out.fullyKnown()) {
      long from = x.dims().stream().reduce(1L, (p, q) -> p * q);
      long to = out.dims().stream().reduce(1L, (p, q) -> p * q);
      if (from != to) {
        throw new OpError(Message.RESHAPE_SIZE, x, from, out, to);
      }
    }
    return out;
  }

  static final Rule RESHAPE = op("reshape", 1, ShapeOps::reshaped,
      (args, attrs) -> "tf.reshape(" + args.get(0) + ", " + Shapes.longs(attrs.exprs("shape")) + ")",
      (ir, n, g) -> new int[] {ir.reshapeLike(g, n.arg(0))});

  /** reshapeLike(a, like): a in the run-time shape of like. */
  static final Rule RESHAPE_LIKE = op("reshapeLike", 2, Rule::sameAsSecond, "tf.reshapeLike($0, $1)",
      (ir, n, g) -> new int[] {ir.reshapeLike(g, n.arg(0)), Op.ZERO});

  /** [batch, everything else]: the product of the other dimensions, or -1 where one is unknown. */
  static StaticShape flattened(List<StaticShape> in, Attrs attrs) {
    StaticShape x = in.get(0);
    if (!x.knownRank()) {
      return StaticShape.ofRank(2);
    }
    if (x.rank() < 1) {
      throw new OpError(Message.SCALAR_INPUT, "flatten", "it keeps the first, batch, axis");
    }
    return new StaticShape(List.of(x.dim(0), product(x, 1, x.rank())));
  }

  /** The product of dimensions [from, to), or -1 where one is unknown. */
  private static long product(StaticShape x, int from, int to) {
    long p = 1;
    for (int i = from; i < to; i++) {
      p = x.dim(i) < 0 || p < 0 ? -1 : p * x.dim(i);
    }
    return p;
  }

  static final Rule FLATTEN = op("flatten", 1, ShapeOps::flattened, "tf.flatten($0)",
      (ir, n, g) -> new int[] {ir.reshapeLike(g, n.arg(0))});

  /** [a, b, ..., c] to [a * b * ..., c]: the last axis kept, the others merged (for per-channel statistics). */
  static StaticShape mergedLeading(List<StaticShape> in, Attrs attrs) {
    StaticShape x = in.get(0);
    if (!x.knownRank()) {
      return StaticShape.ofRank(2);
    }
    if (x.rank() < 1) {
      throw new OpError(Message.SCALAR_INPUT, "mergeLeading", "it keeps the last axis");
    }
    return new StaticShape(List.of(product(x, 0, x.rank() - 1), x.dim(-1)));
  }

  static final Rule MERGE_LEADING = op("mergeLeading", 1, ShapeOps::mergedLeading, "tf.mergeLeading($0)",
      (ir, n, g) -> new int[] {ir.reshapeLike(g, n.arg(0))});

  /** [a, b, ...] to [a * b, ...]: a batch of sequences as one batch of their steps (TimeDistributed). */
  static StaticShape mergedFirst(List<StaticShape> in, Attrs attrs) {
    StaticShape x = in.get(0);
    if (!x.knownRank()) {
      return StaticShape.UNKNOWN;
    }
    if (x.rank() < 2) {
      throw new OpError(Message.MIN_RANK, "mergeFirst", "a tensor", 2, x.rank(), x);
    }
    List<Long> dims = new ArrayList<>(x.dims().subList(1, x.rank()));
    dims.set(0, product(x, 0, 2));
    return new StaticShape(dims);
  }

  static final Rule MERGE_FIRST = op("mergeFirst", 1, ShapeOps::mergedFirst, "tf.mergeFirst($0)",
      (ir, n, g) -> new int[] {ir.node(ShapeOps.SPLIT_FIRST, Attrs.NONE, g, n.arg(0))});

  /** splitFirst(y, like): [a * b, ...] to [a, b, ...], a and b like's first two dimensions (mergeFirst undone). */
  static StaticShape splitFirstShape(List<StaticShape> in, Attrs attrs) {
    StaticShape y = in.get(0);
    StaticShape like = in.get(1);
    if (!y.knownRank()) {
      return StaticShape.UNKNOWN;
    }
    if (y.rank() < 1) {
      throw new OpError(Message.SCALAR_INPUT, "splitFirst", "it splits the first axis");
    }
    if (like.knownRank() && like.rank() < 2) {
      throw new OpError(Message.MIN_RANK, "splitFirst", "a second operand", 2, like.rank(), like);
    }
    List<Long> dims = new ArrayList<>();
    dims.add(like.knownRank() ? like.dim(0) : -1);
    dims.add(like.knownRank() ? like.dim(1) : -1);
    dims.addAll(y.dims().subList(1, y.rank()));
    return new StaticShape(dims);
  }

  static final Rule SPLIT_FIRST = op("splitFirst", 2, ShapeOps::splitFirstShape, "tf.splitFirst($0, $1)",
      (ir, n, g) -> new int[] {ir.node(ShapeOps.MERGE_FIRST, Attrs.NONE, g), Op.ZERO});

  /** [..., a * b] to [..., a, b] (attributes "a", "b"): a last axis split in two, as attention's heads. */
  static StaticShape splitLastShape(List<StaticShape> in, Attrs attrs) {
    StaticShape x = in.get(0);
    if (!x.knownRank()) {
      return StaticShape.UNKNOWN;
    }
    if (x.rank() == 0) {
      throw new OpError(Message.SCALAR_INPUT, "splitLast", "it splits the last axis");
    }
    long a = Shapes.size(attrs.expr("a"));
    long b = Shapes.size(attrs.expr("b"));
    long last = x.dim(x.rank() - 1);
    if (last >= 0 && a >= 0 && b >= 0 && last != a * b) {
      throw new OpError(Message.RESHAPE_SIZE, x, last, "[..., " + a + ", " + b + "]", a * b);
    }
    List<Long> dims = new ArrayList<>(x.dims().subList(0, x.rank() - 1));
    dims.add(a);
    dims.add(b);
    return new StaticShape(dims);
  }

  static final Rule SPLIT_LAST = op("splitLast", 1, ShapeOps::splitLastShape,
      (args, attrs) -> "tf.splitLast(" + args.get(0) + ", " + attrs.expr("a").code() + ", " + attrs.expr("b").code() + ")",
      (ir, n, g) -> new int[] {ir.reshapeLike(g, n.arg(0))});

  /** [..., a, b] to [..., a * b]: the last two axes merged. */
  static StaticShape mergeLastShape(List<StaticShape> in, Attrs attrs) {
    StaticShape x = in.get(0);
    if (!x.knownRank()) {
      return StaticShape.UNKNOWN;
    }
    Shapes.requireAtLeastRank(x, 2, "mergeLast", "a tensor");
    List<Long> dims = new ArrayList<>(x.dims().subList(0, x.rank() - 2));
    long a = x.dim(x.rank() - 2);
    long b = x.dim(x.rank() - 1);
    dims.add(a < 0 || b < 0 ? -1 : a * b);
    return new StaticShape(dims);
  }

  static final Rule MERGE_LAST = op("mergeLast", 1, ShapeOps::mergeLastShape, "tf.mergeLast($0)",
      (ir, n, g) -> new int[] {ir.reshapeLike(g, n.arg(0))});

  /** x with the order of its entries along "axis" reversed (a sequence read backwards). Linear, its own adjoint. */
  static StaticShape reversed(List<StaticShape> in, Attrs attrs) {
    StaticShape x = in.get(0);
    if (x.knownRank()) {
      Shapes.axes(List.of(attrs.expr("axis")), x, "reverse");
    }
    return x;
  }

  static final Rule REVERSE = op("reverse", 1, ShapeOps::reversed,
      (args, attrs) -> "tf.reverse(" + args.get(0) + ", " + attrs.expr("axis").code() + ")",
      (ir, n, g) -> new int[] {ir.node(ShapeOps.REVERSE, n.attrs(), g)});

  /** x with its last two axes' upper triangle (above the diagonal) zeroed: attention's causal mask. Linear. */
  static StaticShape triangle(List<StaticShape> in, Attrs attrs) {
    StaticShape x = in.get(0);
    if (x.knownRank()) {
      Shapes.requireAtLeastRank(x, 2, "lowerTriangle", "a tensor");
    }
    return x;
  }

  static final Rule LOWER_TRIANGLE = op("lowerTriangle", 1, ShapeOps::triangle, "tf.lowerTriangle($0)",
      (ir, n, g) -> new int[] {ir.node(ShapeOps.LOWER_TRIANGLE, Attrs.NONE, g)});

  /** A new axis of size 1 at "axis" (from the end of the result where negative). */
  static StaticShape expanded(List<StaticShape> in, Attrs attrs) {
    StaticShape x = in.get(0);
    JavaExpr axis = attrs.expr("axis");
    if (!x.knownRank()) {
      return StaticShape.UNKNOWN;
    }
    if (!axis.isConstant()) {
      return StaticShape.ofRank(x.rank() + 1);
    }
    int a = (int) axis.value().getAsDouble();
    int rank = x.rank() + 1;
    if (a < -rank || a >= rank) {
      throw new OpError(Message.EXPAND_AXIS_OUT_OF_RANGE, a, rank);
    }
    List<Long> dims = new ArrayList<>(x.dims());
    dims.add(a < 0 ? a + rank : a, 1L);
    return new StaticShape(dims);
  }

  static final Rule EXPAND_DIMS = op("expandDims", 1, ShapeOps::expanded,
      (args, attrs) -> "tf.expandDims(" + args.get(0) + ", " + attrs.expr("axis").code() + ")",
      (ir, n, g) -> new int[] {ir.reshapeLike(g, n.arg(0))});

  static StaticShape transposed(List<StaticShape> in, Attrs attrs) {
    StaticShape x = in.get(0);
    if (!x.knownRank()) {
      return attrs.has("perm") ? StaticShape.ofRank(attrs.exprs("perm").size()) : StaticShape.UNKNOWN;
    }
    List<Long> out = new ArrayList<>();
    if (!attrs.has("perm")) {
      for (int i = x.rank() - 1; i >= 0; i--) {
        out.add(x.dim(i));
      }
      return new StaticShape(out);
    }
    List<Integer> perm = Shapes.axes(attrs.exprs("perm"), x, "transpose");
    if (perm == null) {
      return StaticShape.ofRank(x.rank());
    }
    if (perm.size() != x.rank()) {
      throw new OpError(Message.TRANSPOSE_RANK, x.rank(), x, x.rank(), perm.size());
    }
    for (int p : perm) {
      out.add(x.dim(p));
    }
    return new StaticShape(out);
  }

  static final Rule TRANSPOSE = op("transpose", 1, ShapeOps::transposed,
      (args, attrs) -> attrs.has("perm")
          ? "tf.transpose(" + args.get(0) + ", " + Shapes.ints(attrs.exprs("perm")) + ")"
          : "tf.transpose(" + args.get(0) + ")",
      (ir, n, g) -> {
        if (!n.attrs().has("perm")) {
          return new int[] {ir.node(ShapeOps.TRANSPOSE, Attrs.NONE, g)};
        }
        List<JavaExpr> perm = n.attrs().exprs("perm");
        List<JavaExpr> inverse = new ArrayList<>(perm);
        List<Integer> normalized = Shapes.axes(perm, ir.shape(n.arg(0)), "transpose"); // constant: see dsl()
        for (int i = 0; i < normalized.size(); i++) {
          inverse.set(normalized.get(i), JavaExpr.of(i));
        }
        return new int[] {ir.node(ShapeOps.TRANSPOSE, Attrs.of("perm", List.copyOf(inverse)), g)};
      });

  /** unbroadcast(g, like): g summed over the axes along which like was broadcast. */
  static final Rule UNBROADCAST = op("unbroadcast", 2, Rule::sameAsSecond, "tf.unbroadcast($0, $1)",
      (ir, n, g) -> new int[] {ir.node(ShapeOps.BROADCAST_LIKE, Attrs.NONE, g, n.arg(0)), Op.ZERO});

  /** broadcastLike(a, like): a broadcast to the run-time shape of like. */
  static final Rule BROADCAST_LIKE = op("broadcastLike", 2, Rule::sameAsSecond, "tf.broadcastLike($0, $1)",
      (ir, n, g) -> new int[] {ir.unbroadcast(g, n.arg(0)), Op.ZERO});

  static List<DslOp> dsl() {
    return List.of(
        DslOp.of("reshape", a -> a.builder().node(RESHAPE, Attrs.of("shape", a.ints(1)), "reshape", a.tensor(0))),
        Elementwise.unary("flatten", FLATTEN),
        Elementwise.unary("mergeLeading", MERGE_LEADING),
        Elementwise.unary("mergeLast", MERGE_LAST),
        Elementwise.unary("mergeFirst", MERGE_FIRST),
        DslOp.of("splitFirst", a -> a.builder().node(SPLIT_FIRST, Attrs.NONE, "splitFirst", a.tensor(0), a.tensor(1))),
        Elementwise.unary("lowerTriangle", LOWER_TRIANGLE),
        DslOp.of("reverse", a -> a.builder().node(REVERSE, Attrs.of("axis", a.ints(1, 2).get(0)), "reverse", a.tensor(0))),
        DslOp.of("splitLast", a -> a.builder().node(SPLIT_LAST, Attrs.of("a", a.ints(1, 2).get(0), "b",
            a.ints(2, 3).get(0)), "splitLast", a.tensor(0))),
        DslOp.of("expandDims", a -> a.builder().node(EXPAND_DIMS, Attrs.of("axis", a.ints(1, 2).get(0)), "expandDims",
            a.tensor(0))),
        DslOp.of("transpose", a -> {
          if (a.count() == 1) {
            return a.builder().node(TRANSPOSE, Attrs.NONE, "transpose", a.tensor(0));
          }
          List<JavaExpr> perm = a.ints(1);
          if (!perm.stream().allMatch(JavaExpr::isConstant)) {
            throw new OpError(Message.TRANSPOSE_PERMUTATION, a.text(1));
          }
          return a.builder().node(TRANSPOSE, Attrs.of("perm", perm), "transpose", a.tensor(0));
        }));
  }
}
