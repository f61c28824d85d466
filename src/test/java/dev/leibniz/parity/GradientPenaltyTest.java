package dev.leibniz.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.e2e.FeedDifferences;
import dev.leibniz.tf.Tf;
import dev.leibniz.tf.TfGraph;
import dev.leibniz.tf.TfSession;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Second order through layers: WGAN-GP's gradient penalty, whose {@code @Call} contains the
 * gradient of a critic of Conv2D, LeakyReLU, Flatten and Dense layers; the penalty's generated
 * weight gradients (through each layer's generated backward of its backward) match TensorFlow's
 * nested GradientTape (gradient_penalty.txt, by make_gradient_penalty.py) and finite differences.
 */
class GradientPenaltyTest {
  static final String[] WEIGHTS = {"conv.kernel", "conv.bias", "hidden.kernel", "hidden.bias", "out.kernel", "out.bias"};
  static final double H = 1e-3;

  @Test
  void penaltyAndItsWeightGradientsMatchTensorFlowsNestedTapeAndFiniteDifferences() {
    KerasFixture f = KerasFixture.read("gradient_penalty.txt");
    GradientPenalty model = new GradientPenalty();
    try (Graph g = new Graph()) {
      TfGraph state = new TfGraph(g, 1);
      Tf tf = state.tf();
      List<Operand<TFloat32>> inputs = List.of(state.placeholder("real", 4, 6, 6, 1),
          state.placeholder("fake", 4, 6, 6, 1), state.placeholder("eps", 4, 1, 1, 1));
      GradientPenalty_Graph.PenaltyForward fwd = GradientPenalty_Graph.penalty(tf, model, inputs.get(0), inputs.get(1),
          inputs.get(2));
      GradientPenalty_Graph.penaltyBackward(tf, model, fwd, tf.onesLike(fwd.output()));
      List<TfGraph.Weight> weights = state.weights();
      assertEquals(WEIGHTS.length, weights.size(), "the critic's weights");
      List<Operand<?>> fetches = new ArrayList<>();
      fetches.add(fwd.output());
      for (TfGraph.Weight w : weights) {
        fetches.add(tf.orZerosLike(state.gradient(w.variable()), w.value()));
      }
      Map<Operand<?>, float[]> feeds = new HashMap<>();
      String[] names = {"real", "fake", "eps"};
      for (int i = 0; i < 3; i++) {
        feeds.put(inputs.get(i), f.get(names[i]).values());
      }
      try (TfSession session = new TfSession(state, 1)) {
        session.initialize(state);
        for (int i = 0; i < WEIGHTS.length; i++) {
          session.assign(Map.of(weights.get(i).state(), f.get(WEIGHTS[i] + ".value").values()));
        }
        List<float[]> got = FeedDifferences.run(session, feeds, fetches);
        assertEquals(f.get("penalty").scalar(), got.get(0)[0], 1e-5, "the penalty");
        for (int i = 0; i < WEIGHTS.length; i++) {
          float[] ours = got.get(i + 1);
          float[] tape = f.get(WEIGHTS[i] + ".gradient").values();
          float[] fd = FeedDifferences.ofWeight(session, feeds, fwd.output(), weights.get(i), H);
          double norm = 0;
          for (int j = 0; j < ours.length; j++) {
            assertEquals(tape[j], ours[j], 1e-4, WEIGHTS[i] + "[" + j + "] against TensorFlow's nested tape");
            assertEquals(fd[j], ours[j], 2e-3 + 2e-2 * Math.abs(ours[j]), WEIGHTS[i] + "[" + j + "] against finite"
                + " differences");
            norm += Math.abs(ours[j]);
          }
          if (!WEIGHTS[i].equals("out.bias")) {
            assertTrue(norm > 1e-3, WEIGHTS[i] + ": a gradient that is not zero"); // the check could fail
          }
        }
      }
    }
  }
}
