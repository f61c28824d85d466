package dev.leibniz.e2e;

import static dev.leibniz.e2e.GradCheckTest.assertClose;
import static dev.leibniz.e2e.GradCheckTest.isNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leibniz.tf.Tensors;
import dev.leibniz.tf.Tf;
import dev.leibniz.tf.TfGraph;
import dev.leibniz.tf.TfSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.types.TFloat32;

/**
 * The generated backward of a layer with an `if` on configuration and a `for` loop (replayed in
 * reverse, with per-iteration saved values and a carried gradient) against TensorFlow's
 * Graph.addGradients, for every weight and the input; with and without the bias branch, and
 * with a loop that runs zero times.
 */
class RegionsTest {
  @ParameterizedTest(name = "useBias={0}, steps={1}")
  @CsvSource({"true, 3", "false, 2", "true, 0"})
  void backwardThroughBranchAndLoop(boolean useBias, int steps) {
    Random random = new Random(7);
    float[] x = new float[4 * 3];
    float[] r = new float[4 * 5];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextGaussian();
    }
    for (int i = 0; i < r.length; i++) {
      r[i] = (float) random.nextGaussian();
    }
    try (Graph g = new Graph()) {
      TfGraph state = new TfGraph(g);
      Tf tf = state.tf();
      Recurrent layer = new Recurrent(5, useBias, steps);
      Operand<TFloat32> input = state.placeholder("x", -1, 3);
      var fwd = Recurrent_Graph.call(tf, layer, input);
      Operand<TFloat32> dy = state.ops().constant(org.tensorflow.ndarray.Shape.of(4, 5),
          org.tensorflow.ndarray.buffer.DataBuffers.of(r, true, false));
      var grads = Recurrent_Graph.callBackward(tf, layer, fwd, dy);
      if (!useBias) {
        assertNull(layer.bias, "@Build skipped the bias");
      }
      List<Operand<TFloat32>> wrt = new ArrayList<>(List.of(input));
      List<Operand<TFloat32>> ours = new ArrayList<>(List.of(grads.dX()));
      for (TfGraph.Weight w : state.weights()) {
        wrt.add(w.value());
        ours.add(state.gradient(w.variable()) != null ? state.gradient(w.variable()) : tf.zerosLike(w.value()));
      }
      Output<?>[] xs = new Output<?>[wrt.size()];
      for (int i = 0; i < xs.length; i++) {
        xs[i] = wrt.get(i).asOutput();
      }
      List<Operand<?>> fetches = new ArrayList<>(ours);
      List<Integer> reached = new ArrayList<>();
      for (int i = 0; i < xs.length; i++) {
        try {
          Output<?> o = g.addGradients("oracle" + i, new Output<?>[] {fwd.output().asOutput()},
              new Output<?>[] {xs[i]}, new Output<?>[] {dy.asOutput()})[0];
          if (!isNull(o)) {
            reached.add(i);
            fetches.add(o);
          }
        } catch (org.tensorflow.exceptions.TFInvalidArgumentException unreachable) {
          // the output does not depend on it (a loop that runs zero times): the gradient is zero
        }
      }
      try (TfSession session = new TfSession(state); TFloat32 in = Tensors.of(x, 4, 3)) {
        session.initialize(state);
        List<float[]> v = session.run(Map.of(input, in), fetches);
        assertEquals(useBias ? 3 : 2, state.weights().size());
        for (int i = 0; i < wrt.size(); i++) {
          int at = reached.indexOf(i);
          float[] expected = at < 0 ? new float[v.get(i).length] : v.get(wrt.size() + at);
          assertClose(expected, v.get(i), 1e-4, "gradient " + i + " (" + wrt.get(i).op().name() + ")");
        }
      }
    }
  }
}
