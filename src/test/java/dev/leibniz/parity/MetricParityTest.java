package dev.leibniz.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leibniz.metrics.AUC;
import dev.leibniz.metrics.F1Score;
import dev.leibniz.metrics.MeanIoU;
import dev.leibniz.metrics.Metric;
import dev.leibniz.metrics.Metrics;
import dev.leibniz.training.MetricsTest;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every metric on edge inputs against Keras 3 (metrics.txt), streamed over its batches as fit
 * streams them: soft targets (Keras compares binary accuracy exactly and counts every non-zero
 * target as positive), predictions at the threshold, ties, absent classes, raw scores (AUC clips
 * them to [0, 1], or takes them as logits), all-equal predictions, regression errors over
 * zero targets, top-k ties at the boundary, F1 averages with classes never predicted, IoU with
 * an absent class.
 */
class MetricParityTest {
  static final KerasFixture METRICS = KerasFixture.read("metrics.txt");

  static Stream<KerasFixture.Case> cases() {
    return METRICS.cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void resultAsKeras(KerasFixture.Case c) {
    List<String> w = c.words();
    Metric metric = switch (w.get(0)) {
      case "auc" -> w.contains("fromLogits") ? AUC.fromLogits() : Metrics.get("auc", null, 0);
      case "f1_score" -> new F1Score(w.get(1), w.size() > 2 ? Double.parseDouble(w.get(2)) : Double.NaN);
      case "mean_iou" -> new MeanIoU(Integer.parseInt(w.get(1)));
      default -> Metrics.get(w.get(0), null, 0);
    };
    List<MetricsTest.Batch> batches = new ArrayList<>();
    for (int i = 0; METRICS.has(c.name() + ".targets" + i); i++) {
      KerasFixture.Array t = METRICS.get(c.name() + ".targets" + i);
      KerasFixture.Array p = METRICS.get(c.name() + ".predictions" + i);
      batches.add(new MetricsTest.Batch(t.values(), t.shape(), p.values(), p.shape()));
    }
    double expected = METRICS.get(c.name() + ".result").scalar();
    // float32 totals: 1e-6 relative (MAPE over a zero target is 1e8)
    assertEquals(expected, MetricsTest.stream(metric, batches), 1e-6 * Math.max(1, Math.abs(expected)), c.name());
  }
}
