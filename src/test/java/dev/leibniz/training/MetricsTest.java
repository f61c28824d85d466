package dev.leibniz.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.metrics.AUC;
import dev.leibniz.metrics.Accuracy;
import dev.leibniz.metrics.Metric;
import dev.leibniz.metrics.Metrics;
import dev.leibniz.metrics.Precision;
import dev.leibniz.metrics.Recall;
import dev.leibniz.losses.Losses;
import dev.leibniz.tf.Tensors;
import dev.leibniz.tf.Tf;
import dev.leibniz.tf.TfGraph;
import dev.leibniz.tf.TfSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Every metric against hand-computed values, streamed as fit streams them: statistics of two
 * batches summed, then the result; the same as one batch of everything.
 */
public class MetricsTest {
  /** The metric over batches (targets, target shape, predictions, prediction shape). */
  public record Batch(float[] t, long[] ts, float[] p, long[] ps) {}

  public static double stream(Metric m, List<Batch> batches) {
    List<float[]> totals = null;
    for (Batch b : batches) {
      try (Graph g = new Graph(); TFloat32 t = Tensors.of(b.t(), b.ts()); TFloat32 p = Tensors.of(b.p(), b.ps())) {
        TfGraph state = new TfGraph(g);
        Operand<TFloat32> targets = state.placeholder("t", b.ts());
        Operand<TFloat32> preds = state.placeholder("p", b.ps());
        try (TfSession s = new TfSession(state)) {
          List<float[]> stats = s.run(Map.of(targets, t, preds, p), m.statistics(state, targets, preds));
          if (totals == null) {
            totals = new ArrayList<>(stats);
          } else {
            for (int i = 0; i < stats.size(); i++) {
              for (int j = 0; j < stats.get(i).length; j++) {
                totals.get(i)[j] += stats.get(i)[j];
              }
            }
          }
        }
      }
    }
    return m.result(totals);
  }

  static Batch batch(float[] t, long[] ts, float[] p, long[] ps) {
    return new Batch(t, ts, p, ps);
  }

  static long[] d(long... dims) {
    return dims;
  }

  @Test
  void binaryAccuracy() {
    // 5 of 6 right at threshold 0.5 (0.6 for a 0 is wrong).
    double acc = stream(Accuracy.binary(), List.of(
        batch(new float[] {1, 0, 1, 0}, d(4, 1), new float[] {0.9f, 0.2f, 0.7f, 0.6f}, d(4, 1)),
        batch(new float[] {1, 0}, d(2, 1), new float[] {0.51f, 0.49f}, d(2, 1))));
    assertEquals(5.0 / 6, acc, 1e-6);
  }

  @Test
  void categoricalAndSparseAccuracy() {
    float[] probs = {0.1f, 0.8f, 0.1f, 0.5f, 0.3f, 0.2f, 0.2f, 0.2f, 0.6f};
    // argmax: 1, 0, 2; true classes 1, 2, 2: 2 of 3 right
    double categorical = stream(Accuracy.categorical(), List.of(
        batch(new float[] {0, 1, 0, 0, 0, 1}, d(2, 3), java.util.Arrays.copyOf(probs, 6), d(2, 3)),
        batch(new float[] {0, 0, 1}, d(1, 3), java.util.Arrays.copyOfRange(probs, 6, 9), d(1, 3))));
    assertEquals(2.0 / 3, categorical, 1e-6);
    double sparse = stream(Accuracy.sparseCategorical(), List.of(
        batch(new float[] {1, 2, 2}, d(3), probs, d(3, 3))));
    assertEquals(2.0 / 3, sparse, 1e-6);
  }

  // targets 1 1 1 0 0 0 0, predictions: tp at 0.9 0.6, fn at 0.3, fp at 0.7, tn at 0.1 0.2 0.4
  static final float[] T = {1, 1, 1, 0, 0, 0, 0};
  static final float[] P = {0.9f, 0.6f, 0.3f, 0.7f, 0.1f, 0.2f, 0.4f};

  static List<Batch> twoBatches() {
    return List.of(batch(java.util.Arrays.copyOf(T, 3), d(3), java.util.Arrays.copyOf(P, 3), d(3)),
        batch(java.util.Arrays.copyOfRange(T, 3, 7), d(4), java.util.Arrays.copyOfRange(P, 3, 7), d(4)));
  }

