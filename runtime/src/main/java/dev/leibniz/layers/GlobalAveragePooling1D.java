package dev.leibniz.layers;

import static dev.leibniz.dsl.Ops.mean;

import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Layer;
import dev.leibniz.dsl.Tensor;

/** Keras's {@code GlobalAveragePooling1D}: [batch, steps, features] to [batch, features]: the mean over the steps; no weights. */
@Layer
public final class GlobalAveragePooling1D {
  @Call
  public Tensor call(Tensor x) {
    return mean(x, new int[] {1}, false);
  }
}
