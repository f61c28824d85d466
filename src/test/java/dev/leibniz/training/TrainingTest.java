package dev.leibniz.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.FitOptions;
import dev.leibniz.Functional;
import dev.leibniz.Functional.Symbol;
import dev.leibniz.History;
import dev.leibniz.Leibniz;
import dev.leibniz.Model;
import dev.leibniz.Sequential;
import dev.leibniz.callbacks.Callback;
import dev.leibniz.callbacks.EarlyStopping;
import dev.leibniz.data.Data;
import dev.leibniz.layers.Dense;
import dev.leibniz.layers.Flatten;
import dev.leibniz.layers.Reshape;
import dev.leibniz.optimizers.Optimizers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** fit / evaluate / predict end to end: History, callbacks, the three kinds of model, summary, bad input. */
class TrainingTest {
  /** Two noisy Gaussian blobs in 4 dimensions, labels 0 and 1. */
  static Data[] blobs(int n, long seed) {
    Random r = new Random(seed);
    float[] x = new float[n * 4];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 2;
      for (int j = 0; j < 4; j++) {
        x[i * 4 + j] = (float) ((y[i] == 1 ? 1 : -1) * (j < 2 ? 1 : 0.5) + r.nextGaussian());
      }
    }
    return new Data[] {Data.of(x, 4), Data.labels(y)};
  }

  static float[] asFloats(Data labels) {
    return labels.values().clone();
  }

  @Test
  void historyHoldsLossMetricsAndValidationPerEpoch() {
    Data[] train = blobs(400, 1);
    Data[] val = blobs(100, 2);
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    try (Model model = Sequential.of(new Dense(16, "relu"), new Dense(2, "softmax"))) {
      model.compile("adam", "sparse_categorical_crossentropy", "accuracy");
      History h = model.fit(train[0], train[1], FitOptions.epochs(4).batchSize(32).validationData(val[0], val[1])
          .printTo(new PrintStream(printed, true, StandardCharsets.UTF_8)));
      assertEquals(List.of("accuracy", "loss", "val_accuracy", "val_loss"), List.copyOf(h.history().keySet()));
      for (List<Double> v : h.history().values()) {
        assertEquals(4, v.size());
      }
      assertEquals(4, h.epochs());
      List<Double> loss = h.get("loss");
      assertTrue(loss.get(3) < loss.get(0), "loss did not fall: " + loss);
      assertTrue(h.last("val_accuracy") > 0.85, "val_accuracy " + h.last("val_accuracy"));
      // The last epoch's val_ values are what evaluate computes on the same data.
      Map<String, Double> eval = model.evaluate(val[0], val[1], 32);
      assertEquals(h.last("val_loss"), eval.get("loss"), 1e-5);
      assertEquals(h.last("val_accuracy"), eval.get("accuracy"), 1e-9);
      String[] lines = printed.toString(StandardCharsets.UTF_8).split("\n");
      assertEquals(8, lines.length, "verbose 1 into a stream that is not a terminal: the epoch, then its finished"
          + " bar: " + printed);
      assertEquals("Epoch 1/4", lines[0]);
      assertTrue(lines[1].matches("13/13 [━=]{20} \\d+s \\d+(us|ms)/step - accuracy: \\d\\.\\d{4} - loss: \\d\\.\\d{4}"
          + " - val_accuracy: \\d\\.\\d{4} - val_loss: \\d\\.\\d{4}"), lines[1]);
    }
  }

  @Test
  void predictIsBatchedAndMatchesTheWeights() {
    Data[] data = blobs(70, 3);
    try (Model model = Sequential.of(new Dense(3))) {
      model.build(new long[] {4});
      float[] whole = model.predict(data[0], 70).values();
      float[] batched = model.predict(data[0], 16).values();
      assertArrayEquals(whole, batched, 1e-6f);
      List<float[]> w = model.getWeights(); // kernel [4, 3], bias [3]
      for (int i = 0; i < 70; i++) {
        for (int j = 0; j < 3; j++) {
          double y = w.get(1)[j];
          for (int k = 0; k < 4; k++) {
            y += data[0].values()[i * 4 + k] * w.get(0)[k * 3 + j];
          }
          assertEquals(y, whole[i * 3 + j], 1e-5);
        }
      }
    }
  }

  @Test
  void earlyStoppingStopsAndRestoresTheBestWeights() {
    Data[] train = blobs(200, 4);
    List<List<float[]>> weights = new ArrayList<>();
    EarlyStopping stop = new EarlyStopping("loss", 10, 2, true); // min_delta 10: nothing counts as better
    try (Model model = Sequential.of(new Dense(2, "softmax"))) {
      model.compile(Optimizers.sgd(0.1f), "sparse_categorical_crossentropy");
      // The hook runs before EarlyStopping, so it sees each epoch's own weights.
      History h = model.fit(train[0], train[1], FitOptions.epochs(10).verbose(0).callbacks(
          Callback.atEpochEnd((m, epoch, logs) -> weights.add(m.getWeights())), stop));
      assertEquals(3, h.epochs(), "the first epoch sets the best, two more without improvement stop it");
      assertEquals(2, stop.stoppedEpoch());
      assertEquals(0, stop.bestEpoch());
      List<float[]> now = model.getWeights();
      assertArrayEquals(weights.get(0).get(0), now.get(0), "the best (first) epoch's kernel is back");
      assertTrue(!java.util.Arrays.equals(weights.get(2).get(0), now.get(0)), "training had moved the kernel on");
    }
  }

  @Test
  void functionalModelWithTwoInputsAndASharedLayer() {
    Data[] a = blobs(300, 5);
    Data[] b = blobs(300, 6);
    Dense shared = new Dense(8, "tanh");
    Symbol left = Functional.input(4);
    Symbol right = Functional.input(4);
    Symbol merged = Functional.apply(new Dense(2, "softmax"), Functional.apply(new Dense(8, "relu"),
        Functional.apply(shared, left)));
    Symbol other = Functional.apply(new Dense(1, "sigmoid"), Functional.apply(shared, right));
    try (Model model = Functional.model(List.of(left, right), List.of(merged, other))) {
      model.compile(Optimizers.adam(0.01f), List.of(dev.leibniz.losses.Losses.sparseCategoricalCrossentropy(),
          dev.leibniz.losses.Losses.binaryCrossentropy()), new float[] {1f, 0.5f}, List.of("accuracy"));
      History h = model.fit(List.of(a[0], b[0]), List.of(a[1], Data.of(asFloats(b[1]), 1)),
          FitOptions.epochs(5).verbose(0));
      assertTrue(h.last("output_0_accuracy") > 0.85, h.toString());
      assertTrue(h.last("output_1_accuracy") > 0.85, h.toString());
      // Each output's own loss is logged too, and the total is their weighted sum.
      assertEquals(h.last("output_0_loss") + 0.5 * h.last("output_1_loss"), h.last("loss"), 1e-5);
      Map<String, Double> eval = model.evaluate(List.of(a[0], b[0]), List.of(a[1], Data.of(asFloats(b[1]), 1)), 50);
      assertEquals(List.of("loss", "output_0_accuracy", "output_0_loss", "output_1_accuracy", "output_1_loss"),
          List.copyOf(eval.keySet()));
      assertTrue(model.summary().contains("dense (Dense)"), model.summary());
      // The shared layer's weights count once: 4*8+8, 8*8+8, 8*2+2, 8*1+1.
      assertTrue(model.summary().contains("Total params: 139"), model.summary());
    }
  }

  @Test
  void modelClassTrainsThroughItsSublayers() {
    Data[] train = blobs(300, 7);
    try (Model model = Leibniz.model(new TinyMlp())) {
      model.compile(Optimizers.rmsprop(0.01f), "binary_crossentropy", "accuracy", "auc", "precision", "recall");
      History h = model.fit(train[0], Data.of(asFloats(train[1]), 1), FitOptions.epochs(5).verbose(0));
      assertTrue(h.last("accuracy") > 0.85, h.toString());
      assertTrue(h.last("auc") > 0.9, h.toString());
      assertTrue(h.last("precision") > 0.8 && h.last("recall") > 0.8, h.toString());
      assertTrue(model.summary().contains("Total params: 49"), model.summary()); // 4*8+8 + 8+1
    }
  }

  @Test
  void summaryOfAModelClassShowsItsSublayersShapesAndEveryWeight() {
    try (Model model = Leibniz.model(new GatedMlp())) {
      model.build(new long[] {4});
      String s = model.summary();
      assertTrue(s.matches("(?s).*dense \\(Dense\\)\\s+\\(None, 8\\)\\s+40\n.*"), s);
      assertTrue(s.matches("(?s).*dense_1 \\(Dense\\)\\s+\\(None, 3\\)\\s+27\n.*"), s);
      assertTrue(s.matches("(?s).*\\(weights of gated_mlp itself\\)\\s+8\n.*"), s);
      assertTrue(s.contains("Total params: 75"), "40 + 27 + 8: the rows add up to the total. " + s);
      assertTrue(!s.contains("?"), s);
    }
  }

  @Test
  void aFrozenLayerKeepsItsWeightsUntilItIsTrainableAgain() {
    Data[] train = blobs(64, 21);
    Dense base = new Dense(8, "relu");
    Dense head = new Dense(2, "softmax");
    try (Model model = Sequential.of(base, head)) {
      model.compile("adam", "sparse_categorical_crossentropy", "accuracy");
      model.build(new long[] {4});
      model.setTrainable(base, false);
      assertTrue(model.summary().contains("Trainable params: 18") && model.summary().contains("Non-trainable params: 40"),
          model.summary());
      assertEquals(List.of("kernel_1", "bias_1"), model.trainableWeightNames());
      List<float[]> before = model.getWeights();
      model.fit(train[0], train[1], FitOptions.epochs(2).batchSize(16).verbose(0));
      List<float[]> frozen = model.getWeights();
      assertArrayEquals(before.get(0), frozen.get(0), 0f, "the frozen kernel did not move");
      assertArrayEquals(before.get(1), frozen.get(1), 0f);
      assertTrue(Math.abs(before.get(2)[0] - frozen.get(2)[0]) > 1e-5, "the head trained");

      model.setTrainable(base, true); // fine-tuning: the base trains again
      model.fit(train[0], train[1], FitOptions.epochs(1).batchSize(16).verbose(0));
      assertTrue(Math.abs(frozen.get(0)[0] - model.getWeights().get(0)[0]) > 1e-6, "the base trained again");
      assertThrows(IllegalArgumentException.class, () -> model.setTrainable(new Dense(3), false));
    }
  }

  @Test
  void summaryAsKerasPrintsIt() {
    try (Model model = Sequential.of(new Reshape(28, 28), new Flatten(), new Dense(512, "relu"), new Dense(10, "softmax"))) {
      assertThrows(IllegalStateException.class, model::summary);
      model.build(new long[] {784});
      String s = model.summary();
      assertTrue(s.startsWith("Model: \"sequential\""), s);
      assertTrue(s.matches("(?s).*reshape \\(Reshape\\)\\s+\\(None, 28, 28\\)\\s+0.*"), s);
      assertTrue(s.matches("(?s).*flatten \\(Flatten\\)\\s+\\(None, 784\\)\\s+0.*"), s);
      assertTrue(s.matches("(?s).*dense \\(Dense\\)\\s+\\(None, 512\\)\\s+401,920.*"), s);
      assertTrue(s.matches("(?s).*dense_1 \\(Dense\\)\\s+\\(None, 10\\)\\s+5,130.*"), s);
      assertTrue(s.contains("Total params: 407,050") && s.contains("Non-trainable params: 0"), s);
    }
  }

  @Test
  void badInputGetsClearErrors() {
    Data[] train = blobs(50, 8);
    try (Model model = Sequential.of(new Dense(3, "softmax"))) {
      IllegalStateException notCompiled = assertThrows(IllegalStateException.class,
          () -> model.fit(train[0], train[1], FitOptions.epochs(1)));
      assertTrue(notCompiled.getMessage().contains("call compile"), notCompiled.getMessage());

      model.compile("sgd", "sparse_categorical_crossentropy", "accuracy");
      var counts = assertThrows(IllegalArgumentException.class,
          () -> model.fit(train[0], train[1].slice(0, 40), FitOptions.epochs(1)));
      assertTrue(counts.getMessage().contains("x has 50 samples but y has 40"), counts.getMessage());

      var range = assertThrows(IllegalArgumentException.class,
          () -> model.fit(train[0], labelsWith(50, 7), FitOptions.epochs(1)));
      assertTrue(range.getMessage().contains("label 7.0 at sample 3 is not a class index in [0, 3)"), range.getMessage());

      model.fit(train[0], train[1], FitOptions.epochs(1).verbose(0));
      var features = assertThrows(IllegalArgumentException.class,
          () -> model.predict(Data.of(new float[50 * 5], 5), 10));
      assertTrue(features.getMessage().contains("built for samples of shape [4], got samples of shape [5]"),
          features.getMessage());

      // A column of class indices [n, 1], as Keras takes them, is one index per sample.
      Data column = Data.of(train[1].values(), 1);
      assertEquals(model.evaluate(train[0], train[1], 10), model.evaluate(train[0], column, 10));

      var oneHot = assertThrows(IllegalArgumentException.class,
          () -> model.fit(train[0], Data.of(new float[50 * 3], 3), FitOptions.epochs(1)));
      assertTrue(oneHot.getMessage().contains("use categorical_crossentropy"), oneHot.getMessage());
    }
    var nan = assertThrows(IllegalArgumentException.class, () -> Data.of(new float[] {1, Float.NaN, 3, 4}, 2));
    assertTrue(nan.getMessage().contains("NaN at sample 0 (value 1 of it)"), nan.getMessage());
    var unknown = assertThrows(IllegalArgumentException.class, () -> dev.leibniz.losses.Losses.get("hinge2"));
    assertTrue(unknown.getMessage().contains("unknown loss \"hinge2\""), unknown.getMessage());
    var notALayer = assertThrows(IllegalArgumentException.class, () -> Sequential.of("a string"));
    assertTrue(notALayer.getMessage().contains("java.lang.String is not a compiled layer"), notALayer.getMessage());
  }

  private static Data labelsWith(int n, int bad) {
    int[] y = new int[n];
    y[3] = bad;
    return Data.labels(y);
  }

  @Test
  void divergingLossStopsWithAClearError() {
    Data[] train = blobs(64, 9);
    float[] huge = train[0].values().clone();
    for (int i = 0; i < huge.length; i++) {
      huge[i] *= 1e18f;
    }
    try (Model model = Sequential.of(new Dense(1))) {
      model.compile(Optimizers.sgd(1f), "mse");
      ArithmeticException e = assertThrows(ArithmeticException.class,
          () -> model.fit(Data.of(huge, 4), Data.of(asFloats(train[1]), 1), FitOptions.epochs(3).verbose(0)));
      assertTrue(e.getMessage().startsWith("the loss became"), e.getMessage());
      assertTrue(e.getMessage().contains("at epoch 1, batch"), e.getMessage());
    }
  }
}
