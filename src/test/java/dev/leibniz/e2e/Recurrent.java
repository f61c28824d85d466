package dev.leibniz.e2e;

import static dev.leibniz.dsl.Ops.*;

import dev.leibniz.dsl.Build;
import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Init;
import dev.leibniz.dsl.Layer;
import dev.leibniz.dsl.Shape;
import dev.leibniz.dsl.Tensor;
import dev.leibniz.dsl.Variable;
import dev.leibniz.dsl.Weight;

/** A layer with a branch on configuration and a loop that carries a value and reuses weights. */
@Layer
final class Recurrent {
  final int units;
  final boolean useBias;
  final int steps;
  @Weight Variable kernel;
  @Weight Variable recurrent;
  @Weight Variable bias;

  Recurrent(int units, boolean useBias, int steps) {
    this.units = units;
    this.useBias = useBias;
    this.steps = steps;
  }

  @Build
  void build(Shape input) {
    kernel = addWeight("kernel", Shape.of(input.last(), units), Init.GLOROT_UNIFORM);
    recurrent = addWeight("recurrent", Shape.of(units, units), Init.normal(0, 0.5));
    if (useBias) {
      bias = addWeight("bias", Shape.of(units), Init.uniform(-0.5, 0.5));
    }
  }

  @Call
  Tensor call(Tensor x) {
    Tensor h = matmul(x, kernel);
    if (useBias) {
      h = add(h, bias);
    }
    Tensor total = zerosLike(h);
    for (int i = 0; i < steps; i++) {
      h = tanh(add(matmul(h, recurrent), x2(h)));
      total = add(total, mul(h, i + 1));
    }
    return total;
  }

  @Call
  Tensor x2(Tensor h) {
    return mul(h, 0.5);
  }
}
