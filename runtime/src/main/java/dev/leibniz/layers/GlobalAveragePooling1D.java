package dev.leibniz.layers;

import static dev.leibniz.dsl.Ops.div;
import static dev.leibniz.dsl.Ops.expandDims;
import static dev.leibniz.dsl.Ops.mean;
import static dev.leibniz.dsl.Ops.mul;
import static dev.leibniz.dsl.Ops.sum;

import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Layer;
import dev.leibniz.dsl.Tensor;

/**
 * Keras's {@code GlobalAveragePooling1D}: [batch, steps, features] to [batch, features]: the mean
 * over the steps; no weights. {@code masked(x, mask)} averages only the steps where
 * {@code mask [batch, steps]} is 1, as Keras does with a mask from a previous layer.
 */
@Layer
public final class GlobalAveragePooling1D {
  @Call
  public Tensor call(Tensor x) {
    return mean(x, new int[] {1}, false);
  }

  @Call
  public Tensor masked(Tensor x, Tensor mask) {
    Tensor kept = expandDims(mask, 2);
    return div(sum(mul(x, kept), 1), sum(kept, 1));
  }
}
