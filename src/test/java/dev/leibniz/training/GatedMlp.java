package dev.leibniz.training;

import static dev.leibniz.dsl.Ops.addWeight;
import static dev.leibniz.dsl.Ops.mul;

import dev.leibniz.dsl.Build;
import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Init;
import dev.leibniz.dsl.Model;
import dev.leibniz.dsl.Shape;
import dev.leibniz.dsl.Tensor;
import dev.leibniz.dsl.Variable;
import dev.leibniz.dsl.Weight;
import dev.leibniz.layers.Dense;

/** A @Model class with sublayers and a weight of its own (a gate per hidden unit): what summary() must count. */
@Model
public final class GatedMlp {
  final Dense hidden = new Dense(8, "tanh");
  final Dense out = new Dense(3, "softmax");
  @Weight Variable gate;

  @Build
  void build(Shape x) {
    gate = addWeight("gate", Shape.of(8), Init.ONES);
  }

  @Call
  Tensor call(Tensor x) {
    return out.call(mul(hidden.call(x), gate));
  }
}
