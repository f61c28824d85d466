package dev.leibniz.processor.ops;

import static dev.leibniz.processor.ops.Rule.op;

import dev.leibniz.processor.Message;
import dev.leibniz.processor.ir.Attrs;
import dev.leibniz.processor.ir.OpError;
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
      throw new OpError(Message.SCALAR_INPUT, "biasAdd", "it adds over the last axis");
    }
    if (x.knownRank() && b.knownRank() && !StaticShape.compatible(x.dim(-1), b.dim(0))) {
      throw new OpError(Message.BIAS_SIZE, b.dim(0), x.dim(-1), x);
    }
    return x;
  }

  static final Rule BIAS_ADD = op("biasAdd", 2, BiasAdd::shape, "tf.nn().biasAdd($0, $1)",
      (ir, n, g) -> new int[] {g, ir.unbroadcast(g, n.arg(1))});

  static List<DslOp> dsl() {
    return List.of(DslOp.of("biasAdd", a -> a.builder().node(BIAS_ADD, Attrs.NONE, "biasAdd", a.tensor(0), a.tensor(1))));
  }
}
