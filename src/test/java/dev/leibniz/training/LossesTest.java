package dev.leibniz.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leibniz.losses.Loss;
import dev.leibniz.losses.Losses;
import dev.leibniz.tf.Tensors;
import dev.leibniz.tf.Tf;
import dev.leibniz.tf.TfGraph;
import dev.leibniz.tf.TfSession;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Every loss against a value computed by hand with Keras 3's formulas (in double precision,
 * outside TensorFlow), and its generated gradient against central finite differences.
 */
class LossesTest {
  record Case(Loss loss, float[] targets, long[] targetShape, float[] predictions, long[] shape, double expected) {
    @Override
    public String toString() {
      return loss.name() + " " + expected;
    }
  }

  static final float[] ONE_HOT = {0, 1, 0, 0, 0, 1};
  static final float[] PROBS = {0.1f, 0.7f, 0.2f, 0.3f, 0.3f, 0.4f};
  static final float[] LOGITS = {1f, 2f, 0.5f, -1f, 0f, 3f};
  static final long[] TWO_BY_THREE = {2, 3};
  static final long[] TWO_BY_TWO = {2, 2};

  static Stream<Case> cases() {
    // Expected values: mean over the batch of Keras 3's per-sample formulas, eps = 1e-7.
    return Stream.of(
        new Case(Losses.meanSquaredError(), ONE_HOT, TWO_BY_THREE, PROBS, TWO_BY_THREE, 0.11333333333333334),
        new Case(Losses.get("mse"), ONE_HOT, TWO_BY_THREE, PROBS, TWO_BY_THREE, 0.11333333333333334),
        new Case(Losses.categoricalCrossentropy(), ONE_HOT, TWO_BY_THREE, PROBS, TWO_BY_THREE, 0.6364828379064438),
        new Case(Losses.categoricalCrossentropy(true), ONE_HOT, TWO_BY_THREE, LOGITS, TWO_BY_THREE, 0.265126343932687),
        new Case(Losses.sparseCategoricalCrossentropy(), new float[] {1, 2}, new long[] {2}, PROBS, TWO_BY_THREE,
            0.6364828379064438),
        new Case(Losses.sparseCategoricalCrossentropy(true), new float[] {1, 2}, new long[] {2}, LOGITS, TWO_BY_THREE,
            0.265126343932687),
        new Case(Losses.binaryCrossentropy(), new float[] {1, 0, 0, 1}, TWO_BY_TWO, new float[] {0.8f, 0.4f, 0.3f, 0.9f},
            TWO_BY_TWO, 0.2990011586691898),
        new Case(Losses.binaryCrossentropy(true), new float[] {1, 0, 0, 1}, TWO_BY_TWO,
            new float[] {1.5f, -0.5f, -2f, 0.7f}, TWO_BY_TWO, 0.30140108052282233),
        new Case(Losses.klDivergence(), new float[] {0.2f, 0.8f, 0.5f, 0.5f}, TWO_BY_TWO,
            new float[] {0.4f, 0.6f, 0.9f, 0.1f}, TWO_BY_TWO, 0.30117092280771324),
        new Case(Losses.cosineSimilarity(), new float[] {1, 2, 3, 0, -1, 0}, TWO_BY_THREE,
            new float[] {2, 2, 2, 1, 1, 0}, TWO_BY_THREE, -0.10935665929300203));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void valueMatchesTheFormula(Case c) {
    assertEquals(c.expected(), value(c, c.predictions()), 1e-5 * Math.max(1, Math.abs(c.expected())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(Case c) {
    float[] analytic = gradient(c);
    double h = 1e-3;
    for (int i = 0; i < c.predictions().length; i++) {
      float[] plus = c.predictions().clone();
      float[] minus = c.predictions().clone();
      plus[i] += (float) h;
      minus[i] -= (float) h;
      double numeric = (value(c, plus) - value(c, minus)) / (2 * h);
      assertEquals(numeric, analytic[i], 2e-3 + 1e-2 * Math.abs(numeric), c.loss().name() + " d/dpred[" + i + "]");
    }
  }

  private static double value(Case c, float[] predictions) {
    return run(c, predictions, false)[0];
  }

  private static float[] gradient(Case c) {
    return run(c, c.predictions(), true);
  }

  private static float[] run(Case c, float[] predictions, boolean gradient) {
    try (Graph g = new Graph(); TFloat32 t = Tensors.of(c.targets(), c.targetShape());
        TFloat32 p = Tensors.of(predictions, c.shape())) {
      TfGraph state = new TfGraph(g);
      Tf tf = state.tf();
      Operand<TFloat32> targets = state.placeholder("t", c.targetShape());
      Operand<TFloat32> preds = state.placeholder("p", c.shape());
      Loss.Built built = c.loss().build(state, targets, preds, tf.scalar(1f));
      try (TfSession s = new TfSession(state)) {
        return s.run(Map.of(targets, t, preds, p), List.of(gradient ? built.dPredictions() : built.value())).get(0);
      }
    }
  }
}
