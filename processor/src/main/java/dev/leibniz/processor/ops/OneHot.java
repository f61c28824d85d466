package dev.leibniz.processor.ops;

import static dev.leibniz.processor.ops.Rule.op;

import dev.leibniz.processor.ir.Attrs;
import dev.leibniz.processor.ir.Op;
import dev.leibniz.processor.ir.StaticShape;
import java.util.ArrayList;
import java.util.List;

/**
 * oneHot(labels, like): class indices (held as floats) to one-hot rows as wide as the last axis
 * of {@code like}, for sparse losses. Piecewise constant in the labels and independent of the
 * values of {@code like}: both adjoints are zero.
 */
final class OneHot {
  private OneHot() {}

  static StaticShape shape(List<StaticShape> in, Attrs attrs) {
    StaticShape labels = in.get(0);
    StaticShape like = in.get(1);
    if (!labels.knownRank() || !like.knownRank()) {
      return StaticShape.UNKNOWN;
    }
    List<Long> dims = new ArrayList<>(labels.dims());
    dims.add(like.rank() == 0 ? -1L : like.dim(like.rank() - 1));
    return new StaticShape(dims);
  }

  static final Rule ONE_HOT = op("oneHot", 2, OneHot::shape, "tf.oneHot($0, $1)",
      (ir, n, g) -> new int[] {Op.ZERO, Op.ZERO});

  static List<DslOp> dsl() {
    return List.of(DslOp.of("oneHot", a -> a.builder().node(ONE_HOT, Attrs.NONE, "oneHot", a.tensor(0), a.tensor(1))));
  }
}
