package dev.leibniz.dsl;

import java.util.Arrays;
import java.util.Locale;

/**
 * The activations a layer can be configured with, by their Keras names. A {@link Call} body
 * branches on them ({@code if (activation == Activations.RELU)}) while the graph is built.
 */
public enum Activations {
  LINEAR, RELU, SIGMOID, TANH, SOFTMAX;

  /** The Keras name: "relu", "softmax", ...; "linear" or null for none. */
  public String kerasName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** By Keras name ("relu", "sigmoid", "tanh", "softmax", "linear"; null means linear). */
  public static Activations of(String name) {
    if (name == null) {
      return LINEAR;
    }
    for (Activations a : values()) {
      if (a.kerasName().equals(name.toLowerCase(Locale.ROOT))) {
        return a;
      }
    }
    throw new IllegalArgumentException("unknown activation \"" + name + "\"; expected one of "
        + Arrays.stream(values()).map(Activations::kerasName).toList());
  }
}
