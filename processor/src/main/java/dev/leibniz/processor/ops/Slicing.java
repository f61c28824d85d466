package dev.leibniz.processor.ops;

import static dev.leibniz.processor.ops.Rule.op;

import dev.leibniz.processor.Message;
import dev.leibniz.processor.ir.Attrs;
import dev.leibniz.processor.ir.JavaExpr;
import dev.leibniz.processor.ir.Node;
import dev.leibniz.processor.ir.Op;
import dev.leibniz.processor.ir.OpError;
import dev.leibniz.processor.ir.StaticShape;
import java.util.ArrayList;
import java.util.List;

/**
 * slice (positions [begin, end) of one axis), take (one position, the axis dropped: a time step
 * of a sequence) and concat of two tensors, with their gradients: sliceGrad and takeGrad pad
 * with zeros, concatPart cuts the gradient of a concat back into its pieces. Each gradient is
 * linear, and its derivative is the forward op again, so the family is closed under
 * differentiation. Begin, end and index may be loop indices (known when the graph is built).
 */
final class Slicing {
  private Slicing() {}

  private static int axis(Attrs attrs, StaticShape x, String op) {
    List<Integer> a = Shapes.axes(List.of(attrs.expr("axis")), x, op);
    return a == null ? -1 : a.get(0);
  }

  static StaticShape sliced(List<StaticShape> in, Attrs attrs) {
    StaticShape x = in.get(0);
    if (!x.knownRank()) {
      return StaticShape.UNKNOWN;
    }
    int a = axis(attrs, x, "slice");
    JavaExpr begin = attrs.expr("begin");
    JavaExpr end = attrs.expr("end");
    List<Long> dims = new ArrayList<>(x.dims());
    if (a < 0) {
      return StaticShape.ofRank(x.rank());
    }
    if (begin.isConstant() && end.isConstant()) {
      long b = (long) begin.value().getAsDouble();
      long e = (long) end.value().getAsDouble();
      if (b < 0 || e < b || (x.dim(a) >= 0 && e > x.dim(a))) {
        throw new OpError(Message.SLICE_RANGE, b, e, a, x);
      }
      dims.set(a, e - b);
    } else {
      dims.set(a, -1L);
    }
    return new StaticShape(dims);
  }

  static StaticShape taken(List<StaticShape> in, Attrs attrs) {
    StaticShape x = in.get(0);
    if (!x.knownRank()) {
      return StaticShape.UNKNOWN;
    }
    int a = axis(attrs, x, "take");
    if (a < 0) {
      return StaticShape.ofRank(x.rank() - 1);
    }
    JavaExpr index = attrs.expr("index");
    if (index.isConstant() && x.dim(a) >= 0 && (index.value().getAsDouble() < 0
        || index.value().getAsDouble() >= x.dim(a))) {
      throw new OpError(Message.TAKE_RANGE, index, a, x);
    }
    List<Long> dims = new ArrayList<>(x.dims());
    dims.remove(a);
    return new StaticShape(dims);
  }

  static StaticShape concatenated(List<StaticShape> in, Attrs attrs) {
    StaticShape x = in.get(0);
    StaticShape y = in.get(1);
    if (!x.knownRank() || !y.knownRank()) {
      return x.knownRank() ? StaticShape.ofRank(x.rank()) : y.knownRank() ? StaticShape.ofRank(y.rank())
          : StaticShape.UNKNOWN;
    }
    if (x.rank() != y.rank()) {
      throw new OpError(Message.CONCAT_RANKS, x, y);
    }
    int a = axis(attrs, x, "concat");
    List<Long> dims = new ArrayList<>();
    for (int i = 0; i < x.rank(); i++) {
      if (i == a) {
        dims.add(x.dim(i) < 0 || y.dim(i) < 0 ? -1 : x.dim(i) + y.dim(i));
      } else if (!StaticShape.compatible(x.dim(i), y.dim(i))) {
        throw new OpError(Message.CONCAT_DIMENSIONS, a, x, y);
      } else {
        dims.add(Math.max(x.dim(i), y.dim(i)));
      }
    }
    return new StaticShape(dims);
  }

