package dev.leibniz.examples;

import dev.leibniz.FitOptions;
import dev.leibniz.Model;
import dev.leibniz.data.Data;
import dev.leibniz.data.Mnist;
import dev.leibniz.optimizers.Optimizer;
import dev.leibniz.optimizers.Optimizers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Throughput of the MNIST MLP (784-512-10, RMSprop, batch 128) and of the MNIST convnet (Adam,
 * batch 128): training samples per second
 * (one session run per step: forward, loss, backward, update, metrics) and predict samples per
 * second. Arguments: the MNIST folder (generated data if absent), and the TensorFlow thread
 * count (0: all cores). Prints medians over repeated epochs; not a test.
 */
public final class Benchmark {
  private Benchmark() {}

  public static void main(String[] args) throws IOException {
    Path folder = Path.of(args.length > 0 ? args[0] : "../shared/datasets/mnist");
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 0;
    Data x;
    Data y;
    if (Mnist.isPresent(folder)) {
      Mnist mnist = Mnist.load(folder);
      x = MnistMlp.flat(mnist.trainImages());
      y = mnist.trainLabels();
    } else {
      System.out.println("No MNIST in " + folder + ": generated data");
      Data[] g = MnistMlp.generated(20000, 1);
      x = g[0];
      y = g[1];
    }
    measure("MNIST MLP 784-512-10, RMSprop", MnistMlp.model().threads(threads), Optimizers.rmsprop(1e-3f), x, y,
        threads, 5);
    measure("MNIST convnet (conv 32, pool, conv 64, pool, dropout, dense 10), Adam", MnistConvnet.model().threads(threads),
        Optimizers.adam(1e-3f), Data.of(x.values(), 28, 28, 1), y, threads, 3);
  }

  /** Median training and predict throughput over {@code repeats} epochs, after one warm-up epoch. */
  private static void measure(String name, Model model, Optimizer optimizer, Data x, Data y, int threads, int repeats) {
    try (model) {
      model.compile(optimizer, "sparse_categorical_crossentropy", "accuracy");
      model.fit(x, y, FitOptions.epochs(1).batchSize(128).verbose(0)); // warm-up
      double[] train = new double[repeats];
      double[] predict = new double[repeats];
      for (int r = 0; r < repeats; r++) {
        long t0 = System.nanoTime();
        model.fit(x, y, FitOptions.epochs(1).batchSize(128).verbose(0));
        train[r] = x.count() / ((System.nanoTime() - t0) / 1e9);
        long t1 = System.nanoTime();
        model.predict(x, 128);
        predict[r] = x.count() / ((System.nanoTime() - t1) / 1e9);
      }
      System.out.printf("%s, batch 128, %d samples, threads %s%n", name, x.count(), threads == 0 ? "all" : threads);
      System.out.printf("  train:   %,.0f samples/s (median of %d epochs; %.2f ms/step)%n", median(train), repeats,
          128 * 1000 / median(train));
      System.out.printf("  predict: %,.0f samples/s (median of %d passes, batch 128)%n", median(predict), repeats);
    }
  }

  /** The middle value (the upper middle for an even count). */
  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
