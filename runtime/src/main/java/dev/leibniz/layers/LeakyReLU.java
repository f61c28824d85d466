package dev.leibniz.layers;

import static dev.leibniz.dsl.Ops.leakyRelu;

import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Layer;
import dev.leibniz.dsl.Tensor;

/** Keras's {@code LeakyReLU}: {@code x} where positive, else {@code negativeSlope x} (default 0.3); no weights. */
@Layer
public final class LeakyReLU {
  final double negativeSlope;

  public LeakyReLU(double negativeSlope) {
    if (!(negativeSlope >= 0) || Double.isInfinite(negativeSlope)) {
      throw new IllegalArgumentException("LeakyReLU's negative slope is a number >= 0, got " + negativeSlope);
    }
    this.negativeSlope = negativeSlope;
  }

  public LeakyReLU() {
    this(0.3);
  }

  @Call(order = 2)
  public Tensor call(Tensor x) {
    return leakyRelu(x, negativeSlope);
  }
}
