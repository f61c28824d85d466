package dev.leibniz.layers;

import static dev.leibniz.dsl.Ops.add;
import static dev.leibniz.dsl.Ops.addWeight;
import static dev.leibniz.dsl.Ops.firstRows;
import static dev.leibniz.dsl.Ops.zerosLike;

import dev.leibniz.dsl.Build;
import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Init;
import dev.leibniz.dsl.Layer;
import dev.leibniz.dsl.Shape;
import dev.leibniz.dsl.Tensor;
import dev.leibniz.dsl.Variable;
import dev.leibniz.dsl.Weight;

/**
 * KerasHub's {@code PositionEmbedding}: a learned vector per position, {@code embeddings
 * [sequenceLength, features]} (Glorot-uniform, as KerasHub's default), returned for each step of
 * {@code [batch, steps, features]} inputs (broadcast to their shape; add it to the inputs:
 * {@code add(x, positions.call(x))}). Sequences may be of any length up to {@code sequenceLength},
 * counted when the graph runs.
 */
@Layer
public final class PositionEmbedding {
  final int sequenceLength;
  @Weight Variable embeddings;

  public PositionEmbedding(int sequenceLength) {
    if (sequenceLength <= 0) {
      throw new IllegalArgumentException("PositionEmbedding needs a positive sequenceLength, got " + sequenceLength);
    }
    this.sequenceLength = sequenceLength;
  }

  @Build
  void build(Shape inputs) {
    if (inputs.rank() != 3 || inputs.last() < 0) {
      throw new IllegalArgumentException("PositionEmbedding expects [batch, steps, features] with known features, got "
          + inputs);
    }
    if (inputs.dim(1) > sequenceLength) {
      throw new IllegalArgumentException("PositionEmbedding(" + sequenceLength + ") has no positions for " + inputs.dim(1)
          + " steps: give it a sequenceLength of at least the longest sequence");
    }
    embeddings = addWeight("embeddings", Shape.of(sequenceLength, inputs.last()), Init.GLOROT_UNIFORM);
  }

  @Call
  public Tensor call(Tensor inputs) {
    return add(zerosLike(inputs), firstRows(embeddings, inputs));
  }
}
