package dev.leibniz.processor.ops;

import static dev.leibniz.processor.ops.Rule.op;

import dev.leibniz.processor.ir.Attrs;
import dev.leibniz.processor.ir.Op;
import dev.leibniz.processor.ir.StaticShape;
import java.util.ArrayList;
import java.util.List;

/**
 * gather(params, ids): rows of params (axis 0) at ids, an embedding lookup. Its params gradient
 * gatherGrad(g, ids, like) sums g into the rows it came from (TensorFlow's UnsortedSegmentSum,
 * dense); gatherGrad is linear in g with gather as its derivative. ids get no gradient.
 */
final class Gather {
  private Gather() {}

  static StaticShape shape(List<StaticShape> in, Attrs attrs) {
    StaticShape params = in.get(0);
    StaticShape ids = in.get(1);
    if (!params.knownRank() || !ids.knownRank()) {
      return StaticShape.UNKNOWN;
    }
    Shapes.requireAtLeastRank(params, 1, "gather", "params");
    List<Long> dims = new ArrayList<>(ids.dims());
    dims.addAll(params.dims().subList(1, params.rank()));
    return new StaticShape(dims);
  }

  static final Rule GATHER = op("gather", 2, Gather::shape, "tf.gather($0, $1)",
      (ir, n, g) -> new int[] {ir.node(Gather.GATHER_GRAD, Attrs.NONE, g, n.arg(1), n.arg(0)), Op.ZERO});

  static final Rule GATHER_GRAD = op("gatherGrad", 3, (in, attrs) -> in.get(2), "tf.gatherGrad($0, $1, $2)",
      (ir, n, g) -> new int[] {ir.node(Gather.GATHER, Attrs.NONE, g, n.arg(1)), Op.ZERO, Op.ZERO});

  static List<DslOp> dsl() {
    return List.of(DslOp.of("gather", a -> a.builder().node(GATHER, Attrs.NONE, "gather", a.tensor(0), a.tensor(1))));
  }
}
