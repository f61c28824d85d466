package dev.leibniz.layers;

import static dev.leibniz.dsl.Ops.flatten;

import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Layer;
import dev.leibniz.dsl.Tensor;

/** Keras's {@code Flatten}: {@code [batch, a, b, ...]} to {@code [batch, a * b * ...]}; no weights. */
@Layer
public final class Flatten {
  @Call(order = 2)
  public Tensor call(Tensor x) {
    return flatten(x);
  }
}
