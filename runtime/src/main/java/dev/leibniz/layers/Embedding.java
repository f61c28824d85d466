package dev.leibniz.layers;

import static dev.leibniz.dsl.Ops.addWeight;
import static dev.leibniz.dsl.Ops.gather;
import static dev.leibniz.dsl.Ops.greater;

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

/**
 * Keras's {@code Embedding}: token ids (whole numbers in {@code [0, inputDim)}, held as floats)
 * to rows of a {@code [inputDim, outputDim]} table, uniform in [-0.05, 0.05) at first:
 * {@code [batch, length]} gives {@code [batch, length, outputDim]}. Its gradient is dense. With
 * {@code maskZero} (Keras's {@code mask_zero=True}), id 0 is padding: in a {@code Sequential} or
 * functional model the layers after it skip those steps (recurrent layers, masked pooling), as Keras's.
 */
@Layer
public final class Embedding {
  final int inputDim;
  final int outputDim;
  final boolean maskZero;
  final Regularizer embeddingsRegularizer;
  final Constraint embeddingsConstraint;

  @Weight Variable embeddings;

  public Embedding(int inputDim, int outputDim) {
    this(inputDim, outputDim, false);
  }

  /** With {@code maskZero}, id 0 marks padding (so a vocabulary of n words needs inputDim n + 1). */
  public Embedding(int inputDim, int outputDim, boolean maskZero) {
    this(inputDim, outputDim, maskZero, null, null);
  }

  private Embedding(int inputDim, int outputDim, boolean maskZero, Regularizer embeddingsRegularizer,
      Constraint embeddingsConstraint) {
    if (inputDim <= 0 || outputDim <= 0) {
      throw new IllegalArgumentException("Embedding needs positive inputDim and outputDim, got " + inputDim + " and "
          + outputDim);
    }
    this.inputDim = inputDim;
    this.outputDim = outputDim;
    this.maskZero = maskZero;
    this.embeddingsRegularizer = embeddingsRegularizer;
    this.embeddingsConstraint = embeddingsConstraint;
  }

  /** This layer with Keras's {@code embeddings_regularizer}: the table's penalty added to the loss. */
  public Embedding embeddingsRegularizer(Regularizer r) {
    return new Embedding(inputDim, outputDim, maskZero, r, embeddingsConstraint);
  }

  /** With Keras's {@code embeddings_constraint} ({@code Constraint.maxNorm(m, 1)}: each token's vector). */
  public Embedding embeddingsConstraint(Constraint c) {
    return new Embedding(inputDim, outputDim, maskZero, embeddingsRegularizer, c);
  }

  /** Whether id 0 is padding, which the layers after this one skip. */
  public boolean masksZero() {
    return maskZero;
  }

  @Build
  void build(Shape ids) {
    embeddings = addWeight("embeddings", Shape.of(inputDim, outputDim), Init.uniform(-0.05, 0.05),
        embeddingsConstraint, embeddingsRegularizer);
  }

  @Call
  public Tensor call(Tensor ids) {
    return gather(embeddings, ids);
  }

  /** Keras's {@code compute_mask}: 1 where the id is not 0, {@code [batch, length]}. */
  @Call
  public Tensor mask(Tensor ids) {
    return greater(ids, 0.0);
  }
}
