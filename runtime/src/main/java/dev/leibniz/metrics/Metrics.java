package dev.leibniz.metrics;

import dev.leibniz.losses.Loss;
import java.util.Locale;

/** Metrics by Keras name. */
public final class Metrics {
  private Metrics() {}

  static final java.util.List<String> NAMES = java.util.List.of("accuracy", "binary_accuracy",
      "categorical_accuracy", "sparse_categorical_accuracy", "auc", "precision", "recall", "mae", "mse", "rmse", "mape",
      "top_k_categorical_accuracy", "sparse_top_k_categorical_accuracy", "f1_score", "binary_crossentropy",
      "categorical_crossentropy", "sparse_categorical_crossentropy", "kl_divergence", "poisson", "hinge",
      "squared_hinge", "categorical_hinge", "log_cosh_error");

  /**
   * By Keras name. "accuracy" (or "acc") picks the accuracy that fits the loss and the output, as
   * Keras does: sparse categorical for a sparse loss, binary for a binary cross-entropy or an
   * output of one unit, categorical otherwise; it keeps the name "accuracy". The regression
   * metrics ("mae", "mse", "rmse", "mape" or their long names) are logged under the name given, as
   * Keras logs them. A loss's name ("binary_crossentropy", "kl_divergence", ...) is that loss's
   * mean over the samples ({@link LossMean}), as Keras wraps a loss function named as a metric.
   */
  public static Metric get(String name, Loss loss, long outputUnits) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "accuracy", "acc" -> (loss != null && loss.sparse() ? Accuracy.sparseCategorical()
          : (loss != null && loss.name().equals("binary_crossentropy")) || outputUnits == 1 ? Accuracy.binary()
          : Accuracy.categorical()).named("accuracy");
      case "binary_accuracy" -> Accuracy.binary();
      case "categorical_accuracy" -> Accuracy.categorical();
      case "sparse_categorical_accuracy" -> Accuracy.sparseCategorical();
      case "auc" -> new AUC();
      case "precision" -> new Precision();
      case "recall" -> new Recall();
      case "mae", "mean_absolute_error" -> MeanError.absolute().named(name);
      case "mse", "mean_squared_error" -> MeanError.squared().named(name);
      case "rmse", "root_mean_squared_error" -> MeanError.rootSquared().named(name);
      case "mape", "mean_absolute_percentage_error" -> MeanError.absolutePercentage().named(name);
      case "top_k_categorical_accuracy" -> TopKAccuracy.categorical(5);
      case "sparse_top_k_categorical_accuracy" -> TopKAccuracy.sparseCategorical(5);
      case "f1_score" -> new F1Score();
      case "binary_crossentropy", "bce", "categorical_crossentropy", "sparse_categorical_crossentropy", "kl_divergence",
          "kld", "poisson", "hinge", "squared_hinge", "categorical_hinge" -> lossMean(name, name, loss);
      case "log_cosh_error", "logcosh" -> lossMean(name, "log_cosh", loss);
      default -> throw new IllegalArgumentException("unknown metric \"" + name + "\"; expected one of " + NAMES
          + ", or a Metric object (TopKAccuracy.categorical(k), F1Score(average, threshold), MeanIoU(classes))");
    };
  }

  /** Loss {@code lossName}'s mean, logged as {@code name}; its targets must be the compiled loss's kind. */
  private static Metric lossMean(String name, String lossName, Loss compiled) {
    Loss loss = dev.leibniz.losses.Losses.get(lossName.equals("bce") ? "binary_crossentropy" : lossName);
    if (compiled != null && loss.sparse() != compiled.sparse()) {
      throw new IllegalArgumentException("metric \"" + name + "\" takes " + (loss.sparse() ? "class indices" : "targets"
          + " shaped like the predictions") + ", but the loss " + compiled.name() + " is given " + (compiled.sparse()
          ? "class indices" : "targets shaped like the predictions") + "; use a metric of the same kind (e.g. "
          + (compiled.sparse() ? "sparse_categorical_crossentropy" : "categorical_crossentropy") + ")");
    }
    return new LossMean(name, loss);
  }
}
