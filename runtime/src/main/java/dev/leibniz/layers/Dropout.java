package dev.leibniz.layers;

import static dev.leibniz.dsl.Ops.dropout;

import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Layer;
import dev.leibniz.dsl.Tensor;

/**
 * Keras's {@code Dropout}: in fit's training steps each input is zeroed with probability
 * {@code rate} and the rest scaled by {@code 1 / (1 - rate)}; in evaluate, predict and exported
 * models it passes inputs through. Masks come from the step's seed: reproducible runs.
 */
@Layer
public final class Dropout {
  final double rate;

  public Dropout(double rate) {
    if (!(rate >= 0 && rate < 1)) {
      throw new IllegalArgumentException("Dropout rate must be in [0, 1), got " + rate);
    }
    this.rate = rate;
  }

  @Call
  public Tensor call(Tensor x) {
    return dropout(x, rate);
  }
}
