package dev.leibniz.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leibniz.metrics.AUC;
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
 * them to [0, 1], or takes them as logits), all-equal predictions.
 */
class MetricParityTest {
  static final KerasFixture METRICS = KerasFixture.read("metrics.txt");

  static Stream<KerasFixture.Case> cases() {
    return METRICS.cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void resultAsKeras(KerasFixture.Case c) {
    Metric metric = c.words().contains("fromLogits") ? AUC.fromLogits() : Metrics.get(c.words().get(0), null, 0);
    List<MetricsTest.Batch> batches = new ArrayList<>();
    for (int i = 0; METRICS.has(c.name() + ".targets" + i); i++) {
      KerasFixture.Array t = METRICS.get(c.name() + ".targets" + i);
      KerasFixture.Array p = METRICS.get(c.name() + ".predictions" + i);
      batches.add(new MetricsTest.Batch(t.values(), t.shape(), p.values(), p.shape()));
    }
    assertEquals(METRICS.get(c.name() + ".result").scalar(), MetricsTest.stream(metric, batches), 1e-6, c.name());
  }
}
