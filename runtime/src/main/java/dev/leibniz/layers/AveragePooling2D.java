package dev.leibniz.layers;

import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Layer;
import dev.leibniz.dsl.Padding;
import dev.leibniz.dsl.Tensor;

/** Keras's {@code AveragePooling2D}: the mean of each window (with same padding, of the positions inside); no weights. */
@Layer
public final class AveragePooling2D {
  final Pool pool;

  public AveragePooling2D(int poolH, int poolW, int strideH, int strideW, Padding padding) {
    this.pool = new Pool(false, poolH, poolW, strideH, strideW, padding);
  }

  /** {@code new AveragePooling2D(2)}: 2x2 windows, stride 2, valid padding. */
  public AveragePooling2D(int pool) {
    this(pool, pool, pool, pool, Padding.VALID);
  }

  @Call(order = 2)
  public Tensor call(Tensor x) {
    return pool.call(x);
  }
}
