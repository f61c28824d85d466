package dev.leibniz.processor.ops;

import static dev.leibniz.processor.ops.Rule.op;

import dev.leibniz.processor.Message;
import dev.leibniz.processor.ir.Attrs;
import dev.leibniz.processor.ir.JavaExpr;
import dev.leibniz.processor.ir.Op;
import dev.leibniz.processor.ir.OpError;
import dev.leibniz.processor.ir.StaticShape;
import java.util.List;

/**
 * conv2d (NHWC) and its two gradients, TensorFlow's Conv2DBackpropInput and
 * Conv2DBackpropFilter. All three are linear in each argument, and each one's derivatives are
 * the other two, so the family is closed under differentiation (second order included).
 * Attributes: "strides" [h, w] and "padding" (Java code of a {@code Padding}).
 */
final class Conv {
  private Conv() {}

  static final String PADDING = "dev.leibniz.dsl.Padding";

  /** SAME, VALID, or null where only the run time knows (a configuration field). */
  static String padding(Attrs attrs) {
    String code = attrs.expr("padding").code();
    return code.endsWith("}.SAME") ? "SAME" : code.endsWith("}.VALID") ? "VALID" : null;
  }

  /** Output positions along one spatial axis, or -1 where not known at compile time. */
  static long spatial(long size, long window, JavaExpr stride, String padding, String op) {
    if (size < 0 || window < 0 || !stride.isConstant() || padding == null) {
      return -1;
    }
    long s = (long) stride.value().getAsDouble();
    if (s < 1) {
      throw new OpError(Message.STRIDES, op, s);
    }
    if (padding.equals("SAME")) {
      return (size + s - 1) / s;
    }
    if (size < window) {
      throw new OpError(Message.WINDOW_LARGER_THAN_INPUT, op, size, window);
    }
    return (size - window) / s + 1;
  }

  static StaticShape convShape(List<StaticShape> in, Attrs attrs) {
    StaticShape x = in.get(0);
    StaticShape k = in.get(1);
    Shapes.requireRank(x, 4, "conv2d", "its input [batch, height, width, channels]");
    Shapes.requireRank(k, 4, "conv2d", "its kernel [height, width, in channels, filters]");
    if (!x.knownRank() || !k.knownRank()) {
      return StaticShape.ofRank(4);
    }
    if (!StaticShape.compatible(x.dim(3), k.dim(2))) {
      throw new OpError(Message.CONV_CHANNELS, x.dim(3), x, k.dim(2), k);
    }
    List<JavaExpr> strides = attrs.exprs("strides");
    String p = padding(attrs);
    return StaticShape.of(x.dim(0), spatial(x.dim(1), k.dim(0), strides.get(0), p, "conv2d"),
        spatial(x.dim(2), k.dim(1), strides.get(1), p, "conv2d"), k.dim(3));
  }

  /** The trailing arguments every op of the family takes: strides and padding. */
  static String config(Attrs attrs) {
    List<JavaExpr> s = attrs.exprs("strides");
    return s.get(0).code() + ", " + s.get(1).code() + ", " + attrs.expr("padding").code();
  }

  static final Rule CONV2D = op("conv2d", 2, Conv::convShape,
      (args, attrs) -> "tf.nn().conv2d(" + args.get(0) + ", " + args.get(1) + ", " + config(attrs) + ")",
      (ir, n, g) -> new int[] {
          ir.node(Conv.BACKPROP_INPUT, n.attrs(), n.arg(0), n.arg(1), g),
          ir.node(Conv.BACKPROP_FILTER, n.attrs(), n.arg(0), n.arg(1), g)});

  /** backpropInput(like x, kernel, dy): the input's gradient, conv2d transposed. */
  static final Rule BACKPROP_INPUT = op("conv2dBackpropInput", 3, Rule::sameAsFirst,
      (args, attrs) -> "tf.nn().conv2dBackpropInput(" + String.join(", ", args) + ", " + config(attrs) + ")",
      (ir, n, g) -> new int[] {Op.ZERO,
          ir.node(Conv.BACKPROP_FILTER, n.attrs(), g, n.arg(1), n.arg(2)),
          ir.node(Conv.CONV2D, n.attrs(), g, n.arg(1))});

