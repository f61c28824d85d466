package dev.leibniz.layers;

import static dev.leibniz.dsl.Ops.max;

import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Layer;
import dev.leibniz.dsl.Tensor;

/** Keras's {@code GlobalMaxPooling1D}: [batch, steps, features] to [batch, features]: the maximum over the steps; no weights. */
@Layer
public final class GlobalMaxPooling1D {
  @Call
  public Tensor call(Tensor x) {
    return max(x, new int[] {1}, false);
  }
}
