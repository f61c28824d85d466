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

  public static Loss meanAbsoluteError() {
    return new Loss("mean_absolute_error", LossFunctions_Graph.MEAN_ABSOLUTE_ERROR, false);
  }

  public static Loss meanAbsolutePercentageError() {
    return new Loss("mean_absolute_percentage_error", LossFunctions_Graph.MEAN_ABSOLUTE_PERCENTAGE_ERROR, false);
  }

  /** Keras's {@code Huber()} at its default delta, 1. */
  public static Loss huber() {
    return new Loss("huber", LossFunctions_Graph.HUBER, false);
  }

  public static Loss logCosh() {
    return new Loss("log_cosh", LossFunctions_Graph.LOG_COSH, false);
  }

  /** Targets -1 or 1 (0 or 1 are read as -1 or 1, as Keras does). */
  public static Loss hinge() {
    return new Loss("hinge", LossFunctions_Graph.HINGE, false);
  }

  public static Loss squaredHinge() {
    return new Loss("squared_hinge", LossFunctions_Graph.SQUARED_HINGE, false);
  }

  /** Targets one-hot. */
  public static Loss categoricalHinge() {
    return new Loss("categorical_hinge", LossFunctions_Graph.CATEGORICAL_HINGE, false);
  }

  /** Predictions are rates (positive), targets counts. */
  public static Loss poisson() {
    return new Loss("poisson", LossFunctions_Graph.POISSON, false);
  }

  static final List<String> NAMES = List.of("mse", "mean_squared_error", "mae", "mean_absolute_error", "mape",
      "mean_absolute_percentage_error", "huber", "log_cosh", "logcosh", "hinge", "squared_hinge", "categorical_hinge",
      "poisson", "categorical_crossentropy", "sparse_categorical_crossentropy", "binary_crossentropy", "kl_divergence",
      "kld", "cosine_similarity");

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
      case "mae", "mean_absolute_error" -> meanAbsoluteError();
      case "mape", "mean_absolute_percentage_error" -> meanAbsolutePercentageError();
      case "huber" -> huber();
      case "log_cosh", "logcosh" -> logCosh();
      case "hinge" -> hinge();
      case "squared_hinge" -> squaredHinge();
      case "categorical_hinge" -> categoricalHinge();
      case "poisson" -> poisson();
      default -> throw new IllegalArgumentException("unknown loss \"" + name + "\"; expected one of " + NAMES);
    };
  }
}
