package dev.leibniz.layers;

import static dev.leibniz.dsl.Ops.addWeight;
import static dev.leibniz.dsl.Ops.gather;

import dev.leibniz.dsl.Build;
import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Init;
import dev.leibniz.dsl.Layer;
import dev.leibniz.dsl.Shape;
import dev.leibniz.dsl.Tensor;
import dev.leibniz.dsl.Variable;
import dev.leibniz.dsl.Weight;

/**
 * Keras's {@code Embedding}: token ids (whole numbers in {@code [0, inputDim)}, held as floats)
 * to rows of a {@code [inputDim, outputDim]} table, uniform in [-0.05, 0.05) at first:
 * {@code [batch, length]} gives {@code [batch, length, outputDim]}. Its gradient is dense.
 */
@Layer
public final class Embedding {
  final int inputDim;
  final int outputDim;

  @Weight Variable embeddings;

  public Embedding(int inputDim, int outputDim) {
    if (inputDim <= 0 || outputDim <= 0) {
      throw new IllegalArgumentException("Embedding needs positive inputDim and outputDim, got " + inputDim + " and "
          + outputDim);
    }
    this.inputDim = inputDim;
    this.outputDim = outputDim;
  }

  @Build
  void build(Shape ids) {
    embeddings = addWeight("embeddings", Shape.of(inputDim, outputDim), Init.uniform(-0.05, 0.05));
  }

  @Call
  public Tensor call(Tensor ids) {
    return gather(embeddings, ids);
  }
}
