package dev.leibniz.layers;

import static dev.leibniz.dsl.Ops.concat;

import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Layer;
import dev.leibniz.dsl.Tensor;

/** Keras's {@code Concatenate} of two inputs along {@code axis} (default the last). */
@Layer
public final class Concatenate {
  final int axis;

  public Concatenate(int axis) {
    this.axis = axis;
  }

  public Concatenate() {
    this(-1);
  }

  @Call(order = 2)
  public Tensor call(Tensor a, Tensor b) {
    return concat(a, b, axis);
  }
}
