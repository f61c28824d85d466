package dev.leibniz.tf;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * TensorFlow's once-per-process costs, paid on a background thread from the moment Leibniz loads
 * TensorFlow, while the program does other work (loads its data, builds its model): the op registry and
 * TensorFlow Java's op classes at the first graph (50 and 90 ms on the development machine), the
 * runtime's set-up at the first session run (30 ms), and oneDNN's matrix-multiply kernels, generated at
 * their first use whatever the shapes (40-60 ms). A model's first epoch otherwise pays them.
 *
 * <p>Its session is the process's first, so it sizes TensorFlow's thread pools ({@link TfSession#open}):
 * to {@code -Dleibniz.threads} where set, else all cores, as a model's session does by default.
 * Turned off by {@code -Dleibniz.warmUp=false}. Nothing here can fail the program: an error only ends
 * the warm-up.
 */
final class WarmUp {
  static final String PROPERTY = "leibniz.warmUp";

  private static final AtomicBoolean STARTED = new AtomicBoolean();
  /** The warm-up's thread once started; what stopped it, if anything did (for the tests). */
  static volatile Thread thread;
  static volatile Throwable failure;

  private WarmUp() {}

  /** Starts the warm-up, at most once per process. */
  static void start() {
    if ("false".equalsIgnoreCase(System.getProperty(PROPERTY)) || !STARTED.compareAndSet(false, true)) {
      return;
    }
    Thread t = new Thread(WarmUp::run, "leibniz-warm-up");
    t.setDaemon(true);
    thread = t;
    t.start();
    // TensorFlow's static objects go at exit: let a run in progress end first
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "leibniz-warm-up-exit"));
  }

  /**
   * A dense layer's step through the bridge a model uses (its graph, session, state, feeds and prepared
   * runs), on shapes large enough that oneDNN takes its generated kernels, as it does for a model's.
   */
  private static void run() {
    try (Graph g = new Graph()) {
      TfGraph graph = new TfGraph(g);
      Tf tf = graph.tf();
      TfGraph.State kernel = graph.state("kernel", new long[] {64, 32}, 0.5f);
      Operand<TFloat32> x = graph.placeholder("x", -1, 64);
      Operand<TFloat32> y = tf.softmax(tf.relu(tf.add(tf.matmul(x, kernel.value()), graph.ops().constant(0.1f))));
      Operand<TFloat32> dKernel = tf.matmul(x, y, true, false);
      try (TfSession session = TfSession.first(graph); FeedTensor in = FeedTensor.floats(new float[16 * 64], 16, 64)) {
        if (session == null) { // a model's session came first: it pays the rest
          return;
        }
        session.initialize(graph);
        session.assign(Map.of(kernel, new float[64 * 32]));
        session.prepare(List.of(x), List.of(y, dKernel)).shaped(in);
      }
    } catch (RuntimeException | LinkageError e) { // never the program's failure: it only starts slower
      failure = e;
      System.getLogger(WarmUp.class.getName()).log(System.Logger.Level.DEBUG, "TensorFlow's warm-up stopped", e);
    }
  }
}
