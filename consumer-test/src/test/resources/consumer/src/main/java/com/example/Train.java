package com.example;

import dev.leibniz.FitOptions;
import dev.leibniz.History;
import dev.leibniz.Model;
import dev.leibniz.Sequential;
import dev.leibniz.layers.Dense;
import dev.leibniz.optimizers.Optimizers;
import java.util.Random;

/** Trains the user's layer for one epoch on two clouds of points and prints the accuracy. */
public final class Train {
  private Train() {}

  public static void main(String[] args) {
    Random random = new Random(0);
    int n = 2000;
    float[][] x = new float[n][2];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 2;
      x[i][0] = (float) (random.nextGaussian() + 3 * y[i]);
      x[i][1] = (float) (random.nextGaussian() - 3 * y[i]);
    }
    try (Model model = Sequential.of(new Scaled(), new Dense(2, "softmax"))) {
      model.compile(Optimizers.adam(0.05f), "sparse_categorical_crossentropy", "accuracy");
      History history = model.fit(x, y, FitOptions.epochs(1).batchSize(32).verbose(0));
      System.out.printf("epochs=%d accuracy=%.4f%n", history.epochs(), model.evaluate(x, y, 256).get("accuracy"));
    }
  }
}
