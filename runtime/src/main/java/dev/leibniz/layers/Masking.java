package dev.leibniz.layers;

import static dev.leibniz.dsl.Ops.abs;
import static dev.leibniz.dsl.Ops.expandDims;
import static dev.leibniz.dsl.Ops.greater;
import static dev.leibniz.dsl.Ops.max;
import static dev.leibniz.dsl.Ops.mul;
import static dev.leibniz.dsl.Ops.sub;

import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Layer;
import dev.leibniz.dsl.Tensor;

/**
 * Keras's {@code Masking}: in sequences {@code [batch, steps, features]}, a step whose features
 * all equal {@code maskValue} is padding. Its output is the input with those steps zeroed, and in
 * a {@code Sequential} or functional model the layers after it skip them (recurrent layers,
 * masked pooling), as Keras's.
 */
@Layer
public final class Masking {
  final double maskValue;

  public Masking(double maskValue) {
    this.maskValue = maskValue;
  }

  /** Steps of all zeros are padding. */
  public Masking() {
    this(0.0);
  }

  @Call
  public Tensor call(Tensor x) {
    return mul(x, expandDims(mask(x), -1));
  }

  /** Keras's {@code compute_mask}: 1 at steps with a feature other than the mask value, {@code [batch, steps]}. */
  @Call
  public Tensor mask(Tensor x) {
    return greater(max(abs(sub(x, maskValue)), -1, false), 0.0);
  }
}