  /** backpropFilter(x, like kernel, dy): the kernel's gradient, the correlation of x and dy. */
  static final Rule BACKPROP_FILTER = op("conv2dBackpropFilter", 3, Rule::sameAsSecond,
      (args, attrs) -> "tf.nn().conv2dBackpropFilter(" + String.join(", ", args) + ", " + config(attrs) + ")",
      (ir, n, g) -> new int[] {
          ir.node(Conv.BACKPROP_INPUT, n.attrs(), n.arg(0), g, n.arg(2)), Op.ZERO,
          ir.node(Conv.CONV2D, n.attrs(), n.arg(0), g)});

  /** Keras's deconv_output_length: (size - 1) stride + window for VALID, size stride for SAME. */
  static long transposed(long size, long window, JavaExpr stride, String padding) {
    if (size < 0 || window < 0 || !stride.isConstant() || padding == null) {
      return -1;
    }
    long s = (long) stride.value().getAsDouble();
    if (s < 1) {
      throw new OpError(Message.STRIDES, "conv2dTranspose", s);
    }
    return padding.equals("SAME") ? size * s : (size - 1) * s + window;
  }

  static StaticShape transposeShape(List<StaticShape> in, Attrs attrs) {
    StaticShape x = in.get(0);
    StaticShape k = in.get(1);
    Shapes.requireRank(x, 4, "conv2dTranspose", "its input [batch, height, width, channels]");
    Shapes.requireRank(k, 4, "conv2dTranspose", "its kernel [height, width, filters, in channels]");
    if (!x.knownRank() || !k.knownRank()) {
      return StaticShape.ofRank(4);
    }
    if (!StaticShape.compatible(x.dim(3), k.dim(3))) {
      throw new OpError(Message.CONV_CHANNELS, x.dim(3), x, k.dim(3), k);
    }
    List<JavaExpr> strides = attrs.exprs("strides");
    String p = padding(attrs);
    return StaticShape.of(x.dim(0), transposed(x.dim(1), k.dim(0), strides.get(0), p),
        transposed(x.dim(2), k.dim(1), strides.get(1), p), k.dim(2));
  }

  /**
   * conv2dTranspose(x, kernel [h, w, filters, in channels]): conv2d's input gradient taken as a
   * layer (Keras's Conv2DTranspose). Its adjoint in x is conv2d of the gradient, in the kernel
   * the filter gradient with the roles of input and output exchanged.
   */
  static final Rule CONV2D_TRANSPOSE = op("conv2dTranspose", 2, Conv::transposeShape,
      (args, attrs) -> "tf.nn().conv2dTranspose(" + args.get(0) + ", " + args.get(1) + ", " + config(attrs) + ")",
      (ir, n, g) -> new int[] {
          ir.node(Conv.CONV2D, n.attrs(), g, n.arg(1)),
          ir.node(Conv.BACKPROP_FILTER, n.attrs(), g, n.arg(1), n.arg(0))});

  static final JavaExpr VALID = JavaExpr.code("$T{" + PADDING + "}.VALID", false);

  /** Strides [h, w] and padding from arguments {@code from} on, or 1, 1, VALID where there are none. */
  static Attrs stridesAndPadding(CallArgs a, int from) {
    if (a.count() <= from) {
      return Attrs.of("strides", List.of(JavaExpr.of(1), JavaExpr.of(1)), "padding", VALID);
    }
    return Attrs.of("strides", a.ints(from, from + 2), "padding", a.number(from + 2));
  }

  static List<DslOp> dsl() {
    return List.of(DslOp.of("conv2d",
        a -> a.builder().node(CONV2D, stridesAndPadding(a, 2), "conv2d", a.tensor(0), a.tensor(1))),
        DslOp.of("conv2dTranspose", a -> a.builder().node(CONV2D_TRANSPOSE, stridesAndPadding(a, 2),
            "conv2dTranspose", a.tensor(0), a.tensor(1))));
  }
}
