package dev.leibniz;

import dev.leibniz.data.Data;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keras's {@code sample_weight} and {@code class_weight}: one weight per sample, checked, and fed
 * after the targets (one copy per output, as Keras weighs every output's loss alike).
 */
final class SampleWeights {
  private SampleWeights() {}

  /** Each sample's weight from {@code sampleWeight} or {@code classWeight} (at most one), or null for neither. */
  static Data of(Data sampleWeight, Map<Integer, Double> classWeight, List<Data> y) {
    if (sampleWeight != null && classWeight != null) {
      throw new IllegalArgumentException("give sampleWeight or classWeight, not both (as Keras)");
    }
    int count = y.isEmpty() ? 0 : y.get(0).count();
    if (sampleWeight != null) {
      if (sampleWeight.sampleShape().length != 0 || sampleWeight.count() != count) {
        throw new IllegalArgumentException("sampleWeight takes one weight per sample: " + count + " numbers, got "
            + sampleWeight.count() + " samples of shape " + java.util.Arrays.toString(sampleWeight.sampleShape()));
      }
      checked(sampleWeight.values(), "sampleWeight");
      return sampleWeight;
    }
    if (classWeight == null) {
      return null;
    }
    if (y.size() != 1) {
      throw new IllegalArgumentException("classWeight is for a model with one output (as Keras); this one has " + y.size()
          + ": give sampleWeight");
    }
    classWeight.forEach((c, w) -> {
      if (c == null || w == null || c < 0 || !(w >= 0) || !Double.isFinite(w)) {
        throw new IllegalArgumentException("classWeight maps class indices (0 or more) to weights (0 or more), got " + c
            + " -> " + w);
      }
    });
    return Data.of(byClass(y.get(0), classWeight));
  }

  /** Keras's class_weight_to_sample_weights: each sample's class (its index, or its row's argmax), then its weight (1 if unlisted). */
  private static float[] byClass(Data targets, Map<Integer, Double> classWeight) {
    long[] shape = targets.sampleShape();
    int width = shape.length == 0 ? 1 : Math.toIntExact(shape[shape.length - 1]);
    if (shape.length > 1) {
      throw new IllegalArgumentException("classWeight takes one class per sample (targets of shape [n] or [n, classes]),"
          + " got targets of shape " + java.util.Arrays.toString(shape) + " per sample; give sampleWeight");
    }
    float[] v = targets.values();
    float[] out = new float[targets.count()];
    for (int i = 0; i < out.length; i++) {
      int c;
      if (width == 1) {
        c = Math.round(v[i]);
      } else {
        c = 0;
        for (int j = 1; j < width; j++) {
          c = v[i * width + j] > v[i * width + c] ? j : c;
        }
      }
      out[i] = classWeight.getOrDefault(c, 1.0).floatValue();
    }
    return out;
  }

  private static void checked(float[] weights, String what) {
    for (int i = 0; i < weights.length; i++) {
      if (!(weights[i] >= 0) || !Float.isFinite(weights[i])) {
        throw new IllegalArgumentException(what + " holds " + weights[i] + " at sample " + i
            + "; weights are finite numbers, 0 or more");
      }
    }
  }

  /** The targets, then {@code weights} once per output (none when null). */
  static List<Data> appended(List<Data> targets, Data weights) {
    if (weights == null) {
      return targets;
    }
    List<Data> out = new ArrayList<>(targets);
    targets.forEach(t -> out.add(weights));
    return out;
  }
}