  @Test
  void precisionAndRecall() {
    assertEquals(2.0 / 3, stream(new Precision(), twoBatches()), 1e-6); // tp 2, fp 1
    assertEquals(2.0 / 3, stream(new Recall(), twoBatches()), 1e-6); // tp 2, fn 1
  }

  @Test
  void aucIsTheRocArea() {
    // Exact ROC AUC: the fraction of (positive, negative) pairs ranked right: positives 0.9, 0.6, 0.3 against
    // negatives 0.7, 0.1, 0.2, 0.4 -> 0.9 beats 4, 0.6 beats 3, 0.3 beats 2: 9 of 12. With 200 thresholds
    // no two scores fall between the same pair of thresholds, so the trapezoids give it exactly.
    assertEquals(0.75, stream(new AUC(), twoBatches()), 1e-6);
    // A perfect ranking gives 1, a reversed one 0.
    assertEquals(1.0, stream(new AUC(), List.of(batch(new float[] {1, 0}, d(2), new float[] {0.8f, 0.3f}, d(2)))), 1e-6);
    assertEquals(0.0, stream(new AUC(), List.of(batch(new float[] {1, 0}, d(2), new float[] {0.3f, 0.8f}, d(2)))), 1e-6);
  }

  /** A loss named as a metric is its mean per sample over every batch, from the probabilities (Keras's wrapper). */
  @Test
  void aLossNamedAsAMetricIsItsMeanPerSample() {
    Metric bce = Metrics.get("binary_crossentropy", null, 1);
    assertEquals("binary_crossentropy", bce.name());
    double expected = -(Math.log(0.9) + Math.log(0.8) + Math.log(0.6) + Math.log(0.6)) / 4;
    assertEquals(expected, stream(bce, List.of(
        batch(new float[] {1, 0}, d(2, 1), new float[] {0.9f, 0.2f}, d(2, 1)),
        batch(new float[] {1, 0}, d(2, 1), new float[] {0.6f, 0.4f}, d(2, 1)))), 1e-6);
    double sparse = stream(Metrics.get("sparse_categorical_crossentropy", Losses.sparseCategoricalCrossentropy(), 3),
        List.of(batch(new float[] {2, 0}, d(2), new float[] {0.1f, 0.2f, 0.7f, 0.5f, 0.25f, 0.25f}, d(2, 3))));
    assertEquals(-(Math.log(0.7) + Math.log(0.5)) / 2, sparse, 1e-6);
    double kl = stream(Metrics.get("kl_divergence", null, 2),
        List.of(batch(new float[] {0.5f, 0.5f}, d(1, 2), new float[] {0.25f, 0.75f}, d(1, 2))));
    assertEquals(0.5 * Math.log(2) + 0.5 * Math.log(2.0 / 3), kl, 1e-6);
    // hinge takes 0/1 targets as -1/1: max(0, 1 - 0.3) and max(0, 1 + 0.4)
    double hinge = stream(Metrics.get("hinge", null, 1),
        List.of(batch(new float[] {1, 0}, d(2, 1), new float[] {0.3f, 0.4f}, d(2, 1))));
    assertEquals((0.7 + 1.4) / 2, hinge, 1e-6);
  }

  @Test
  void aLossMetricOfTheOtherTargetKindIsRefusedWithTheOneToUse() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Metrics.get("sparse_categorical_crossentropy", Losses.categoricalCrossentropy(), 3));
    for (String part : List.of("class indices", "categorical_crossentropy is given targets shaped like the predictions",
        "use a metric of the same kind (e.g. categorical_crossentropy)")) {
      assertTrue(e.getMessage().contains(part), e.getMessage());
    }
  }

  /** In fit's graph the metric sees the softmax's probabilities, the loss its logits: the same number here. */
  @Test
  void theLossAsAMetricMatchesTheLossInEvaluate() {
    float[][] x = {{1, 2}, {0, -1}, {3, 1}, {-2, 0.5f}};
    int[] labels = {0, 1, 2, 1};
    try (dev.leibniz.Model m = dev.leibniz.Sequential.of(new dev.leibniz.layers.Dense(3, "softmax")).seed(1).build(2)) {
      m.compile("sgd", "sparse_categorical_crossentropy", "sparse_categorical_crossentropy");
      Map<String, Double> r = m.evaluate(x, labels, 4);
      assertEquals(r.get("loss"), r.get("sparse_categorical_crossentropy"), 1e-6, r.toString());
    }
  }
}
