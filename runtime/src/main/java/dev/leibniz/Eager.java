package dev.leibniz;

import dev.leibniz.tf.Natives;
import java.util.function.Function;
import org.tensorflow.EagerSession;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * TensorFlow's kernels run one op at a time on {@link Value}s: TensorFlow's default eager
 * session, whose tensors are released as Java collects them. Results are copied to the heap.
 */
final class Eager {
  private Eager() {}

  private static final class Holder {
    static final Ops OPS = create();

    private static Ops create() {
      Natives.require();
      return Ops.create(EagerSession.getDefault());
    }
  }

  /** The value of the op {@code build} makes, copied out. */
  static Value run(Function<Ops, Operand<TFloat32>> build) {
    Ops ops = Holder.OPS;
    synchronized (Eager.class) {
      return Value.copyOf(build.apply(ops).asTensor());
    }
  }

  /** {@code v} as a constant of the eager session. */
  static Operand<TFloat32> constant(Ops ops, Value v) {
    try (TFloat32 t = v.tensor()) {
      return ops.constant(t);
    }
  }
}
