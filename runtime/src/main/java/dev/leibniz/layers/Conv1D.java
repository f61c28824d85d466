package dev.leibniz.layers;

import static dev.leibniz.dsl.Ops.addWeight;
import static dev.leibniz.dsl.Ops.biasAdd;
import static dev.leibniz.dsl.Ops.conv2d;
import static dev.leibniz.dsl.Ops.expandDims;
import static dev.leibniz.dsl.Ops.take;

import dev.leibniz.dsl.Activations;
import dev.leibniz.dsl.Build;
import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Init;
import dev.leibniz.dsl.Layer;
import dev.leibniz.dsl.Padding;
import dev.leibniz.dsl.Shape;
import dev.leibniz.dsl.Tensor;
import dev.leibniz.dsl.Variable;
import dev.leibniz.dsl.Weight;
import java.util.Objects;

/**
 * Keras's {@code Conv1D} on sequences {@code [batch, steps, channels]}: a kernel
 * {@code [kernelSize, channels, filters]} (Glorot uniform, Keras's layout), a bias per filter,
 * a stride and padding; computed as a 2-D convolution of height 1.
 */
@Layer
public final class Conv1D {
  final int filters;
  final int kernelSize;
  final int stride;
  final Padding padding;
  final boolean useBias;
  final Activation activation;

  @Weight Variable kernel;
  @Weight Variable bias;

  public Conv1D(int filters, int kernelSize, int stride, Padding padding, Activations activation, boolean useBias) {
    Conv2D.checkConfig("Conv1D", filters, 1, kernelSize, 1, stride);
    this.filters = filters;
    this.kernelSize = kernelSize;
    this.stride = stride;
    this.padding = Objects.requireNonNull(padding, "padding");
    this.useBias = useBias;
    this.activation = new Activation(activation);
  }

  /** {@code new Conv1D(32, 5, "relu")}: stride 1, valid padding. */
  public Conv1D(int filters, int kernelSize, String activation) {
    this(filters, kernelSize, 1, Padding.VALID, Activations.of(activation), true);
  }

  @Build
  void build(Shape input) {
    if (input.rank() != 3 || input.last() < 0) {
      throw new IllegalArgumentException("Conv1D expects sequences [batch, steps, channels] with known channels, got "
          + input);
    }
    kernel = addWeight("kernel", Shape.of(kernelSize, input.last(), filters), Init.GLOROT_UNIFORM);
    if (useBias) {
      bias = addWeight("bias", Shape.of(filters), Init.ZEROS);
    }
  }

  @Call
  public Tensor call(Tensor x) {
    Tensor y = take(conv2d(expandDims(x, 1), expandDims(kernel, 0), 1, stride, padding), 1, 0);
    if (useBias) {
      y = biasAdd(y, bias);
    }
    return activation.call(y);
  }
}
