package dev.leibniz.layers;

import static dev.leibniz.dsl.Ops.reshape;

import dev.leibniz.dsl.Build;
import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Layer;
import dev.leibniz.dsl.Shape;
import dev.leibniz.dsl.Tensor;
import java.util.Arrays;

/**
 * Keras's {@code Reshape}: each sample to {@code targetShape} (the batch axis is kept), of rank
 * 1 to 4; one dimension may be -1.
 */
@Layer
public final class Reshape {
  final int rank;
  final long d0;
  final long d1;
  final long d2;
  final long d3;

  public Reshape(long... targetShape) {
    if (targetShape.length < 1 || targetShape.length > 4) {
      throw new IllegalArgumentException("Reshape takes a target shape of rank 1 to 4 (without the batch axis), got "
          + Arrays.toString(targetShape));
    }
    if (Arrays.stream(targetShape).filter(t -> t == -1).count() > 1
        || Arrays.stream(targetShape).anyMatch(t -> t == 0 || t < -1)) {
      throw new IllegalArgumentException("Reshape's target shape has positive dimensions and at most one -1, got "
          + Arrays.toString(targetShape));
    }
    long[] d = Arrays.copyOf(targetShape, 4);
    this.rank = targetShape.length;
    this.d0 = d[0];
    this.d1 = d[1];
    this.d2 = d[2];
    this.d3 = d[3];
  }

  public long[] targetShape() {
    return Arrays.copyOf(new long[] {d0, d1, d2, d3}, rank);
  }

  /**
   * Each sample must fill the target exactly (as Keras checks): a target that does not divide
   * the sample size would mix the samples of a batch.
   */
  @Build
  void build(Shape input) {
    long sample = 1;
    for (int i = 1; i < input.rank(); i++) {
      if (input.dim(i) < 0) {
        return; // known only when the graph runs
      }
      sample *= input.dim(i);
    }
    long target = 1;
    boolean free = false;
    for (long t : targetShape()) {
      free |= t == -1;
      target *= t == -1 ? 1 : t;
    }
    if (free ? sample % target != 0 : sample != target) {
      long[] in = Arrays.copyOfRange(input.dims(), 1, input.rank());
      throw new IllegalArgumentException("Reshape" + Arrays.toString(targetShape()) + " cannot hold samples of shape "
          + Arrays.toString(in) + " (" + sample + " values each): the target must have " + sample + " values"
          + (free ? ", with -1 standing for a whole number of them" : ""));
    }
  }

  @Call(order = 2)
  public Tensor call(Tensor x) {
    Tensor y = x;
    if (rank == 1) {
      y = reshape(x, -1, d0);
    } else if (rank == 2) {
      y = reshape(x, -1, d0, d1);
    } else if (rank == 3) {
      y = reshape(x, -1, d0, d1, d2);
    } else {
      y = reshape(x, -1, d0, d1, d2, d3);
    }
    return y;
  }
}