  static final Rule SLICE = op("slice", 1, Slicing::sliced,
      (args, attrs) -> "tf.slice(" + args.get(0) + ", " + attrs.expr("axis").code() + ", " + attrs.expr("begin").code()
          + ", " + attrs.expr("end").code() + ")",
      (ir, n, g) -> new int[] {ir.node(Slicing.SLICE_GRAD, n.attrs(), g, n.arg(0))});

  /** sliceGrad(g, like). */
  static final Rule SLICE_GRAD = op("sliceGrad", 2, Rule::sameAsSecond,
      (args, attrs) -> "tf.sliceGrad(" + args.get(0) + ", " + args.get(1) + ", " + attrs.expr("axis").code() + ", "
          + attrs.expr("begin").code() + ", " + attrs.expr("end").code() + ")",
      (ir, n, g) -> new int[] {ir.node(Slicing.SLICE, n.attrs(), g), Op.ZERO});

  /**
   * The sum of the gradients of two adjacent slices of one tensor, {@code sliceGrad(a, x, axis, i, j)
   * + sliceGrad(b, x, axis, j, k)}, as one: {@code sliceGrad(concat(a, b), x, axis, i, k)}; -1 where
   * they are not such. An LSTM's four gates are slices of one product: their gradients join into
   * one concat (which covers the product, so pads nothing) instead of four pads and three adds.
   */
  static int joined(IrMath ir, Node x, Node y) {
    if (x.op() != SLICE_GRAD || y.op() != SLICE_GRAD || x.arg(1) != y.arg(1)
        || !same(x.attrs().expr("axis"), y.attrs().expr("axis"))) {
      return -1;
    }
    Node first = same(x.attrs().expr("end"), y.attrs().expr("begin")) ? x
        : same(y.attrs().expr("end"), x.attrs().expr("begin")) ? y : null;
    if (first == null) {
      return -1;
    }
    Node second = first == x ? y : x;
    Attrs axis = Attrs.of("axis", x.attrs().expr("axis"));
    int pieces = ir.node(CONCAT, axis, first.arg(0), second.arg(0));
    return ir.node(SLICE_GRAD, axis.with("begin", first.attrs().expr("begin")).with("end", second.attrs().expr("end")),
        pieces, x.arg(1));
  }

  /** The same position: equal constants, or the same expression of the layer's fields and loop indices. */
  private static boolean same(JavaExpr a, JavaExpr b) {
    return a.isConstant() && b.isConstant() ? a.value().getAsDouble() == b.value().getAsDouble()
        : a.code().equals(b.code());
  }

  static final Rule TAKE = op("take", 1, Slicing::taken,
      (args, attrs) -> "tf.take(" + args.get(0) + ", " + attrs.expr("axis").code() + ", " + attrs.expr("index").code()
          + ")",
      (ir, n, g) -> new int[] {ir.node(Slicing.TAKE_GRAD, n.attrs(), g, n.arg(0))});

  /** takeGrad(g, like). */
  static final Rule TAKE_GRAD = op("takeGrad", 2, Rule::sameAsSecond,
      (args, attrs) -> "tf.takeGrad(" + args.get(0) + ", " + args.get(1) + ", " + attrs.expr("axis").code() + ", "
          + attrs.expr("index").code() + ")",
      (ir, n, g) -> new int[] {ir.node(Slicing.TAKE, n.attrs(), g), Op.ZERO});

  static final Rule CONCAT = op("concat", 2, Slicing::concatenated,
      (args, attrs) -> "tf.concat(" + args.get(0) + ", " + args.get(1) + ", " + attrs.expr("axis").code() + ")",
      (ir, n, g) -> new int[] {
          ir.node(Slicing.CONCAT_PART, n.attrs().with("part", 0), g, n.arg(0), n.arg(1)),
          ir.node(Slicing.CONCAT_PART, n.attrs().with("part", 1), g, n.arg(0), n.arg(1))});

