package dev.leibniz.losses;

import java.util.List;
import java.util.Locale;

/** The built-in losses, as objects or by their Keras names ({@link #get}). */
public final class Losses {
  private Losses() {}

  /** TensorFlow's op types of the output activations whose input the cross-entropies take. */
  private static final String SOFTMAX = "Softmax";
  private static final String SIGMOID = "Sigmoid";

  public static Loss meanSquaredError() {
    return new Loss("mean_squared_error", LossFunctions_Graph.MEAN_SQUARED_ERROR, false);
  }

  public static Loss categoricalCrossentropy() {
    return categoricalCrossentropy(false);
  }

  /**
   * {@code fromLogits}: the model outputs unnormalized scores (no softmax). Either way, where the
   * predictions come from a softmax the loss is computed from its input, as Keras does.
   */
  public static Loss categoricalCrossentropy(boolean fromLogits) {
    return new Loss("categorical_crossentropy", fromLogits ? LossFunctions_Graph.CATEGORICAL_CROSSENTROPY_FROM_LOGITS
        : LossFunctions_Graph.CATEGORICAL_CROSSENTROPY, false, LossFunctions_Graph.CATEGORICAL_CROSSENTROPY_FROM_LOGITS,
        SOFTMAX);
  }

  public static Loss sparseCategoricalCrossentropy() {
    return sparseCategoricalCrossentropy(false);
  }

  public static Loss sparseCategoricalCrossentropy(boolean fromLogits) {
    return new Loss("sparse_categorical_crossentropy", fromLogits
        ? LossFunctions_Graph.SPARSE_CATEGORICAL_CROSSENTROPY_FROM_LOGITS
        : LossFunctions_Graph.SPARSE_CATEGORICAL_CROSSENTROPY, true,
        LossFunctions_Graph.SPARSE_CATEGORICAL_CROSSENTROPY_FROM_LOGITS, SOFTMAX);
  }

  public static Loss binaryCrossentropy() {
    return binaryCrossentropy(false);
  }

  /** Where the predictions come from a sigmoid, computed from its input, as Keras does. */
  public static Loss binaryCrossentropy(boolean fromLogits) {
    return new Loss("binary_crossentropy", fromLogits ? LossFunctions_Graph.BINARY_CROSSENTROPY_FROM_LOGITS
        : LossFunctions_Graph.BINARY_CROSSENTROPY, false, LossFunctions_Graph.BINARY_CROSSENTROPY_FROM_LOGITS, SIGMOID);
  }

  public static Loss klDivergence() {
    return new Loss("kl_divergence", LossFunctions_Graph.KL_DIVERGENCE, false);
  }

  public static Loss cosineSimilarity() {
    return new Loss("cosine_similarity", LossFunctions_Graph.COSINE_SIMILARITY, false);
  }

  static final List<String> NAMES = List.of("mse", "mean_squared_error", "categorical_crossentropy",
      "sparse_categorical_crossentropy", "binary_crossentropy", "kl_divergence", "kld", "cosine_similarity");

  /** By Keras name: "mse", "sparse_categorical_crossentropy", "binary_crossentropy", ... */
  public static Loss get(String name) {
    if (name == null) {
      throw new IllegalArgumentException("the loss's name is null; use a Keras name such as \"mse\"");
    }
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "mse", "mean_squared_error" -> meanSquaredError();
      case "categorical_crossentropy" -> categoricalCrossentropy();
      case "sparse_categorical_crossentropy" -> sparseCategoricalCrossentropy();
      case "binary_crossentropy" -> binaryCrossentropy();
      case "kl_divergence", "kld", "kullback_leibler_divergence" -> klDivergence();
      case "cosine_similarity" -> cosineSimilarity();
      default -> throw new IllegalArgumentException("unknown loss \"" + name + "\"; expected one of " + NAMES);
    };
  }
}
