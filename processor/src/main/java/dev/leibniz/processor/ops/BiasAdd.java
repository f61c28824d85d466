package dev.leibniz.processor.ops;

import static dev.leibniz.processor.ops.Rule.op;

import dev.leibniz.processor.ir.Attrs;
import dev.leibniz.processor.ir.ShapeException;
import dev.leibniz.processor.ir.StaticShape;
import java.util.List;

/** biasAdd(x, bias): TensorFlow's BiasAdd, a bias over the last axis; its bias gradient sums the others. */
final class BiasAdd {
  private BiasAdd() {}

  static StaticShape shape(List<StaticShape> in, Attrs attrs) {
    StaticShape x = in.get(0);
    StaticShape b = in.get(1);
    Shapes.requireRank(b, 1, "biasAdd", "bias");
    if (x.knownRank() && x.rank() < 1) {
      throw new ShapeException("biasAdd needs an input of rank 1 or more, got a scalar");
    }
    if (x.knownRank() && b.knownRank() && !StaticShape.compatible(x.dim(-1), b.dim(0))) {
      throw new ShapeException("biasAdd of a bias of " + b.dim(0) + " values to an input whose last axis has "
          + x.dim(-1) + ": " + x);
    }
    return x;
  }

  static final Rule BIAS_ADD = op("biasAdd", 2, BiasAdd::shape, "tf.nn().biasAdd($0, $1)",
      (ir, n, g) -> new int[] {g, ir.unbroadcast(g, n.arg(1))});

  static List<DslOp> dsl() {
    return List.of(DslOp.of("biasAdd", a -> a.builder().node(BIAS_ADD, Attrs.NONE, "biasAdd", a.tensor(0), a.tensor(1))));
  }
}
