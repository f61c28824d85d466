package dev.leibniz.layers;

import static dev.leibniz.dsl.Ops.addWeight;
import static dev.leibniz.dsl.Ops.biasAdd;
import static dev.leibniz.dsl.Ops.conv2dTranspose;

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
 * Keras's {@code Conv2DTranspose} on NHWC images: the transpose of a convolution, which grows
 * images (strides 2 and SAME padding double them). Keras's weights: a kernel
 * {@code [kh, kw, filters, channels]} (Glorot uniform) and a bias per filter (zeros).
 */
@Layer
public final class Conv2DTranspose {
  final int filters;
  final int kernelH;
  final int kernelW;
  final int strideH;
  final int strideW;
  final Padding padding;
  final boolean useBias;
  final Activation activation;

  @Weight Variable kernel;
  @Weight Variable bias;

  public Conv2DTranspose(int filters, int kernelH, int kernelW, int strideH, int strideW, Padding padding,
      Activations activation, boolean useBias) {
    Conv2D.checkConfig("Conv2DTranspose", filters, kernelH, kernelW, strideH, strideW);
    this.filters = filters;
    this.kernelH = kernelH;
    this.kernelW = kernelW;
    this.strideH = strideH;
    this.strideW = strideW;
    this.padding = Objects.requireNonNull(padding, "padding");
    this.useBias = useBias;
    this.activation = new Activation(activation);
  }

  /** {@code new Conv2DTranspose(64, 4, 2, Padding.SAME, "relu")}: a square kernel and equal strides. */
  public Conv2DTranspose(int filters, int kernelSize, int stride, Padding padding, String activation) {
    this(filters, kernelSize, kernelSize, stride, stride, padding, Activations.of(activation), true);
  }

  @Build
  void build(Shape input) {
    if (input.rank() != 4 || input.last() < 0) {
      throw new IllegalArgumentException("Conv2DTranspose expects images [batch, height, width, channels] with known"
          + " channels, got shape " + input);
    }
    kernel = addWeight("kernel", Shape.of(kernelH, kernelW, filters, input.last()), Init.GLOROT_UNIFORM);
    if (useBias) {
      bias = addWeight("bias", Shape.of(filters), Init.ZEROS);
    }
  }

  @Call(order = 2)
  public Tensor call(Tensor x) {
    Tensor y = conv2dTranspose(x, kernel, strideH, strideW, padding);
    if (useBias) {
      y = biasAdd(y, bias);
    }
    return activation.call(y);
  }
}
