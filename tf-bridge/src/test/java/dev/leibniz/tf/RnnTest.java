package dev.leibniz.tf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leibniz.dsl.Init;
import dev.leibniz.dsl.Ops;
import dev.leibniz.dsl.Shape;
import dev.leibniz.dsl.Variable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * The recurrent loop against the same step unrolled, with TensorFlow's own gradients of the
 * unrolled graph ({@code Graph.addGradients}) as the oracle: outputs, input gradients and
 * weight gradients, for several sequence lengths run by one graph.
 */
class RnnTest {
  private static final int FEATURES = 3;
  private static final int UNITS = 4;

  /** A step's record: what a generated forward returns, with what its backward reads. */
  record StepForward(Operand<TFloat32> output, Operand<TFloat32> x, Operand<TFloat32> h, Operand<TFloat32> kernel,
      Operand<TFloat32> recurrent, Operand<TFloat32> next) implements Forward {}

  private final Variable kernel = Ops.addWeight("kernel", Shape.of(FEATURES, UNITS), Init.GLOROT_UNIFORM);
  private final Variable recurrent = Ops.addWeight("recurrent", Shape.of(UNITS, UNITS), Init.ORTHOGONAL);

  /** h' = tanh(x K + h R), written as generated code would write it. */
  private StepForward step(Tf tf, Operand<TFloat32> x, Operand<TFloat32> h) {
    Operand<TFloat32> k = tf.read(kernel);
    Operand<TFloat32> r = tf.read(recurrent);
    Operand<TFloat32> next = tf.tanh(tf.add(tf.matmul(x, k), tf.matmul(h, r)));
    return new StepForward(next, x, h, k, r, next);
  }

  private List<Operand<TFloat32>> stepBackward(Tf tf, StepForward f, Operand<TFloat32> dNext) {
    Operand<TFloat32> dz = tf.tanhGrad(f.next(), dNext);
    tf.addGradient(kernel, tf.matmul(f.x(), dz, true, false));
    tf.addGradient(recurrent, tf.matmul(f.h(), dz, true, false));
    return List.of(tf.matmul(dz, f.kernel(), false, true), tf.matmul(dz, f.recurrent(), false, true));
  }

