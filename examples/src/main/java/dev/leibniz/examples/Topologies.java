package dev.leibniz.examples;

import static dev.leibniz.Functional.apply;
import static dev.leibniz.Functional.input;

import dev.leibniz.FitOptions;
import dev.leibniz.Functional;
import dev.leibniz.Functional.Symbol;
import dev.leibniz.Model;
import dev.leibniz.data.Data;
import dev.leibniz.dsl.Activations;
import dev.leibniz.dsl.Padding;
import dev.leibniz.layers.Activation;
import dev.leibniz.layers.Add;
import dev.leibniz.layers.BatchNormalization;
import dev.leibniz.layers.Concatenate;
import dev.leibniz.layers.Conv2D;
import dev.leibniz.layers.Dense;
import dev.leibniz.layers.Flatten;
import dev.leibniz.layers.MaxPooling2D;
import dev.leibniz.losses.Losses;
import dev.leibniz.optimizers.Optimizers;
import java.util.List;
import java.util.Random;

/**
 * The network topologies of "Deep Learning with Python" 3.6.2 with the functional API, each
 * trained on generated data: a two-branch network (two views of the input, concatenated), a
 * multi-head network (one trunk, a classification head and a regression head, two losses with
 * weights) and a residual block (conv, batch normalization, and an {@code Add} of the block's
 * input to its output).
 */
public final class Topologies {
  private Topologies() {}

  /** Points in [-1, 1]^4; the class is whether x0 and x1 have the same sign (XOR: not linear). */
  static Data[] signs(int n, long seed) {
    Random r = new Random(seed);
    float[] x = new float[n * 4];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 4; j++) {
        x[i * 4 + j] = r.nextFloat() * 2 - 1;
      }
      y[i] = (x[i * 4] > 0) == (x[i * 4 + 1] > 0) ? 1 : 0;
    }
    return new Data[] {Data.of(x, 4), Data.labels(y)};
  }

  /** Two branches over the same input (relu and tanh views), concatenated, then a softmax: test accuracy. */
  public static double twoBranch(int epochs) {
    Symbol x = input(4);
    Symbol left = apply(new Dense(16, "relu"), x);
    Symbol right = apply(new Dense(16, "tanh"), x);
    Symbol merged = apply(new Concatenate(), left, right);
    Symbol out = apply(new Dense(2, "softmax"), apply(new Dense(16, "relu"), merged));
    Data[] train = signs(2000, 1);
    Data[] test = signs(500, 2);
    try (Model model = Functional.model(x, out)) {
      model.compile(Optimizers.adam(0.01f), "sparse_categorical_crossentropy", "accuracy");
      model.fit(train[0], train[1], FitOptions.epochs(epochs).batchSize(32).verbose(0));
      return model.evaluate(test[0], test[1], 100).get("accuracy");
    }
  }

  /** The two heads' test scores: the class head's accuracy, the regression head's mean squared error. */
  public record Heads(double accuracy, double mse) {}

  /**
   * One trunk, two heads: the XOR class (sparse categorical cross-entropy, weight 1) and
   * x2 + x3 (mean squared error, weight 0.5), trained together.
   */
  public static Heads multiHead(int epochs) {
    Symbol x = input(4);
    Symbol trunk = apply(new Dense(32, "relu"), apply(new Dense(32, "relu"), x));
    Symbol cls = apply(new Dense(2, "softmax"), trunk);
    Symbol sum = apply(new Dense(1), trunk);
    Data[] train = signs(2000, 3);
    Data[] test = signs(500, 4);
    try (Model model = Functional.model(List.of(x), List.of(cls, sum))) {
      model.compile(Optimizers.adam(0.01f), List.of(Losses.sparseCategoricalCrossentropy(), Losses.meanSquaredError()),
          new float[] {1f, 0.5f}, List.of());
      model.fit(List.of(train[0]), List.of(train[1], sums(train[0])), FitOptions.epochs(epochs).verbose(0));
      List<Data> predicted = model.predict(List.of(test[0]), 100);
      float[] probabilities = predicted.get(0).values();
      float[] sumsPredicted = predicted.get(1).values();
      float[] sumsTrue = sums(test[0]).values();
      int correct = 0;
      double squares = 0;
      for (int i = 0; i < test[0].count(); i++) {
        int label = probabilities[2 * i + 1] > probabilities[2 * i] ? 1 : 0;
        correct += label == (int) test[1].values()[i] ? 1 : 0;
        squares += Math.pow(sumsPredicted[i] - sumsTrue[i], 2);
      }
      return new Heads((double) correct / test[0].count(), squares / test[0].count());
    }
  }

  private static Data sums(Data x) {
    float[] y = new float[x.count()];
    for (int i = 0; i < y.length; i++) {
      y[i] = x.values()[i * 4 + 2] + x.values()[i * 4 + 3];
    }
    return Data.of(y, 1);
  }

  /** 8x8 images of a horizontal (class 0) or vertical (class 1) bar at a random place, with noise. */
  static Data[] bars(int n, long seed) {
    Random r = new Random(seed);
    float[] x = new float[n * 64];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = r.nextInt(2);
      int at = r.nextInt(8);
      int from = r.nextInt(4);
      for (int k = from; k < from + 4; k++) {
        int row = y[i] == 0 ? at : k;
        int col = y[i] == 0 ? k : at;
        x[i * 64 + row * 8 + col] = 1;
      }
      for (int p = 0; p < 64; p++) {
        x[i * 64 + p] += (float) (0.3 * r.nextGaussian());
      }
    }
    return new Data[] {Data.of(x, 8, 8, 1), Data.labels(y)};
  }

  /**
   * A residual block: conv (same padding) and relu, then conv and batch normalization, added
   * to the block's input before the relu, pooled, then a softmax. Returns the test accuracy.
   */
  public static double residual(int epochs) {
    Symbol x = input(8, 8, 1);
    Symbol stem = apply(new Conv2D(8, 3, 3, 1, 1, Padding.SAME, Activations.RELU, true), x);
    Symbol h = apply(new Conv2D(8, 3, 3, 1, 1, Padding.SAME, Activations.RELU, true), stem);
    h = apply(new BatchNormalization(), apply(new Conv2D(8, 3, 3, 1, 1, Padding.SAME, Activations.LINEAR, true), h));
    Symbol block = apply(new Activation(Activations.RELU), apply(new Add(), stem, h));
    Symbol out = apply(new Dense(2, "softmax"), apply(new Flatten(), apply(new MaxPooling2D(2), block)));
    Data[] train = bars(1000, 5);
    Data[] test = bars(300, 6);
    try (Model model = Functional.model(x, out)) {
      model.compile(Optimizers.adam(0.01f), "sparse_categorical_crossentropy", "accuracy");
      model.fit(train[0], train[1], FitOptions.epochs(epochs).verbose(0));
      return model.evaluate(test[0], test[1], 100).get("accuracy");
    }
  }

  public static void main(String[] args) {
    System.out.printf("two-branch network, test accuracy: %.3f%n", twoBranch(20));
    Heads heads = multiHead(20);
    System.out.printf("multi-head network, test accuracy: %.3f, test mean squared error: %.4f (variance of the"
        + " target: 0.67)%n", heads.accuracy(), heads.mse());
    System.out.printf("residual block, test accuracy: %.3f%n", residual(5));
  }
}
