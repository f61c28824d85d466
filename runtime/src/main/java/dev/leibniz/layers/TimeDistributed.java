package dev.leibniz.layers;

import java.util.Objects;

/**
 * Keras's {@code TimeDistributed}: {@code layer} applied to every step of sequences
 * {@code [batch, steps, ...]} (a convnet on every frame of a video), with one set of weights. The
 * steps are merged into the batch ({@code mergeFirst}), the layer runs once on all of them, and
 * its output is split back ({@code splitFirst}); its backward is the layer's generated backward
 * between the same two reshapes. For {@code Sequential} and functional models; in a {@code @Call}
 * of your own write {@code splitFirst(layer.call(mergeFirst(x)), x)}. In weights files the layer
 * sits under {@code layer}, as Keras's.
 */
public final class TimeDistributed {
  private final Object layer;

  /** {@code layer}: a compiled layer of one input and one output. */
  public TimeDistributed(Object layer) {
    this.layer = Objects.requireNonNull(layer, "layer");
  }

  /** The layer applied to every step. */
  public Object layer() {
    return layer;
  }
}
