package dev.leibniz.layers;

import static dev.leibniz.dsl.Ops.max;

import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Layer;
import dev.leibniz.dsl.Tensor;

/** Keras's {@code GlobalMaxPooling2D}: [batch, height, width, channels] to [batch, channels]: the maximum over the positions; no weights. */
@Layer
public final class GlobalMaxPooling2D {
  @Call
  public Tensor call(Tensor x) {
    return max(x, new int[] {1, 2}, false);
  }
}
