package dev.leibniz.layers;

import static dev.leibniz.dsl.Ops.reshape;

import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Layer;
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
