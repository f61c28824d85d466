package dev.leibniz.processor.ops;

import static dev.leibniz.processor.ops.Rule.op;

import dev.leibniz.processor.Message;
import dev.leibniz.processor.ir.Attrs;
import dev.leibniz.processor.ir.OpError;
import dev.leibniz.processor.ir.StaticShape;
import java.util.List;

/** softmax and logSoftmax over the last axis; their derivatives are written in IR ops. */
final class Softmax {
  private Softmax() {}

  static StaticShape atLeastVector(List<StaticShape> in, Attrs attrs) {
    StaticShape x = in.get(0);
    if (x.knownRank() && x.rank() == 0) {
      throw new OpError(Message.SCALAR_INPUT, "softmax", "it normalizes the last axis");
    }
    return x;
  }

  // dx = y (g - sum(g y, last axis))
  static final Rule SOFTMAX = op("softmax", 1, Softmax::atLeastVector, "tf.softmax($0)",
      (ir, n, g) -> new int[] {ir.mul(n.id(), ir.sub(g, ir.sumLastAxis(ir.mul(g, n.id()))))});

  // dx = g - softmax(x) sum(g, last axis), with softmax(x) = exp(y)
  static final Rule LOG_SOFTMAX = op("logSoftmax", 1, Softmax::atLeastVector, "tf.logSoftmax($0)",
      (ir, n, g) -> new int[] {ir.sub(g, ir.mul(ir.node(Elementwise.EXP, Attrs.NONE, n.id()), ir.sumLastAxis(g)))});

  static List<DslOp> dsl() {
    return List.of(Elementwise.unary("softmax", SOFTMAX), Elementwise.unary("logSoftmax", LOG_SOFTMAX));
  }
}
