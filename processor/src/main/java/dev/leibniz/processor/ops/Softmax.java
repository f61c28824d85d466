package dev.leibniz.processor.ops;

import static dev.leibniz.processor.ops.Rule.op;

import dev.leibniz.processor.Message;
import dev.leibniz.processor.ir.Attrs;
import dev.leibniz.processor.ir.OpError;
import dev.leibniz.processor.ir.StaticShape;
import java.util.List;

/** softmax and logSoftmax over the last axis, with softmax's gradient op. */
final class Softmax {
  private Softmax() {}

  static StaticShape atLeastVector(List<StaticShape> in, Attrs attrs) {
    StaticShape x = in.get(0);
    if (x.knownRank() && x.rank() == 0) {
      throw new OpError(Message.SCALAR_INPUT, "softmax", "it normalizes the last axis");
    }
    return x;
  }

  static final Rule SOFTMAX = op("softmax", 1, Softmax::atLeastVector, "tf.softmax($0)",
      (ir, n, g) -> new int[] {ir.softmaxGrad(n.id(), g)});

  /**
   * softmaxGrad(y, g) = y (g - sum(g y)) over the last axis, given y = softmax(x). An op of its
   * own so that a loss can seed the logits directly where the model ends in a softmax.
   * Linear in g (its Jacobian is symmetric, so its adjoint in g is itself); in y:
   * h (g - sum(g y)) - g sum(h y).
   */
  static final Rule SOFTMAX_GRAD = op("softmaxGrad", 2, Rule::sameAsFirst, "tf.softmaxGrad($0, $1)",
      (ir, n, h) -> {
        int y = n.arg(0);
        int g = n.arg(1);
        int dy = ir.sub(ir.mul(h, ir.sub(g, ir.sumLastAxis(ir.mul(g, y)))), ir.mul(g, ir.sumLastAxis(ir.mul(h, y))));
        return new int[] {dy, ir.softmaxGrad(y, h)};
      });

  // dx = g - softmax(x) sum(g, last axis), with softmax(x) = exp(y)
  static final Rule LOG_SOFTMAX = op("logSoftmax", 1, Softmax::atLeastVector, "tf.logSoftmax($0)",
      (ir, n, g) -> new int[] {ir.sub(g, ir.mul(ir.node(Elementwise.EXP, Attrs.NONE, n.id()), ir.sumLastAxis(g)))});

  static List<DslOp> dsl() {
    return List.of(Elementwise.unary("softmax", SOFTMAX), Elementwise.unary("logSoftmax", LOG_SOFTMAX));
  }
}
