package dev.leibniz.layers;

import static dev.leibniz.dsl.Ops.add;
import static dev.leibniz.dsl.Ops.addWeight;
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

  @Weight Variable kernel;
  @Weight Variable recurrentKernel;
  @Weight Variable bias;

  public SimpleRNN(int units, int steps) {
    Recurrence.check("SimpleRNN", units, steps);
    this.units = units;
    this.steps = steps;
  }

  @Build
  void build(Shape input) {
    Recurrence.checkInput("SimpleRNN", input, steps);
    kernel = addWeight("kernel", Shape.of(input.last(), units), Init.GLOROT_UNIFORM);
    recurrentKernel = addWeight("recurrent_kernel", Shape.of(units, units), Init.GLOROT_UNIFORM);
    bias = addWeight("bias", Shape.of(units), Init.ZEROS);
  }

  @Call
  public Tensor call(Tensor x) {
    Tensor h = tanh(add(matmul(take(x, 1, 0), kernel), bias)); // the first step, from h = 0
    for (int t = 1; t < steps; t++) {
      h = tanh(add(add(matmul(take(x, 1, t), kernel), matmul(h, recurrentKernel)), bias));
    }
    return h;
  }
}
