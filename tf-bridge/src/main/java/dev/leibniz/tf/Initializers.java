package dev.leibniz.tf;

import dev.leibniz.dsl.Init;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The initial value of a weight, as Keras's initializers compute it, from TensorFlow's stateless
 * random ops seeded by the graph seed and the weight's position: runs are reproducible.
 */
final class Initializers {
  private Initializers() {}

  static Operand<TFloat32> value(Ops ops, Init init, Shape shape, long seed, int index) {
    Operand<TInt64> seeds = ops.constant(new long[] {seed, index});
    Operand<TInt32> dims = TfGraph.dims(ops, shape.asArray());
    if (init instanceof Init.Constant c) {
      return ops.fill(dims, ops.constant((float) c.value()));
    } else if (init instanceof Init.RandomUniform u) {
      return uniform(ops, dims, seeds, u.min(), u.max());
    } else if (init instanceof Init.Orthogonal o) {
      return orthogonal(ops, shape, seeds, o.gain());
    } else if (init instanceof Init.UnitForgetBias) {
      long[] d = shape.asArray();
      if (d.length != 1 || d[0] % 4 != 0) {
        throw new IllegalArgumentException("the unit forget bias is a vector of 4 units, got shape " + shape);
      }
      float[] bias = new float[(int) d[0]];
      java.util.Arrays.fill(bias, bias.length / 4, bias.length / 2, 1f);
      return ops.constant(bias);
    } else if (init instanceof Init.RandomNormal n) {
      Operand<TFloat32> z = ops.random.statelessRandomNormal(dims, seeds, TFloat32.class);
      return ops.math.add(ops.math.mul(z, ops.constant((float) n.stddev())), ops.constant((float) n.mean()));
    }
    // Glorot uniform, with Keras's fan-in and fan-out: the last two dimensions, times the receptive field.
    long[] d = shape.asArray();
    long receptive = 1;
    for (int i = 0; i < d.length - 2; i++) {
      receptive *= d[i];
    }
    long fanIn = d.length == 0 ? 1 : d.length == 1 ? d[0] : d[d.length - 2] * receptive;
    long fanOut = d.length == 0 ? 1 : d[d.length - 1] * (d.length == 1 ? 1 : receptive);
    double limit = Math.sqrt(6.0 / (fanIn + fanOut));
    return uniform(ops, dims, seeds, -limit, limit);
  }

  /** Keras's Orthogonal: Q of a normal matrix's QR, columns' signs set by R's diagonal, in the weight's shape. */
  private static Operand<TFloat32> orthogonal(Ops ops, Shape shape, Operand<TInt64> seeds, double gain) {
    long[] d = shape.asArray();
    if (d.length < 2) {
      throw new IllegalArgumentException("the orthogonal initializer needs a weight of rank 2 or more, got " + shape);
    }
    long cols = d[d.length - 1];
    long rows = shape.size() / cols;
    long[] flat = {Math.max(rows, cols), Math.min(rows, cols)};
    Operand<TFloat32> a = ops.random.statelessRandomNormal(TfGraph.dims(ops, flat), seeds, TFloat32.class);
    var qr = ops.linalg.qr(a);
    Operand<TFloat32> signs = ops.math.sign(ops.linalg.matrixDiagPart(qr.r(), ops.constant(0), ops.constant(0f)));
    Operand<TFloat32> q = ops.math.mul(qr.q(), signs);
    if (rows < cols) {
      q = ops.linalg.transpose(q, ops.constant(new int[] {1, 0}));
    }
    return ops.math.mul(ops.reshape(q, ops.constant(d)), ops.constant((float) gain));
  }

  private static Operand<TFloat32> uniform(Ops ops, Operand<TInt32> dims, Operand<TInt64> seeds, double min, double max) {
    Operand<TFloat32> u = ops.random.statelessRandomUniform(dims, seeds, TFloat32.class);
    return ops.math.add(ops.math.mul(u, ops.constant((float) (max - min))), ops.constant((float) min));
  }
}
