package dev.leibniz;

import dev.leibniz.layers.Activation;
import dev.leibniz.layers.BatchNormalization;
import dev.leibniz.layers.Dense;
import dev.leibniz.layers.Dropout;
import dev.leibniz.layers.Embedding;
import dev.leibniz.layers.LayerNormalization;
import dev.leibniz.layers.LeakyReLU;
import dev.leibniz.layers.Masking;
import dev.leibniz.layers.TimeDistributed;
import dev.leibniz.tf.Tf;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Keras's padding masks between the layers of a model ({@code [batch, steps]}, 1 at real steps):
 * made by {@code Embedding(maskZero)} and {@code Masking}; taken by a layer with a
 * {@code masked(x, mask)} {@code @Call} (the recurrent layers, {@code Bidirectional},
 * {@code GlobalAveragePooling1D}), which runs that instead of {@code call}; passed on by what
 * keeps the steps (a recurrent layer returning sequences, and the layers that act on each step,
 * as Keras's {@code supports_masking}, {@code TimeDistributed} among them); dropped by everything else, as Keras drops it. Only
 * one-input layers take masks here; give attention its mask with {@code masked(...)} in a
 * {@code @Model} of your own.
 */
final class Masks {
  private Masks() {}

  /** Layers that act on each step alone, so their output has the steps, and the mask, of their input. */
  private static final Set<Class<?>> PER_STEP = Set.of(Dense.class, Dropout.class, Activation.class,
      LayerNormalization.class, BatchNormalization.class, LeakyReLU.class, TimeDistributed.class);

  /**
   * The mask of {@code layer}'s output, or null: its own where it makes one, its input's
   * {@code mask} where it keeps the steps ({@code tookMask}: it ran its masked graph).
   */
  static Operand<TFloat32> ofOutput(Tf tf, Object layer, Operand<TFloat32> input, Operand<TFloat32> mask,
      boolean tookMask, Operand<TFloat32> output) {
    if ((layer instanceof Embedding e && e.masksZero()) || layer instanceof Masking) {
      return LayerGraphs.mask(layer).call(tf, layer, java.util.List.of(input)).output();
    }
    boolean sequence = output.shape().numDimensions() >= 3;
    return mask != null && sequence && (tookMask || PER_STEP.contains(layer.getClass())) ? mask : null;
  }
}
