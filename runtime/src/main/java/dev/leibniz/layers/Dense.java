package dev.leibniz.layers;

import static dev.leibniz.dsl.Ops.add;
import static dev.leibniz.dsl.Ops.addWeight;
import static dev.leibniz.dsl.Ops.matmul;

import dev.leibniz.dsl.Activations;
import dev.leibniz.dsl.Build;
import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Constraint;
import dev.leibniz.dsl.Init;
import dev.leibniz.dsl.Layer;
import dev.leibniz.dsl.Regularizer;
import dev.leibniz.dsl.Shape;
import dev.leibniz.dsl.Tensor;
import dev.leibniz.dsl.Variable;
import dev.leibniz.dsl.Weight;
import java.util.Objects;

/**
 * Keras's {@code Dense}: {@code activation(inputs x kernel + bias)} on the last axis of inputs
 * {@code [batch, ..., features]} (a sequence's every step, as Keras). The kernel is
 * {@code [features, units]}, created from the first input's shape; Glorot-uniform kernel and zero
 * bias by default, as in Keras.
 */
@Layer
public final class Dense {
  final int units;
  final boolean useBias;
  final Init kernelInitializer;
  final Init biasInitializer;
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

  public Dense(int units, Activations activation, boolean useBias, Init kernelInitializer, Init biasInitializer) {
    this(units, new Activation(activation), useBias, kernelInitializer, biasInitializer, null, null, null, null,
        null);
  }

  private Dense(int units, Activation activation, boolean useBias, Init kernelInitializer, Init biasInitializer,
      Regularizer kernelRegularizer, Regularizer biasRegularizer, Constraint kernelConstraint,
      Constraint biasConstraint, ActivityRegularization activityRegularizer) {
    if (units <= 0) {
      throw new IllegalArgumentException("Dense needs a positive number of units, got " + units);
    }
    this.units = units;
    this.useBias = useBias;
    this.kernelInitializer = Objects.requireNonNull(kernelInitializer, "kernelInitializer");
    this.biasInitializer = Objects.requireNonNull(biasInitializer, "biasInitializer");
    this.activation = activation;
    this.kernelRegularizer = kernelRegularizer;
    this.biasRegularizer = biasRegularizer;
    this.kernelConstraint = kernelConstraint;
    this.biasConstraint = biasConstraint;
    this.activityRegularizer = activityRegularizer;
    this.activityRegularized = activityRegularizer != null;
  }

  /** This layer with Keras's {@code kernel_regularizer}: the kernel's penalty added to the loss. */
  public Dense kernelRegularizer(Regularizer r) {
    return new Dense(units, activation, useBias, kernelInitializer, biasInitializer, r, biasRegularizer,
        kernelConstraint, biasConstraint, activityRegularizer);
  }

  /** With Keras's {@code bias_regularizer}. */
  public Dense biasRegularizer(Regularizer r) {
    return new Dense(units, activation, useBias, kernelInitializer, biasInitializer, kernelRegularizer, r,
        kernelConstraint, biasConstraint, activityRegularizer);
  }

  /** With Keras's {@code kernel_constraint}: the kernel projected after every optimizer step. */
  public Dense kernelConstraint(Constraint c) {
    return new Dense(units, activation, useBias, kernelInitializer, biasInitializer, kernelRegularizer,
        biasRegularizer, c, biasConstraint, activityRegularizer);
  }

  /** With Keras's {@code bias_constraint}. */
  public Dense biasConstraint(Constraint c) {
    return new Dense(units, activation, useBias, kernelInitializer, biasInitializer, kernelRegularizer,
        biasRegularizer, kernelConstraint, c, activityRegularizer);
  }

  /**
   * With Keras's {@code activity_regularizer}: the penalty of the layer's output, divided by the
   * batch size, added to the loss (an {@link ActivityRegularization} after the activation).
   */
  public Dense activityRegularizer(Regularizer r) {
    return new Dense(units, activation, useBias, kernelInitializer, biasInitializer, kernelRegularizer,
        biasRegularizer, kernelConstraint, biasConstraint, r == null ? null : new ActivityRegularization(r));
  }

  public Dense(int units, Activations activation) {
    this(units, activation, true, Init.GLOROT_UNIFORM, Init.ZEROS);
  }

  /** With a Keras activation name: {@code new Dense(512, "relu")}. */
  public Dense(int units, String activation) {
    this(units, Activations.of(activation));
  }

  /** Linear (no activation). */
  public Dense(int units) {
    this(units, Activations.LINEAR);
  }

  public int units() {
    return units;
  }

  @Build
  void build(Shape input) {
    if (input.rank() < 2 || input.last() < 0) {
      throw new IllegalArgumentException("Dense expects input [batch, ..., features] with known features, got"
          + " shape " + input);
    }
    kernel = addWeight("kernel", Shape.of(input.last(), units), kernelInitializer, kernelConstraint, kernelRegularizer);
    if (useBias) {
      bias = addWeight("bias", Shape.of(units), biasInitializer, biasConstraint, biasRegularizer);
    }
  }

  @Call(order = 2)
  public Tensor call(Tensor inputs) {
    Tensor y = matmul(inputs, kernel);
    if (useBias) {
      y = add(y, bias);
    }
    Tensor out = activation.call(y);
    if (activityRegularized) {
      out = activityRegularizer.call(out);
    }
    return out;
  }
}
