package dev.leibniz.layers;

import static dev.leibniz.dsl.Ops.add;
import static dev.leibniz.dsl.Ops.mul;

import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Layer;
import dev.leibniz.dsl.Tensor;

/**
 * Keras's {@code Rescaling}: {@code x * scale + offset} (e.g. {@code new Rescaling(1 / 255.0)} for
 * pixels 0-255); no weights. In a model, or in a dataset's {@code map}, where it runs inside
 * TensorFlow's input pipeline.
 */
@Layer
public final class Rescaling {
  final double scale;
  final double offset;

  public Rescaling(double scale, double offset) {
    if (!Double.isFinite(scale) || !Double.isFinite(offset)) {
      throw new IllegalArgumentException("Rescaling takes a finite scale and offset, got " + scale + " and " + offset);
    }
    this.scale = scale;
    this.offset = offset;
  }

  public Rescaling(double scale) {
    this(scale, 0);
  }

  @Call(order = 2)
  public Tensor call(Tensor x) {
    return add(mul(x, scale), offset);
  }
}
