package dev.leibniz.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.FitOptions;
import dev.leibniz.History;
import dev.leibniz.Model;
import dev.leibniz.Sequential;
import dev.leibniz.data.Data;
import dev.leibniz.layers.Dense;
import dev.leibniz.optimizers.SGD;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * fit and evaluate with Keras's {@code sample_weight} and {@code class_weight} against Keras 3
 * (keras/weighted, made by make_weighted.py): the same models from the same weights, 2 epochs of
 * batches of 4 unshuffled; losses, metrics (which Keras 3's compiled metrics do not weigh) and the
 * weights after.
 */
class SampleWeightTest {
  static final Map<String, float[]> K = read();

  static Map<String, float[]> read() {
    Map<String, float[]> out = new HashMap<>();
    try (InputStream in = SampleWeightTest.class.getResourceAsStream("/keras/weighted/weighted.txt")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.trim().split(" ");
        float[] v = new float[f.length - 2];
        for (int i = 0; i < v.length; i++) {
          v[i] = Float.parseFloat(f[i + 2]);
        }
        out.put(f[0], v);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out;
  }

  private static Model classifier() {
    Model m = Sequential.of(new Dense(3, "softmax"));
    m.compile(new SGD(0.5f), "sparse_categorical_crossentropy", "accuracy");
    m.build(new long[] {4});
    m.setWeights(List.of(K.get("classifier.initial0"), K.get("classifier.initial1")));
    return m;
  }

  private static final Data X = Data.of(K.get("x"), 4);
  private static final Data LABELS = Data.labels(toInts(K.get("labels")));

  private static int[] toInts(float[] v) {
    int[] out = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = Math.round(v[i]);
    }
    return out;
  }

  private static FitOptions twoEpochs() {
    return FitOptions.epochs(2).batchSize(4).shuffle(false).verbose(0);
  }

  private static void close(String what, float[] expected, List<Double> got) {
    assertEquals(expected.length, got.size(), what);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], got.get(i), 1e-5, what + " epoch " + (i + 1));
    }
  }

  private static void weights(String prefix, Model m) {
    List<float[]> w = m.getWeights();
    for (int k = 0; k < w.size(); k++) {
      float[] expected = K.get(prefix + ".after" + k);
      for (int i = 0; i < expected.length; i++) {
        assertEquals(expected[i], w.get(k)[i], 1e-5, prefix + " weight " + k + "[" + i + "]");
      }
    }
  }

  @Test
  void sampleWeightsInFitAndEvaluateAsKeras() {
    try (Model m = classifier()) {
      History h = m.fit(X, LABELS, twoEpochs().sampleWeight(K.get("sample_weight")));
      close("loss", K.get("sample.loss"), h.get("loss"));
      close("accuracy", K.get("sample.accuracy"), h.get("accuracy"));
      weights("sample", m);
      Map<String, Double> e = m.evaluate(X, LABELS, Data.of(K.get("sample_weight")), 8);
      assertEquals(K.get("sample.evaluate")[0], e.get("loss"), 1e-5);
      assertEquals(K.get("sample.evaluate")[1], e.get("accuracy"), 1e-6);
      assertTrue(Math.abs(e.get("loss") - m.evaluate(X, LABELS, 8).get("loss")) > 1e-3, "the weights change the loss");
    }
  }

  @Test
  void classWeightsAsKeras() {
    try (Model m = classifier()) {
      History h = m.fit(X, LABELS, twoEpochs().classWeight(Map.of(0, 1.0, 1, 2.0, 2, 0.5)));
      close("loss", K.get("class.loss"), h.get("loss"));
      close("accuracy", K.get("class.accuracy"), h.get("accuracy"));
      weights("class", m);
    }
  }

  @Test
  void weightedRegressionWithAWeightedMetricAsKeras() {
    try (Model m = Sequential.of(new Dense(2))) {
      m.compile(new SGD(0.1f), "mse", "mae");
      m.build(new long[] {4});
      m.setWeights(List.of(K.get("regression.initial0"), K.get("regression.initial1")));
      History h = m.fit(X, Data.of(K.get("targets"), 2), twoEpochs().sampleWeight(K.get("sample_weight")));
      close("loss", K.get("regression.loss"), h.get("loss"));
      close("mae", K.get("regression.mae"), h.get("mae"));
      weights("regression", m);
    }
  }

  @Test
  void badWeightsFailBeforeTraining() {
    try (Model m = classifier()) {
      IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
          () -> m.fit(X, LABELS, twoEpochs().sampleWeight(new float[] {1, 2})));
      assertTrue(count.getMessage().contains("one weight per sample: 8 numbers, got 2"), count.getMessage());
      IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
          () -> m.fit(X, LABELS, twoEpochs().sampleWeight(new float[] {1, 1, 1, -1, 1, 1, 1, 1})));
      assertTrue(negative.getMessage().contains("holds -1.0 at sample 3"), negative.getMessage());
      assertThrows(IllegalArgumentException.class, () -> m.fit(X, LABELS, twoEpochs()
          .sampleWeight(K.get("sample_weight")).classWeight(Map.of(0, 2.0))));
    }
  }
}
