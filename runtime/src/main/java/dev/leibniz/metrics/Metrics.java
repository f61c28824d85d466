package dev.leibniz.metrics;

import dev.leibniz.losses.Loss;
import java.util.Locale;

/** Metrics by Keras name. */
public final class Metrics {
  private Metrics() {}

  /**
   * By Keras name. "accuracy" (or "acc") picks the accuracy that fits the loss and the output, as
   * Keras does: sparse categorical for a sparse loss, binary for a binary cross-entropy or an
   * output of one unit, categorical otherwise; it keeps the name "accuracy".
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
      default -> throw new IllegalArgumentException("unknown metric \"" + name + "\"; expected one of [accuracy,"
          + " binary_accuracy, categorical_accuracy, sparse_categorical_accuracy, auc, precision, recall]");
    };
  }
}
