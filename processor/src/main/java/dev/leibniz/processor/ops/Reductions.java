package dev.leibniz.processor.ops;

import static dev.leibniz.processor.ops.Rule.op;

import dev.leibniz.processor.ir.Attrs;
import dev.leibniz.processor.ir.JavaExpr;
import dev.leibniz.processor.ir.Op;
import dev.leibniz.processor.ir.StaticShape;
import java.util.ArrayList;
import java.util.List;

/**
 * sum, mean and max over all axes or given ones (attribute "axes"; absent means all), with
 * keepDims; their gradients spread the adjoint back over the reduced axes.
 */
final class Reductions {
  private Reductions() {}

  static StaticShape reduced(List<StaticShape> in, Attrs attrs) {
    StaticShape x = in.get(0);
    boolean keep = attrs.bool("keepDims");
    if (!attrs.has("axes")) {
      return keep && x.knownRank() ? StaticShape.of(ones(x.rank())) : keep ? StaticShape.UNKNOWN : StaticShape.SCALAR;
    }
    List<Integer> axes = Shapes.axes(attrs.exprs("axes"), x, "sum/mean");
    if (!x.knownRank()) {
      return StaticShape.UNKNOWN;
    }
    if (axes == null) {
      return keep ? StaticShape.ofRank(x.rank()) : StaticShape.ofRank(x.rank() - attrs.exprs("axes").size());
    }
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < x.rank(); i++) {
      if (!axes.contains(i)) {
        out.add(x.dim(i));
      } else if (keep) {
        out.add(1L);
      }
    }
    return new StaticShape(out);
  }

  private static long[] ones(int n) {
    long[] d = new long[n];
    java.util.Arrays.fill(d, 1);
    return d;
  }

  static String emit(String method, List<String> args, Attrs attrs) {
    StringBuilder call = new StringBuilder("tf.").append(method).append('(').append(String.join(", ", args));
    if (attrs.has("axes")) {
      call.append(", ").append(Shapes.ints(attrs.exprs("axes"))).append(", ").append(attrs.bool("keepDims"));
    } else if (attrs.bool("keepDims")) {
      call.append(", null, true");
    }
    return call.append(')').toString();
  }

  static final Rule SUM = op("sum", 1, Reductions::reduced, (args, a) -> emit("sum", args, a),
      (ir, n, g) -> new int[] {ir.node(Reductions.SUM_GRAD, n.attrs(), g, n.arg(0))});

  /** sumGrad(dy, x): dy, reshaped to keep the reduced axes, broadcast to the shape of x. */
  static final Rule SUM_GRAD = op("sumGrad", 2, Rule::sameAsSecond, (args, a) -> emit("sumGrad", args, a),
      (ir, n, g) -> new int[] {ir.node(Reductions.SUM, n.attrs(), g), Op.ZERO});

  static final Rule MEAN = op("mean", 1, Reductions::reduced, (args, a) -> emit("mean", args, a),
      (ir, n, g) -> new int[] {ir.node(Reductions.MEAN_GRAD, n.attrs(), g, n.arg(0))});

  /** meanGrad(dy, x) = sumGrad(dy, x) / (number of elements reduced). */
  static final Rule MEAN_GRAD = op("meanGrad", 2, Rule::sameAsSecond, (args, a) -> emit("meanGrad", args, a),
      (ir, n, g) -> new int[] {ir.node(Reductions.MEAN, n.attrs(), g), Op.ZERO});

  /**
   * max over the axes. Its gradient goes to the elements equal to the maximum, shared among ties
   * (TensorFlow's rule): spread(g) * [x == spread(max)] / spread(count of ties).
   */
  static final Rule MAX = op("max", 1, Reductions::reduced, (args, a) -> emit("max", args, a),
      (ir, n, g) -> {
        int x = n.arg(0);
        int at = ir.greaterEqual(x, ir.node(Reductions.SUM_GRAD, n.attrs(), n.id(), x));
        int ties = ir.node(Reductions.SUM_GRAD, n.attrs(), ir.node(Reductions.SUM, n.attrs(), at), x);
        return new int[] {ir.div(ir.mul(at, ir.node(Reductions.SUM_GRAD, n.attrs(), g, x)), ties)};
      });

  static List<DslOp> dsl() {
    return List.of(reduction("sum", SUM), reduction("mean", MEAN), reduction("max", MAX));
  }

  /** (x), (x, axis), (x, axis, keepDims), (x, int[] axes, keepDims). */
  private static DslOp reduction(String name, Rule rule) {
    return DslOp.of(name, a -> {
      Attrs attrs = Attrs.of("keepDims", a.count() == 3 && a.bool(2));
      if (a.count() >= 2) {
        List<JavaExpr> axes = a.ints(1, 2);
        attrs = attrs.with("axes", axes);
      }
      return a.builder().node(rule, attrs, name, a.tensor(0));
    });
  }
}
