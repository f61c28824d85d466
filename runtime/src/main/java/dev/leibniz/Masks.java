package dev.leibniz;

import dev.leibniz.layers.Activation;
import dev.leibniz.layers.BatchNormalization;
import dev.leibniz.layers.Dense;
import dev.leibniz.layers.Dropout;
import dev.leibniz.layers.Embedding;
import dev.leibniz.layers.LayerNormalization;
import dev.leibniz.layers.LeakyReLU;
import dev.leibniz.layers.Masking;
import dev.leibniz.layers.MultiHeadAttention;
import dev.leibniz.layers.TimeDistributed;
import dev.leibniz.tf.LayerGraph;
import dev.leibniz.tf.Tf;
import java.util.List;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Keras's padding masks between the layers of a model ({@code [batch, steps]}, 1 at real steps):
 * made by {@code Embedding(maskZero)} and {@code Masking}; taken by a layer with a
 * {@code masked(x, mask)} {@code @Call} (the recurrent layers, {@code Bidirectional},
 * {@code GlobalAveragePooling1D}), which runs that instead of {@code call}, and by
 * {@code MultiHeadAttention} (its query's and value's, as Keras's); passed on by what
 * keeps the steps (a recurrent layer returning sequences, and the layers that act on each step,
 * as Keras's {@code supports_masking}, {@code TimeDistributed} among them; and
 * {@code MultiHeadAttention}, whose output has its query's mask); dropped by everything else, as
 * Keras drops it.
 */
final class Masks {
  private Masks() {}

  /** Layers that act on each step alone, so their output has the steps, and the mask, of their input. */
  private static final Set<Class<?>> PER_STEP = Set.of(Dense.class, Dropout.class, Activation.class,
      LayerNormalization.class, BatchNormalization.class, LeakyReLU.class, TimeDistributed.class);

  /** How a layer runs on masked arguments: the graph (its masked one, where it takes masks), its arguments. */
  record Routed(LayerGraph<Object> graph, List<Operand<TFloat32>> args, boolean tookMask) {}

  /**
   * The graph and arguments for {@code layer} given its arguments' masks (null: none): a one-input
   * layer with {@code masked(x, mask)} runs that; {@code MultiHeadAttention(query, value)} runs
   * {@code attentionMasked} with Keras's mask of query step t and value step s, the query's mask
   * times the value's ({@code [batch, T, 1]}, {@code [batch, 1, S]} or {@code [batch, T, S]}).
   */
  static Routed route(Tf tf, Object layer, LayerGraph<Object> graph, List<Operand<TFloat32>> args,
      List<Operand<TFloat32>> masks) {
    if (masks.stream().allMatch(java.util.Objects::isNull)) {
      return new Routed(graph, args, false);
    }
    if (args.size() == 1 && LayerGraphs.masked(layer) != null) {
      return new Routed(LayerGraphs.masked(layer), List.of(args.get(0), masks.get(0)), true);
    }
    if (layer instanceof MultiHeadAttention && args.size() == 2) {
      Operand<TFloat32> query = masks.get(0) == null ? null : tf.expandDims(masks.get(0), 2);
      Operand<TFloat32> value = masks.get(1) == null ? null : tf.expandDims(masks.get(1), 1);
      Operand<TFloat32> both = query == null ? value : value == null ? query : tf.mul(query, value);
      return new Routed(LayerGraphs.attentionMasked(layer), List.of(args.get(0), args.get(1), both), true);
    }
    return new Routed(graph, args, false);
  }

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
