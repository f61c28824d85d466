package dev.leibniz.processor.ops;

import static dev.leibniz.processor.ops.Rule.op;

import dev.leibniz.processor.ir.Attrs;
import dev.leibniz.processor.ir.JavaExpr;
import dev.leibniz.processor.ir.Op;
import dev.leibniz.processor.ir.StaticShape;
import java.util.ArrayList;
import java.util.List;

/** Scalars, ones and zeros: constant in every input, so their adjoints are zero. */
final class Constants {
  private Constants() {}

  /** A scalar from a Java number (attribute "value"): literal, field or loop index. */
  static final Rule CONSTANT = op("constant", 0, Rule::scalar,
      (args, attrs) -> "tf.scalar(" + attrs.expr("value").floatCode() + ")", (ir, n, g) -> new int[0]);

  static StaticShape fromAttr(List<StaticShape> in, Attrs attrs) {
    List<Long> dims = new ArrayList<>();
    for (JavaExpr e : attrs.exprs("shape")) {
      dims.add(Shapes.size(e));
    }
    return new StaticShape(dims);
  }

  static final Rule ONES = op("ones", 0, Constants::fromAttr,
      (args, attrs) -> "tf.ones(" + Shapes.longs(attrs.exprs("shape")) + ")", (ir, n, g) -> new int[0]);

  static final Rule ZEROS = op("zeros", 0, Constants::fromAttr,
      (args, attrs) -> "tf.zeros(" + Shapes.longs(attrs.exprs("shape")) + ")", (ir, n, g) -> new int[0]);

  static final Rule ONES_LIKE = op("onesLike", 1, Rule::sameAsFirst, "tf.onesLike($0)",
      (ir, n, g) -> new int[] {Op.ZERO});

  static final Rule ZEROS_LIKE = op("zerosLike", 1, Rule::sameAsFirst, "tf.zerosLike($0)",
      (ir, n, g) -> new int[] {Op.ZERO});

  static List<DslOp> dsl() {
    return List.of(
        DslOp.of("scalar", a -> new IrMath(a.builder()).constant(a.number(0))),
        DslOp.of("ones", a -> a.builder().node(ONES, Attrs.of("shape", a.ints(0)), "ones")),
        DslOp.of("zeros", a -> a.builder().node(ZEROS, Attrs.of("shape", a.ints(0)), "zeros")),
        Elementwise.unary("onesLike", ONES_LIKE), Elementwise.unary("zerosLike", ZEROS_LIKE));
  }
}
