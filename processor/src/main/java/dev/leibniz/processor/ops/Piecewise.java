package dev.leibniz.processor.ops;

import static dev.leibniz.processor.ops.Rule.op;

import dev.leibniz.processor.Message;
import dev.leibniz.processor.ir.Attrs;
import dev.leibniz.processor.ir.Node;
import dev.leibniz.processor.ir.Op;
import dev.leibniz.processor.ir.OpError;
import dev.leibniz.processor.ir.StaticShape;
import java.util.List;

/**
 * abs, sign, maximum, minimum and clip: TensorFlow's kernels (exact, infinities included), with
 * TensorFlow's derivatives at the kinks, so that a model trains as it does in Keras: abs's slope
 * at 0 is sign(0) = 0; at a tie maximum and minimum send the gradient to their first argument;
 * clip passes it at its bounds and stops it only strictly outside them.
 */
final class Piecewise {
  private Piecewise() {}

  static final Rule ABS = op("abs", 1, Rule::sameAsFirst, "tf.abs($0)",
      (ir, n, g) -> new int[] {ir.mul(g, ir.sign(n.arg(0)))});

  static final Rule SIGN = op("sign", 1, Rule::sameAsFirst, "tf.sign($0)",
      (ir, n, g) -> new int[] {Op.ZERO});

  static final Rule MAXIMUM = op("maximum", 2, Arithmetic::broadcast, "tf.maximum($0, $1)",
      (ir, n, g) -> toChosen(ir, n, g, ir.greaterEqual(n.arg(0), n.arg(1))));

  static final Rule MINIMUM = op("minimum", 2, Arithmetic::broadcast, "tf.minimum($0, $1)",
      (ir, n, g) -> toChosen(ir, n, g, ir.lessEqual(n.arg(0), n.arg(1))));

  /** g to a where {@code firstChosen} (1 or 0), else to b; each summed back over its broadcasting. */
  private static int[] toChosen(IrMath ir, Node n, int g, int firstChosen) {
    int zero = ir.constant(0);
    return new int[] {
        ir.unbroadcast(ir.where(firstChosen, g, zero), n.arg(0)),
        ir.unbroadcast(ir.where(firstChosen, zero, g), n.arg(1))};
  }

  static StaticShape bounded(List<StaticShape> in, Attrs attrs) {
    var lo = attrs.expr("lo");
    var hi = attrs.expr("hi");
    if (lo.isConstant() && hi.isConstant() && lo.value().getAsDouble() > hi.value().getAsDouble()) {
      throw new OpError(Message.CLIP_BOUNDS, lo, hi);
    }
    return in.get(0);
  }

  /** clip(x) to [lo, hi] (numbers: literals, fields or loop indices). */
  static final Rule CLIP = op("clip", 1, Piecewise::bounded,
      (args, attrs) -> "tf.clip(" + args.get(0) + ", " + attrs.expr("lo").floatCode() + ", "
          + attrs.expr("hi").floatCode() + ")",
      (ir, n, g) -> new int[] {ir.node(Piecewise.CLIP_GRAD, n.attrs(), g, n.arg(0))});

  /** clipGrad(g, x): g where lo &lt;= x &lt;= hi, else 0. Linear in g, piecewise constant in x. */
  static final Rule CLIP_GRAD = op("clipGrad", 2, Rule::sameAsFirst,
      (args, attrs) -> "tf.clipGrad(" + args.get(0) + ", " + args.get(1) + ", " + attrs.expr("lo").floatCode() + ", "
          + attrs.expr("hi").floatCode() + ")",
      (ir, n, g) -> new int[] {ir.node(Piecewise.CLIP_GRAD, n.attrs(), g, n.arg(1)), Op.ZERO});

  static List<DslOp> dsl() {
    return List.of(Elementwise.unary("abs", ABS), Elementwise.unary("sign", SIGN), Arithmetic.binary("maximum", MAXIMUM),
        Arithmetic.binary("minimum", MINIMUM),
        DslOp.of("clip", a -> a.builder().node(CLIP, Attrs.of("lo", a.number(1), "hi", a.number(2)), "clip",
            a.tensor(0))));
  }
}