  /** concatPart(g, a, b): the piece of g over a (part 0) or b (part 1). */
  static final Rule CONCAT_PART = op("concatPart", 3,
      (in, attrs) -> attrs.integer("part") == 0 ? in.get(1) : in.get(2),
      (args, attrs) -> "tf.concatPart(" + String.join(", ", args) + ", " + attrs.expr("axis").code() + ", "
          + attrs.integer("part") + ")",
      (ir, n, g) -> {
        Attrs axis = Attrs.of("axis", n.attrs().expr("axis"));
        int whole = n.attrs().integer("part") == 0
            ? ir.node(Slicing.CONCAT, axis, g, ir.zerosLike(n.arg(2)))
            : ir.node(Slicing.CONCAT, axis, ir.zerosLike(n.arg(1)), g);
        return new int[] {whole, Op.ZERO, Op.ZERO};
      });

  /** firstRows(table, like): table's first like.shape[axis] entries along its axis 0 (attribute "axis": 1 from the DSL). */
  static StaticShape firstRowsShape(List<StaticShape> in, Attrs attrs) {
    StaticShape table = in.get(0);
    StaticShape like = in.get(1);
    if (!table.knownRank()) {
      return StaticShape.UNKNOWN;
    }
    if (table.rank() == 0) {
      throw new OpError(Message.SCALAR_INPUT, "firstRows", "it takes rows of a table");
    }
    int a = attrs.integer("axis");
    if (like.knownRank() && like.rank() <= a) {
      throw new OpError(Message.RANK, "firstRows", a + 1, "second operand (its axis " + a + " counts the rows)",
          like.rank(), like);
    }
    long n = like.knownRank() ? like.dim(a) : -1;
    if (n >= 0 && table.dim(0) >= 0 && n > table.dim(0)) {
      throw new OpError(Message.SLICE_RANGE, 0, n, 0, table);
    }
    List<Long> dims = new ArrayList<>(table.dims());
    dims.set(0, n);
    return new StaticShape(dims);
  }

  static final Rule FIRST_ROWS = op("firstRows", 2, Slicing::firstRowsShape,
      (args, attrs) -> "tf.firstRows(" + args.get(0) + ", " + args.get(1) + ", " + attrs.integer("axis") + ")",
      (ir, n, g) -> new int[] {ir.node(Slicing.FIRST_ROWS_GRAD, Attrs.NONE, g, n.arg(0)), Op.ZERO});

  /** firstRowsGrad(g, table): g padded with zero rows to the table's. Its derivative takes g's rows back. */
  static final Rule FIRST_ROWS_GRAD = op("firstRowsGrad", 2, Rule::sameAsSecond, "tf.firstRowsGrad($0, $1)",
      (ir, n, h) -> new int[] {ir.node(Slicing.FIRST_ROWS, Attrs.of("axis", 0), h, n.arg(0)), Op.ZERO});

  static List<DslOp> dsl() {
    return List.of(
        DslOp.of("slice", a -> a.builder().node(SLICE, Attrs.of("axis", a.ints(1, 2).get(0), "begin",
            a.ints(2, 3).get(0), "end", a.ints(3, 4).get(0)), "slice", a.tensor(0))),
        DslOp.of("take", a -> a.builder().node(TAKE, Attrs.of("axis", a.ints(1, 2).get(0), "index",
            a.ints(2, 3).get(0)), "take", a.tensor(0))),
        DslOp.of("concat", a -> a.builder().node(CONCAT, Attrs.of("axis", a.ints(2, 3).get(0)), "concat",
            a.tensor(0), a.tensor(1))),
        DslOp.of("firstRows", a -> a.builder().node(FIRST_ROWS, Attrs.of("axis", 1), "firstRows", a.tensor(0),
            a.tensor(1))));
  }
}
