package dev.leibniz.examples;

import dev.leibniz.FitOptions;
import dev.leibniz.History;
import dev.leibniz.Model;
import dev.leibniz.Sequential;
import dev.leibniz.Value;
import dev.leibniz.data.Data;
import dev.leibniz.layers.Dense;
import dev.leibniz.losses.Losses;
import dev.leibniz.metrics.Accuracy;
import dev.leibniz.optimizers.RMSprop;

/**
 * "Deep Learning with Python" listing 3.24: the linear classifier again, now the Keras way: a
 * {@code Sequential} of one {@code Dense(1)}, RMSprop(0.1), mean squared error, binary accuracy,
 * the last 30% of the shuffled points held out for validation, then {@code predict} on them.
 */
public final class KerasLinearClassifier {
  private KerasLinearClassifier() {}

  /** The history, the validation predictions, and their accuracy at threshold 0.5. */
  public record Run(History history, float[] predictions, double validationAccuracy) {}

  public static Run run(boolean verbose) {
    Value[] points = LinearClassifier.data(0);
    float[][] data = {points[0].toFloatArray(), points[1].toFloatArray()};
    int n = data[1].length;
    // The book shuffles the points once (np.random.permutation), then keeps 30% apart.
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    java.util.Random random = new java.util.Random(0);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    float[] x = new float[n * 2];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      x[2 * i] = data[0][2 * order[i]];
      x[2 * i + 1] = data[0][2 * order[i] + 1];
      y[i] = data[1][order[i]];
    }
    Data inputs = Data.of(x, 2);
    Data targets = Data.of(y, 1);
    int split = (int) (0.3 * n);
    Data valX = inputs.slice(0, split);
    Data valY = targets.slice(0, split);
    Data trainX = inputs.slice(split, n);
    Data trainY = targets.slice(split, n);

    try (Model model = Sequential.of(new Dense(1))) {
      model.compile(new RMSprop(0.1f), Losses.meanSquaredError(), Accuracy.binary());
      History history = model.fit(trainX, trainY,
          FitOptions.epochs(5).batchSize(16).validationData(valX, valY).verbose(verbose ? 1 : 0));
      float[] predictions = model.predict(valX, 32).values();
      int correct = 0;
      for (int i = 0; i < predictions.length; i++) {
        correct += (predictions[i] > 0.5f) == (valY.values()[i] > 0.5f) ? 1 : 0;
      }
      return new Run(history, predictions, correct / (double) predictions.length);
    }
  }

  public static void main(String[] args) {
    Run run = run(true);
    System.out.print("First predictions on the validation points:");
    for (int i = 0; i < 10; i++) {
      System.out.printf(" %.3f", run.predictions()[i]);
    }
    System.out.printf("%nValidation accuracy (threshold 0.5): %.3f%n", run.validationAccuracy());
  }
}
