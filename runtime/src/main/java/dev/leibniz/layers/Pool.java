package dev.leibniz.layers;

import static dev.leibniz.dsl.Ops.avgPool;
import static dev.leibniz.dsl.Ops.maxPool;

import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Layer;
import dev.leibniz.dsl.Padding;
import dev.leibniz.dsl.Tensor;
import java.util.Objects;

/** The pool that {@link MaxPooling2D} and {@link AveragePooling2D} hold: window, strides, padding, kind. */
@Layer
final class Pool {
  final boolean max;
  final int poolH;
  final int poolW;
  final int strideH;
  final int strideW;
  final Padding padding;

  Pool(boolean max, int poolH, int poolW, int strideH, int strideW, Padding padding) {
    if (poolH <= 0 || poolW <= 0 || strideH <= 0 || strideW <= 0) {
      throw new IllegalArgumentException("pooling needs positive window and strides, got window " + poolH + "x" + poolW
          + ", strides " + strideH + "x" + strideW);
    }
    this.max = max;
    this.poolH = poolH;
    this.poolW = poolW;
    this.strideH = strideH;
    this.strideW = strideW;
    this.padding = Objects.requireNonNull(padding, "padding");
  }

  @Call(order = 2)
  Tensor call(Tensor x) {
    Tensor y = x;
    if (max) {
      y = maxPool(x, poolH, poolW, strideH, strideW, padding);
    } else {
      y = avgPool(x, poolH, poolW, strideH, strideW, padding);
    }
    return y;
  }
}
