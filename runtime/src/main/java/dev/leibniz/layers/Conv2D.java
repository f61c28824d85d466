package dev.leibniz.layers;

import static dev.leibniz.dsl.Ops.addWeight;
import static dev.leibniz.dsl.Ops.biasAdd;
import static dev.leibniz.dsl.Ops.conv2d;

import dev.leibniz.dsl.Activations;
import dev.leibniz.dsl.Build;
import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Constraint;
import dev.leibniz.dsl.Init;
import dev.leibniz.dsl.Layer;
import dev.leibniz.dsl.Padding;
import dev.leibniz.dsl.Regularizer;
import dev.leibniz.dsl.Shape;
import dev.leibniz.dsl.Tensor;
import dev.leibniz.dsl.Variable;
import dev.leibniz.dsl.Weight;
import java.util.Objects;

/**
 * Keras's {@code Conv2D} on NHWC images {@code [batch, height, width, channels]}: a kernel
 * {@code [kh, kw, channels, filters]} (Glorot uniform), a bias per filter (zeros), strides,
 * padding and an activation.
 */
@Layer
public final class Conv2D {
  final int filters;
  final int kernelH;
  final int kernelW;
  final int strideH;
  final int strideW;
  final Padding padding;
  final boolean useBias;
  final Activation activation;
  final Regularizer kernelRegularizer;
  final Regularizer biasRegularizer;
  final Constraint kernelConstraint;
  final Constraint biasConstraint;
  final ActivityRegularization activityRegularizer;
  /** Whether the output is penalized (the @Call branches on it: a field, known when the graph is built). */
  final boolean activityRegularized;

  @Weight Variable kernel;
  @Weight Variable bias;

  public Conv2D(int filters, int kernelH, int kernelW, int strideH, int strideW, Padding padding,
      Activations activation, boolean useBias) {
    this(filters, kernelH, kernelW, strideH, strideW, padding, new Activation(activation), useBias, null, null, null,
        null, null);
  }

  private Conv2D(int filters, int kernelH, int kernelW, int strideH, int strideW, Padding padding,
      Activation activation, boolean useBias, Regularizer kernelRegularizer, Regularizer biasRegularizer,
      Constraint kernelConstraint, Constraint biasConstraint, ActivityRegularization activityRegularizer) {
    checkConfig("Conv2D", filters, kernelH, kernelW, strideH, strideW);
    this.filters = filters;
    this.kernelH = kernelH;
    this.kernelW = kernelW;
    this.strideH = strideH;
    this.strideW = strideW;
    this.padding = Objects.requireNonNull(padding, "padding");
    this.useBias = useBias;
    this.activation = activation;
    this.kernelRegularizer = kernelRegularizer;
    this.biasRegularizer = biasRegularizer;
    this.kernelConstraint = kernelConstraint;
    this.biasConstraint = biasConstraint;
    this.activityRegularizer = activityRegularizer;
    this.activityRegularized = activityRegularizer != null;
  }

  /** This layer with Keras's {@code kernel_regularizer}: the kernel's penalty added to the loss. */
  public Conv2D kernelRegularizer(Regularizer r) {
    return new Conv2D(filters, kernelH, kernelW, strideH, strideW, padding, activation, useBias, r, biasRegularizer,
        kernelConstraint, biasConstraint, activityRegularizer);
  }

  /** With Keras's {@code bias_regularizer}. */
  public Conv2D biasRegularizer(Regularizer r) {
    return new Conv2D(filters, kernelH, kernelW, strideH, strideW, padding, activation, useBias, kernelRegularizer, r,
        kernelConstraint, biasConstraint, activityRegularizer);
  }

  /** With Keras's {@code kernel_constraint} (the kernel is [kh, kw, in, out]). */
  public Conv2D kernelConstraint(Constraint c) {
    return new Conv2D(filters, kernelH, kernelW, strideH, strideW, padding, activation, useBias, kernelRegularizer,
        biasRegularizer, c, biasConstraint, activityRegularizer);
  }

  /** With Keras's {@code bias_constraint}. */
  public Conv2D biasConstraint(Constraint c) {
    return new Conv2D(filters, kernelH, kernelW, strideH, strideW, padding, activation, useBias, kernelRegularizer,
        biasRegularizer, kernelConstraint, c, activityRegularizer);
  }

  /** With Keras's {@code activity_regularizer}: the output's penalty, divided by the batch size, added to the loss. */
  public Conv2D activityRegularizer(Regularizer r) {
    return new Conv2D(filters, kernelH, kernelW, strideH, strideW, padding, activation, useBias, kernelRegularizer,
        biasRegularizer, kernelConstraint, biasConstraint, r == null ? null : new ActivityRegularization(r));
  }

  /** The checks every convolution layer's constructor makes. */
  static void checkConfig(String layer, int filters, int kernelH, int kernelW, int strideH, int strideW) {
    if (filters <= 0 || kernelH <= 0 || kernelW <= 0 || strideH <= 0 || strideW <= 0) {
      throw new IllegalArgumentException(layer + " needs positive filters, kernel size and strides, got filters "
          + filters + ", kernel " + kernelH + "x" + kernelW + ", strides " + strideH + "x" + strideW);
    }
  }

  /** {@code new Conv2D(32, 3, "relu")}: a square kernel, strides 1, valid padding. */
  public Conv2D(int filters, int kernelSize, String activation) {
    this(filters, kernelSize, kernelSize, 1, 1, Padding.VALID, Activations.of(activation), true);
  }

  public Conv2D(int filters, int kernelSize) {
    this(filters, kernelSize, "linear");
  }

  @Build
  void build(Shape input) {
    if (input.rank() != 4 || input.last() < 0) {
      throw new IllegalArgumentException("Conv2D expects images [batch, height, width, channels] with known channels,"
          + " got shape " + input + "; reshape 28x28 images with Reshape(28, 28, 1)");
    }
    kernel = addWeight("kernel", Shape.of(kernelH, kernelW, input.last(), filters), Init.GLOROT_UNIFORM,
        kernelConstraint, kernelRegularizer);
    if (useBias) {
      bias = addWeight("bias", Shape.of(filters), Init.ZEROS, biasConstraint, biasRegularizer);
    }
  }

  @Call(order = 2)
  public Tensor call(Tensor x) {
    Tensor y = conv2d(x, kernel, strideH, strideW, padding);
    if (useBias) {
      y = biasAdd(y, bias);
    }
    Tensor out = activation.call(y);
    if (activityRegularized) {
      out = activityRegularizer.call(out);
    }
    return out;
  }
}
