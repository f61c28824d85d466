package dev.leibniz.layers;

import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Layer;
import dev.leibniz.dsl.Padding;
import dev.leibniz.dsl.Tensor;

/** Keras's {@code MaxPooling2D}: the max of each window (stride = window unless given); no weights. */
@Layer
public final class MaxPooling2D {
  final Pool pool;

  public MaxPooling2D(int poolH, int poolW, int strideH, int strideW, Padding padding) {
    this.pool = new Pool(true, poolH, poolW, strideH, strideW, padding);
  }

  /** {@code new MaxPooling2D(2)}: 2x2 windows, stride 2, valid padding. */
  public MaxPooling2D(int pool) {
    this(pool, pool, pool, pool, Padding.VALID);
  }

  @Call(order = 2)
  public Tensor call(Tensor x) {
    return pool.call(x);
  }
}
