package dev.leibniz.examples;

import dev.leibniz.FitOptions;
import dev.leibniz.Leibniz;
import dev.leibniz.Model;
import dev.leibniz.Sequential;
import dev.leibniz.data.Data;
import dev.leibniz.layers.Dense;
import dev.leibniz.layers.LSTM;
import dev.leibniz.optimizers.Optimizers;
import java.util.Arrays;

/**
 * Training speed of sequence models, batch 64, Adam, mean squared error (the adding problem's
 * data): the 2-block Transformer encoder of {@link AddingTransformer} (d = 64, 4 heads), one
 * graph built for any length and run at 50, 100, 128, 200 and 400 steps; and LSTM(64) + Dense(1),
 * built per length (its loop is unrolled). Prints the median milliseconds per step and samples
 * per second. {@code bench/sequence_keras.py} and {@code bench/sequence_torch.py} measure the
 * same models. Argument: the TensorFlow thread count (0: all cores). Not a test.
 */
public final class SequenceBenchmark {
  private SequenceBenchmark() {}

  static final int BATCH = 64;
  static final int[] LENGTHS = {50, 100, 128, 200, 400};

  public static void main(String[] args) {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 0;
    try (Model transformer = Leibniz.model(new AddingTransformer(64, 4, 400)).threads(threads).seed(1).build(-1, 2)) {
      transformer.compile(Optimizers.adam(1e-3f), "mse");
      for (int steps : LENGTHS) {
        report("Transformer encoder (2 blocks, d 64, 4 heads)", steps, transformer);
      }
    }
    for (int steps : LENGTHS) {
      try (Model lstm = Sequential.of(new LSTM(64, steps), new Dense(1)).threads(threads).seed(1).build(steps, 2)) {
        lstm.compile(Optimizers.adam(1e-3f), "mse");
        report("LSTM(64) + Dense(1)", steps, lstm);
      }
    }
  }

  /** Median time of a training step over 10 repeats of 4 steps, after a warm-up epoch. */
  static void report(String name, int steps, Model model) {
    Data[] data = AddingTransformer.sequences(4 * BATCH, steps, steps, steps);
    model.fit(data[0], data[1], FitOptions.epochs(1).batchSize(BATCH).verbose(0));
    double[] ms = new double[10];
    for (int r = 0; r < ms.length; r++) {
      long t0 = System.nanoTime();
      model.fit(data[0], data[1], FitOptions.epochs(1).batchSize(BATCH).verbose(0));
      ms[r] = (System.nanoTime() - t0) / 1e6 / 4;
    }
    Arrays.sort(ms);
    double median = ms[ms.length / 2];
    System.out.printf("%-46s %4d steps: %8.2f ms/step, %8.0f samples/s%n", name, steps, median, BATCH * 1000 / median);
  }
}
