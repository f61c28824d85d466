package dev.leibniz.layers;

import static dev.leibniz.dsl.Ops.upSample2d;

import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Layer;
import dev.leibniz.dsl.Tensor;

/** Keras's {@code UpSampling2D} (nearest neighbour): each pixel repeated {@code sizeH x sizeW} times; no weights. */
@Layer
public final class UpSampling2D {
  final int sizeH;
  final int sizeW;

  public UpSampling2D(int sizeH, int sizeW) {
    if (sizeH < 1 || sizeW < 1) {
      throw new IllegalArgumentException("UpSampling2D's sizes are 1 or more, got " + sizeH + "x" + sizeW);
    }
    this.sizeH = sizeH;
    this.sizeW = sizeW;
  }

  /** Keras's default: 2 x 2. */
  public UpSampling2D() {
    this(2, 2);
  }

  @Call(order = 2)
  public Tensor call(Tensor x) {
    return upSample2d(x, sizeH, sizeW);
  }
}
