package dev.leibniz.layers;

import static dev.leibniz.dsl.Ops.mean;

import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Layer;
import dev.leibniz.dsl.Tensor;

/** Keras's {@code GlobalAveragePooling2D}: [batch, height, width, channels] to [batch, channels]: the mean over the positions; no weights. */
@Layer
public final class GlobalAveragePooling2D {
  @Call(order = 2)
  public Tensor call(Tensor x) {
    return mean(x, new int[] {1, 2}, false);
  }
}