  @Test
  void loopMatchesTheUnrolledStepAndTensorFlowsGradients() {
    for (boolean sequences : new boolean[] {false, true}) {
      try (Graph g = new Graph()) {
        TfGraph graph = new TfGraph(g, 3);
        Tf tf = graph.tf();
        Operand<TFloat32> x = graph.placeholder("x", -1, -1, FEATURES);
        Forward loop = tf.rnn(x, sequences, new int[] {UNITS},
            (body, xt, states) -> step(body, xt, states.get(0)));
        Operand<TFloat32> seed = graph.placeholder("seed", sequences ? new long[] {-1, -1, UNITS} : new long[] {-1, UNITS});
        Operand<TFloat32> dx = tf.rnnBackward(loop, seed,
            (body, f, d) -> stepBackward(body, (StepForward) f, d.get(0)));
        List<Operand<TFloat32>> fetches = List.of(loop.output(), dx, graph.gradient(kernel), graph.gradient(recurrent));
        int opsBefore;
        try (TfSession session = new TfSession(graph)) {
          session.initialize(graph);
          float[] k = session.run(Map.of(), List.of(tf.read(kernel))).get(0);
          float[] r = session.run(Map.of(), List.of(tf.read(recurrent))).get(0);
          opsBefore = countOps(g);
          for (int steps : new int[] {1, 5, 9}) {
            float[] xs = random(2 * steps * FEATURES, steps);
            float[] seeds = random(2 * (sequences ? steps : 1) * UNITS, steps + 100);
            long[] seedShape = sequences ? new long[] {2, steps, UNITS} : new long[] {2, UNITS};
            List<float[]> got;
            try (Tensor xt = TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(2, steps, FEATURES), DataBuffers.of(xs));
                Tensor st = TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(seedShape), DataBuffers.of(seeds))) {
              got = session.run(Map.of(x, xt, seed, st), fetches);
            }
            List<float[]> want = unrolled(k, r, xs, seeds, steps, sequences);
            for (int i = 0; i < want.size(); i++) {
              assertArrayEquals(want.get(i), got.get(i), 1e-5f, "fetch " + i + " at " + steps + " steps");
            }
          }
        }
        assertEquals(opsBefore, countOps(g), "one graph runs every length");
      }
    }
  }

  /** The step's shape proofs take every state to have the input's batch: a given one without it is refused. */
  @Test
  void anInitialStateOfAnotherBatchIsRefused() {
    try (Graph g = new Graph()) {
      TfGraph graph = new TfGraph(g, 3);
      Tf tf = graph.tf();
      Operand<TFloat32> x = graph.placeholder("x", -1, -1, FEATURES);
      Operand<TFloat32> h0 = graph.placeholder("h0", -1, UNITS);
      Forward loop = tf.rnn(x, false, List.of(h0), (body, xt, states) -> step(body, xt, states.get(0)));
      try (TfSession session = new TfSession(graph);
          Tensor xs = TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(2, 3, FEATURES), DataBuffers.of(random(18, 1)));
          Tensor one = TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(1, UNITS), DataBuffers.of(random(4, 2)));
          Tensor two = TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(2, UNITS), DataBuffers.of(random(8, 3)))) {
        session.initialize(graph);
        RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
            () -> session.run(Map.of(x, xs, h0, one), List.of(loop.output())));
        org.junit.jupiter.api.Assertions.assertTrue(
            e.getMessage().contains("initial state must have one row per sequence"), e.getMessage());
        assertEquals(2 * UNITS, session.run(Map.of(x, xs, h0, two), List.of(loop.output())).get(0).length);
      }
    }
  }

  /** The same step unrolled over {@code steps} in a graph of its own, differentiated by TensorFlow. */
  private List<float[]> unrolled(float[] k, float[] r, float[] xs, float[] seeds, int steps, boolean sequences) {
    try (Graph g = new Graph()) {
      org.tensorflow.op.Ops o = org.tensorflow.op.Ops.create(g);
      Operand<TFloat32> x = o.constant(org.tensorflow.ndarray.Shape.of(2, steps, FEATURES), DataBuffers.of(xs));
      Operand<TFloat32> kernelValue = o.constant(org.tensorflow.ndarray.Shape.of(FEATURES, UNITS), DataBuffers.of(k));
      Operand<TFloat32> recurrentValue = o.constant(org.tensorflow.ndarray.Shape.of(UNITS, UNITS), DataBuffers.of(r));
      Operand<TFloat32> kernelIdentity = o.identity(kernelValue);
      Operand<TFloat32> recurrentIdentity = o.identity(recurrentValue);
      Operand<TFloat32> h = o.zeros(o.constant(new int[] {2, UNITS}), TFloat32.class);
      List<Operand<TFloat32>> outputs = new ArrayList<>();
      for (int t = 0; t < steps; t++) {
        Operand<TFloat32> xt = o.gather(x, o.constant(t), o.constant(1));
        h = o.math.tanh(o.math.add(o.linalg.matMul(xt, kernelIdentity), o.linalg.matMul(h, recurrentIdentity)));
        outputs.add(o.expandDims(h, o.constant(1)));
      }
      Operand<TFloat32> out = !sequences ? h : steps == 1 ? outputs.get(0) : o.concat(outputs, o.constant(1));
      long[] seedShape = sequences ? new long[] {2, steps, UNITS} : new long[] {2, UNITS};
      Operand<TFloat32> seed = o.constant(org.tensorflow.ndarray.Shape.of(seedShape), DataBuffers.of(seeds));
      Output<?>[] grads = g.addGradients(null, new Output<?>[] {o.math.mul(out, seed).asOutput()},
          new Output<?>[] {x.asOutput(), kernelIdentity.asOutput(), recurrentIdentity.asOutput()}, null);
      try (org.tensorflow.Session s = new org.tensorflow.Session(g)) {
        List<float[]> values = new ArrayList<>();
        for (Operand<?> fetch : List.of(out, grads[0], grads[1], grads[2])) {
          try (TFloat32 v = (TFloat32) s.runner().fetch(fetch).run().get(0)) {
            float[] a = new float[(int) v.size()];
            v.copyTo(DataBuffers.of(a, false, false));
            values.add(a);
          }
        }
        return values;
      }
    }
  }

  private static float[] random(int n, long seed) {
    Random random = new Random(seed);
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) random.nextGaussian();
    }
    return a;
  }

  private static int countOps(Graph g) {
    int n = 0;
    for (Iterator<GraphOperation> it = g.operations(); it.hasNext(); it.next()) {
      n++;
    }
    return n;
  }
}
