package dev.leibniz.optimizers;

import dev.leibniz.dsl.Constraint;
import dev.leibniz.tf.TfGraph;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** A weight's {@link Constraint} as graph ops, Keras's formulas: what the optimizer assigns after each update. */
final class Constraints {
  private static final float EPSILON = 1e-7f;

  private Constraints() {}

  static Operand<TFloat32> project(TfGraph graph, Constraint c, Operand<TFloat32> w) {
    var tf = graph.tf();
    var math = graph.ops().math;
    return switch (c.kind()) {
      case NON_NEG -> tf.mul(w, graph.ops().dtypes.cast(math.greaterEqual(w, tf.scalar(0)), TFloat32.class));
      case UNIT_NORM -> tf.div(w, tf.add(tf.scalar(EPSILON), norms(graph, w, c.axis())));
      case MAX_NORM -> {
        Operand<TFloat32> norms = norms(graph, w, c.axis());
        Operand<TFloat32> desired = graph.ops().clipByValue(norms, tf.scalar(0), tf.scalar((float) c.maxValue()));
        yield tf.mul(w, tf.div(desired, tf.add(tf.scalar(EPSILON), norms)));
      }
    };
  }

  /** The L2 norm of each slice along {@code axis}, kept as an axis of size 1. */
  private static Operand<TFloat32> norms(TfGraph graph, Operand<TFloat32> w, int axis) {
    return graph.tf().sqrt(graph.tf().sum(graph.tf().square(w), new int[] {axis}, true));
  }
}
