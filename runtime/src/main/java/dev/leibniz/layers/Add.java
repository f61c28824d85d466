package dev.leibniz.layers;

import static dev.leibniz.dsl.Ops.add;

import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Layer;
import dev.leibniz.dsl.Tensor;

/** Keras's {@code Add} of two inputs of the same shape: a residual connection. */
@Layer
public final class Add {
  @Call(order = 2)
  public Tensor call(Tensor a, Tensor b) {
    return add(a, b);
  }
}
