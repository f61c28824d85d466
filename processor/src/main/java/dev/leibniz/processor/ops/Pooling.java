package dev.leibniz.processor.ops;

import static dev.leibniz.processor.ops.Rule.op;

import dev.leibniz.processor.ir.Attrs;
import dev.leibniz.processor.ir.JavaExpr;
import dev.leibniz.processor.ir.Op;
import dev.leibniz.processor.ir.StaticShape;
import java.util.List;

/**
 * maxPool, avgPool and upSample2d (NHWC) with their gradients. maxPoolGrad is linear in dy and piecewise
 * constant in x and y; its derivative in dy is TensorFlow's MaxPoolGradGrad, whose own is
 * maxPoolGrad again. avgPoolGrad is linear, with avgPool as its derivative. Attributes:
 * "window" [h, w], "strides" [h, w], "padding".
 */
final class Pooling {
  private Pooling() {}

  static StaticShape pooled(List<StaticShape> in, Attrs attrs) {
    StaticShape x = in.get(0);
    Shapes.requireRank(x, 4, "pooling", "its input [batch, height, width, channels]");
    if (!x.knownRank()) {
      return StaticShape.ofRank(4);
    }
    List<JavaExpr> window = attrs.exprs("window");
    List<JavaExpr> strides = attrs.exprs("strides");
    String p = Conv.padding(attrs);
    return StaticShape.of(x.dim(0), Conv.spatial(x.dim(1), Shapes.size(window.get(0)), strides.get(0), p, "pooling"),
        Conv.spatial(x.dim(2), Shapes.size(window.get(1)), strides.get(1), p, "pooling"), x.dim(3));
  }

  /** The window, strides and padding, as the bridge's trailing arguments. */
  static String config(Attrs attrs) {
    List<JavaExpr> w = attrs.exprs("window");
    return w.get(0).code() + ", " + w.get(1).code() + ", " + Conv.config(attrs);
  }

  private static Rule pool(String name, int arity, Rule.ShapeRule shape, Rule.VjpRule vjp) {
    return op(name, arity, shape,
        (args, attrs) -> "tf.nn()." + name + "(" + String.join(", ", args) + ", " + config(attrs) + ")", vjp);
  }

  static final Rule MAX_POOL = pool("maxPool", 1, Pooling::pooled,
      (ir, n, g) -> new int[] {ir.node(Pooling.MAX_POOL_GRAD, n.attrs(), n.arg(0), n.id(), g)});

  /** maxPoolGrad(x, y, dy). */
  static final Rule MAX_POOL_GRAD = pool("maxPoolGrad", 3, Rule::sameAsFirst,
      (ir, n, g) -> new int[] {Op.ZERO, Op.ZERO, ir.node(Pooling.MAX_POOL_GRAD_GRAD, n.attrs(), n.arg(0), n.arg(1), g)});

  /** maxPoolGradGrad(x, y, g): g read at each window's max, shaped like y. */
  static final Rule MAX_POOL_GRAD_GRAD = pool("maxPoolGradGrad", 3, Rule::sameAsSecond,
      (ir, n, g) -> new int[] {Op.ZERO, Op.ZERO, ir.node(Pooling.MAX_POOL_GRAD, n.attrs(), n.arg(0), n.arg(1), g)});

  static final Rule AVG_POOL = pool("avgPool", 1, Pooling::pooled,
      (ir, n, g) -> new int[] {ir.node(Pooling.AVG_POOL_GRAD, n.attrs(), n.arg(0), g)});

  /** avgPoolGrad(like x, dy). */
  static final Rule AVG_POOL_GRAD = pool("avgPoolGrad", 2, Rule::sameAsFirst,
      (ir, n, g) -> new int[] {Op.ZERO, ir.node(Pooling.AVG_POOL, n.attrs(), g)});

  static StaticShape upSampled(List<StaticShape> in, Attrs attrs) {
    StaticShape x = in.get(0);
    Shapes.requireRank(x, 4, "upSample2d", "its input [batch, height, width, channels]");
    if (!x.knownRank()) {
      return StaticShape.ofRank(4);
    }
    List<JavaExpr> size = attrs.exprs("size");
    return StaticShape.of(x.dim(0), times(x.dim(1), size.get(0)), times(x.dim(2), size.get(1)), x.dim(3));
  }

  private static long times(long dim, JavaExpr factor) {
    return dim < 0 || !factor.isConstant() ? -1 : dim * (long) factor.value().getAsDouble();
  }

  private static String sizes(Attrs attrs) {
    return attrs.exprs("size").get(0).code() + ", " + attrs.exprs("size").get(1).code();
  }

  /** upSample2d(x): each pixel repeated size h x size w times (Keras's UpSampling2D, nearest). Linear. */
  static final Rule UP_SAMPLE = op("upSample2d", 1, Pooling::upSampled,
      (args, attrs) -> "tf.nn().upSample2d(" + args.get(0) + ", " + sizes(attrs) + ")",
      (ir, n, g) -> new int[] {ir.node(Pooling.UP_SAMPLE_GRAD, n.attrs(), g, n.arg(0))});

  /** upSample2dGrad(dy, like x): dy summed over each pixel's block; its derivative is upSample2d. */
  static final Rule UP_SAMPLE_GRAD = op("upSample2dGrad", 2, Rule::sameAsSecond,
      (args, attrs) -> "tf.nn().upSample2dGrad(" + args.get(0) + ", " + args.get(1) + ", " + sizes(attrs) + ")",
      (ir, n, g) -> new int[] {ir.node(Pooling.UP_SAMPLE, n.attrs(), g), Op.ZERO});

  /** pool(x, size): size x size windows, stride size, VALID; or pool(x, ph, pw, sh, sw, padding). */
  private static DslOp dsl(String name, Rule rule) {
    return DslOp.of(name, a -> {
      Attrs attrs;
      if (a.count() == 2) {
        JavaExpr size = a.ints(1, 2).get(0);
        List<JavaExpr> square = List.of(size, size);
        attrs = Attrs.of("window", square, "strides", square, "padding", Conv.VALID);
      } else {
        attrs = Conv.stridesAndPadding(a, 3).with("window", a.ints(1, 3));
      }
      return a.builder().node(rule, attrs, name, a.tensor(0));
    });
  }

  static List<DslOp> dsl() {
    return List.of(dsl("maxPool", MAX_POOL), dsl("avgPool", AVG_POOL),
        DslOp.of("upSample2d", a -> {
          List<JavaExpr> size = a.count() == 2 ? List.of(a.ints(1, 2).get(0), a.ints(1, 2).get(0)) : a.ints(1, 3);
          return a.builder().node(UP_SAMPLE, Attrs.of("size", size), "upSample2d", a.tensor(0));
        }));
  }
}
