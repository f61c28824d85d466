package dev.leibniz.layers;

import static dev.leibniz.dsl.Ops.expandDims;
import static dev.leibniz.dsl.Ops.maxPool;
import static dev.leibniz.dsl.Ops.take;

import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Layer;
import dev.leibniz.dsl.Padding;
import dev.leibniz.dsl.Tensor;

/** Keras's {@code MaxPooling1D}: the maximum over windows of {@code pool} steps, stride {@code pool}; no weights. */
@Layer
public final class MaxPooling1D {
  final int pool;

  public MaxPooling1D(int pool) {
    if (pool < 1) {
      throw new IllegalArgumentException("MaxPooling1D's pool is 1 or more, got " + pool);
    }
    this.pool = pool;
  }

  public MaxPooling1D() {
    this(2);
  }

  @Call
  public Tensor call(Tensor x) {
    return take(maxPool(expandDims(x, 1), 1, pool, 1, pool, Padding.VALID), 1, 0);
  }
}
