package dev.leibniz.layers;

import static dev.leibniz.dsl.Ops.add;
import static dev.leibniz.dsl.Ops.addWeight;
import static dev.leibniz.dsl.Ops.concat;
import static dev.leibniz.dsl.Ops.expandDims;
import static dev.leibniz.dsl.Ops.matmul;
import static dev.leibniz.dsl.Ops.take;
import static dev.leibniz.dsl.Ops.tanh;

import dev.leibniz.dsl.Build;
import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Init;
import dev.leibniz.dsl.Layer;
import dev.leibniz.dsl.Shape;
import dev.leibniz.dsl.Tensor;
import dev.leibniz.dsl.Variable;
import dev.leibniz.dsl.Weight;

/**
 * Keras's {@code SimpleRNN} over sequences {@code [batch, steps, features]} of a fixed length:
 * {@code h = tanh(x_t W + h U + b)} from {@code h = 0}, returning the last {@code h}
 * ({@code [batch, units]}). The time loop is a Java {@code for}; its backward is generated.
 */
@Layer
public final class SimpleRNN {
  final int units;
  final int steps;
  final boolean returnSequences;

  @Weight Variable kernel;
  @Weight Variable recurrentKernel;
  @Weight Variable bias;

  /** With {@code returnSequences}, the output at every step {@code [batch, steps, units]} (to stack another). */
  public SimpleRNN(int units, int steps, boolean returnSequences) {
    Recurrence.check("SimpleRNN", units, steps);
    this.units = units;
    this.steps = steps;
    this.returnSequences = returnSequences;
  }

  /** Returns the last output {@code [batch, units]}. */
  public SimpleRNN(int units, int steps) {
    this(units, steps, false);
  }

  @Build
  void build(Shape input) {
    Recurrence.checkInput("SimpleRNN", input, steps);
    kernel = addWeight("kernel", Shape.of(input.last(), units), Init.GLOROT_UNIFORM);
    recurrentKernel = addWeight("recurrent_kernel", Shape.of(units, units), Init.ORTHOGONAL);
    bias = addWeight("bias", Shape.of(units), Init.ZEROS);
  }

  @Call
  public Tensor call(Tensor x) {
    Tensor h = tanh(add(matmul(take(x, 1, 0), kernel), bias)); // the first step, from h = 0
    Tensor sequence = expandDims(h, 1);
    for (int t = 1; t < steps; t++) {
      h = tanh(add(add(matmul(take(x, 1, t), kernel), matmul(h, recurrentKernel)), bias));
      if (returnSequences) {
        sequence = concat(sequence, expandDims(h, 1), 1);
      }
    }
    Tensor out = h;
    if (returnSequences) {
      out = sequence;
    }
    return out;
  }
}
