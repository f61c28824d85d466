package com.example;

import static dev.leibniz.dsl.Ops.addWeight;
import static dev.leibniz.dsl.Ops.mul;

import dev.leibniz.dsl.Build;
import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Init;
import dev.leibniz.dsl.Layer;
import dev.leibniz.dsl.Shape;
import dev.leibniz.dsl.Tensor;
import dev.leibniz.dsl.Variable;
import dev.leibniz.dsl.Weight;

/** A user's own layer: each feature times a weight of its own. */
@Layer
public class Scaled {
  @Weight Variable scale;

  @Build
  void build(Shape input) {
    scale = addWeight("scale", Shape.of(input.last()), Init.ONES);
  }

  @Call
  public Tensor call(Tensor x) {
    return mul(x, scale);
  }
}
