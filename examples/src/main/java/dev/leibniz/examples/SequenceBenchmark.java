package dev.leibniz.examples;

import dev.leibniz.FitOptions;
import dev.leibniz.Leibniz;
import dev.leibniz.Model;
import dev.leibniz.Sequential;
import dev.leibniz.data.Data;
import dev.leibniz.layers.Dense;
import dev.leibniz.layers.Embedding;
import dev.leibniz.layers.LSTM;
import dev.leibniz.layers.LSTM_Graph;
import dev.leibniz.optimizers.Optimizers;
import dev.leibniz.tf.TfGraph;
import java.util.Arrays;
import org.tensorflow.Graph;

/**
 * Training speed of sequence models, batch 64, Adam, mean squared error (the adding problem's
 * data): the 2-block Transformer encoder of {@link AddingTransformer} (d = 64, 4 heads), one
 * graph built for any length and run at 50, 100, 128, 200 and 400 steps; LSTM(64) + Dense(1)
 * the same (its loop is one loop op); and Embedding(10000, 128) + LSTM(64) + Dense(1) on the same
 * data as token ids (each step's value times 9999), an input wide enough that the LSTM takes its
 * input's product before its loop. Prints the median milliseconds per step and samples per
 * second, and the size of the LSTM's forward and backward graph built for each length. {@code bench/sequence_keras.py} and {@code bench/sequence_torch.py} measure the
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
    try (Model lstm = Sequential.of(new LSTM(64), new Dense(1)).threads(threads).seed(1).build(-1, 2)) {
      lstm.compile(Optimizers.adam(1e-3f), "mse");
      for (int steps : LENGTHS) {
        report("LSTM(64) + Dense(1)", steps, lstm);
      }
    }
    try (Model text = Sequential.of(new Embedding(10000, 128), new LSTM(64), new Dense(1)).threads(threads).seed(1)
        .build(-1)) {
      text.compile(Optimizers.adam(1e-3f), "mse");
      for (int steps : LENGTHS) {
        report("Embedding(10000, 128) + LSTM(64) + Dense(1)", steps, text);
      }
    }
    for (int steps : LENGTHS) {
      System.out.printf("LSTM(64) forward and backward graph for %3d steps: %d ops%n", steps, lstmOps(steps));
    }
  }

  /** The ops of LSTM(64)'s generated forward and backward, built for sequences of {@code steps}. */
  static int lstmOps(long steps) {
    try (Graph g = new Graph()) {
      TfGraph graph = new TfGraph(g);
      LSTM lstm = new LSTM(64);
      LSTM_Graph.CallForward f = LSTM_Graph.call(graph.tf(), lstm, graph.placeholder("x", -1, steps, 2));
      LSTM_Graph.callBackward(graph.tf(), lstm, f, f.output());
      int ops = 0;
      for (var it = g.operations(); it.hasNext(); it.next()) {
        ops++;
      }
      return ops;
    }
  }

  /** Median time of a training step over 10 repeats of 4 steps, after a warm-up epoch. */
  static void report(String name, int steps, Model model) {
    Data[] data = AddingTransformer.sequences(4 * BATCH, steps, steps, steps);
    if (name.startsWith("Embedding")) {
      data[0] = tokens(data[0], steps);
    }
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

  /** The sequences {@code [n, steps, 2]} as token ids {@code [n, steps]}: each step's value times 9999. */
  static Data tokens(Data x, int steps) {
    float[] v = x.values();
    float[] ids = new float[v.length / 2];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = (int) (v[2 * i] * 9999f);
    }
    return Data.of(ids, steps);
  }
}
