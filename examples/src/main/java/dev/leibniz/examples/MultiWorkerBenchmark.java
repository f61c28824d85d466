package dev.leibniz.examples;

import dev.leibniz.FitOptions;
import dev.leibniz.History;
import dev.leibniz.Model;
import dev.leibniz.MultiWorkerMirroredStrategy;
import dev.leibniz.callbacks.Callback;
import dev.leibniz.data.Data;
import dev.leibniz.data.Mnist;
import dev.leibniz.optimizers.Optimizers;
import dev.leibniz.tf.Collectives;
import dev.leibniz.tf.Natives;
import dev.leibniz.tf.TfCluster;
import dev.leibniz.tf.TfGraph;
import dev.leibniz.tf.TfSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Multi-worker scaling of the MNIST MLP (784-512-10, 407,050 weights, Adam, global batch 128 or as given),
 * each worker with one TensorFlow thread: {@code single} trains alone, {@code task:<i>} as worker
 * i of two on {@code localhost:23480/23481} (run both at once, in a private network namespace:
 * {@code bench/multiworker.sh}); then each worker times the all-reduce of one step's vector alone.
 * Prints one line {@code MULTIWORKER_RESULT {...}}: samples per second over the epochs after the
 * first, milliseconds per step, and the all-reduce's milliseconds.
 *
 * <p>Arguments: {@code <mnist folder> single|task:<i> [epochs, default 4] [global batch, default 128]}. Not a test.
 */
public final class MultiWorkerBenchmark {
  static final List<String> WORKERS = List.of("localhost:23480", "localhost:23481");

  private MultiWorkerBenchmark() {}

  public static void main(String[] args) throws Exception {
    // One thread per worker and for the single process alike: TensorFlow sizes its pools once per process
    System.setProperty(TfSession.THREADS_PROPERTY, System.getProperty(TfSession.THREADS_PROPERTY, "1"));
    Mnist mnist = Mnist.load(Path.of(args[0]));
    String mode = args[1];
    int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    int batch = args.length > 3 ? Integer.parseInt(args[3]) : 128;
    Data x = Data.of(mnist.trainImages().values(), 784);
    MultiWorkerMirroredStrategy strategy = mode.equals("single") ? null
        : MultiWorkerMirroredStrategy.of(WORKERS, Integer.parseInt(mode.substring("task:".length())));
    List<Long> epochEnds = new ArrayList<>();
    long steps;
    try (Model model = MnistMlp.model().threads(1)) {
      if (strategy != null) {
        model.distribute(strategy);
      }
      model.compile(Optimizers.adam(1e-3f), "sparse_categorical_crossentropy", "accuracy");
      Callback timer = new Callback() {
        @Override
        public void onEpochEnd(Model m, int epoch, Map<String, Double> logs) {
          epochEnds.add(System.nanoTime());
        }
      };
      History h = model.fit(x, mnist.trainLabels(), FitOptions.epochs(epochs).batchSize(batch).verbose(0).callbacks(timer));
      steps = (x.count() + batch - 1) / batch;
      System.err.println("loss per epoch " + h.get("loss"));
    }
    double seconds = (epochEnds.get(epochEnds.size() - 1) - epochEnds.get(0)) / 1e9;
    double samplesPerSecond = (double) x.count() * (epochs - 1) / seconds;
    double stepMs = seconds * 1000 / (steps * (epochs - 1));
    double allReduceMs = strategy == null ? 0 : allReduceMs(strategy, 407_050 + 3);
    System.out.printf("MULTIWORKER_RESULT {\"mode\": \"%s\", \"batch\": %d, \"samples_per_s\": %.1f,"
        + " \"step_ms\": %.3f, \"allreduce_ms\": %.3f}%n", mode, batch, samplesPerSecond, stepMs, allReduceMs);
    System.exit(0); // a worker's server cannot be stopped
  }

  /** The median time of an all-reduce of {@code floats} floats between the workers (the step's vector, alone). */
  static double allReduceMs(MultiWorkerMirroredStrategy strategy, int floats) {
    TfCluster cluster = new TfCluster(strategy.workers(), strategy.taskIndex());
    try (Graph g = Natives.newGraph()) {
      TfGraph graph = new TfGraph(g);
      var ops = graph.ops();
      // made and kept in the graph, as in a training step: no copy to or from Java but one float
      Operand<TFloat32> x = ops.fill(ops.constant(new int[] {floats}), ops.constant(1f));
      Operand<TFloat32> sum = Collectives.allReduceSum(ops, x, strategy.numWorkers(), 1, cluster.nextInstanceKey(), 60f);
      Operand<TFloat32> first = ops.slice(sum, ops.constant(new int[] {0}), ops.constant(new int[] {1}));
      try (TfSession session = new TfSession(graph, cluster, 1)) {
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
          long t = System.nanoTime();
          session.run(Map.of(), List.of(first));
          times.add((System.nanoTime() - t) / 1e6);
        }
        List<Double> timed = new ArrayList<>(times.subList(10, times.size()));
        timed.sort(null);
        return timed.get(timed.size() / 2);
      }
    }
  }
}
