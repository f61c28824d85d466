package dev.leibniz.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.FitOptions;
import dev.leibniz.History;
import dev.leibniz.Model;
import dev.leibniz.Sequential;
import dev.leibniz.callbacks.LearningRateScheduler;
import dev.leibniz.callbacks.ReduceLROnPlateau;
import dev.leibniz.data.Data;
import dev.leibniz.dsl.Activations;
import dev.leibniz.dsl.Init;
import dev.leibniz.layers.Dense;
import dev.leibniz.losses.Losses;
import dev.leibniz.optimizers.Optimizers;
import dev.leibniz.optimizers.SGD;
import dev.leibniz.optimizers.schedules.CosineDecay;
import dev.leibniz.optimizers.schedules.ExponentialDecay;
import dev.leibniz.optimizers.schedules.InverseTimeDecay;
import dev.leibniz.optimizers.schedules.LearningRateSchedule;
import dev.leibniz.optimizers.schedules.PiecewiseConstantDecay;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The learning rate as a variable of the graph: set between steps with nothing rebuilt, read
 * back from the graph, moved by LearningRateScheduler and ReduceLROnPlateau, and computed from
 * the step count by Keras's schedules (against values Keras 3 computed: keras/schedules).
 */
class LearningRateTest {
  private static final Data X = Data.of(OptimizersTest.X, 3);
  private static final Data T = Data.of(OptimizersTest.T, 2);

  private static Model linear(dev.leibniz.optimizers.Optimizer optimizer) {
    Model model = Sequential.of(new Dense(2, Activations.LINEAR, true, Init.ZEROS, Init.ZEROS));
    model.compile(optimizer, Losses.meanSquaredError());
    model.build(new long[] {3});
    model.setWeights(List.of(OptimizersTest.KERNEL, OptimizersTest.BIAS));
    return model;
  }

  private static double[] weights(Model model) {
    double[] w = new double[8];
    List<float[]> got = model.getWeights();
    for (int i = 0; i < 8; i++) {
      w[i] = i < 6 ? got.get(0)[i] : got.get(1)[i - 6];
    }
    return w;
  }

  @Test
  void aRateSetBetweenStepsIsTheNextStepsRate() {
    SGD sgd = new SGD(0.05f);
    try (Model model = linear(sgd)) {
      assertEquals(0.05, model.learningRate(), 1e-9);
      for (double rate : new double[] {0.05, 0.01, 0.3}) {
        sgd.setLearningRate(rate);
        assertEquals(rate, model.learningRate(), 1e-7, "read back from the graph");
        double[] before = weights(model);
        double[] g = OptimizersTest.gradient(before);
        model.trainOnBatch(X, T);
        double[] after = weights(model);
        for (int i = 0; i < 8; i++) {
          assertEquals(before[i] - rate * g[i], after[i], 1e-6, "weight " + i + " at rate " + rate);
        }
      }
    }
  }

  @Test
  void schedulesGiveKerasRatesStepByStep() throws IOException {
    Map<String, LearningRateSchedule> schedules = new LinkedHashMap<>();
    schedules.put("exponential", new ExponentialDecay(0.1, 10, 0.5));
    schedules.put("exponential_staircase", new ExponentialDecay(0.1, 10, 0.5, true));
    schedules.put("inverse_time", new InverseTimeDecay(0.2, 5, 0.3));
    schedules.put("inverse_time_staircase", new InverseTimeDecay(0.2, 5, 0.3, true));
    schedules.put("piecewise", new PiecewiseConstantDecay(new long[] {10, 25}, new double[] {0.1, 0.05, 0.01}));
    schedules.put("cosine", new CosineDecay(0.1, 40, 0.1));
    schedules.put("cosine_warmup", new CosineDecay(0.0, 30, 0.0, 0.2, 10));
    Map<String, List<double[]>> keras = fixture();
    assertEquals(schedules.keySet(), keras.keySet());
    for (var e : schedules.entrySet()) {
      try (Model model = linear(Optimizers.sgd(e.getValue()))) {
        long steps = 0;
        for (double[] expected : keras.get(e.getKey())) {
          for (; steps < expected[0]; steps++) {
            model.trainOnBatch(X, T);
          }
          assertEquals(expected[1], model.learningRate(), 1e-6 * expected[1] + 1e-9,
              e.getKey() + " after " + steps + " steps");
        }
      }
    }
  }

  /** keras/schedules/schedules.txt: name, step, rate. */
  private static Map<String, List<double[]>> fixture() throws IOException {
    Map<String, List<double[]>> out = new LinkedHashMap<>();
    try (InputStream in = LearningRateTest.class.getResourceAsStream("/keras/schedules/schedules.txt")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.trim().split(" ");
        out.computeIfAbsent(f[0], k -> new ArrayList<>()).add(new double[] {Long.parseLong(f[1]), Double.parseDouble(f[2])});
      }
    }
    return out;
  }

  @Test
  void schedulerSetsEachEpochsRateAndLogsIt() {
    Data[] data = TrainingTest.blobs(64, 5);
    SGD sgd = new SGD(0.1f);
    try (Model model = Sequential.of(new Dense(2, "softmax"))) {
      model.compile(sgd, Losses.sparseCategoricalCrossentropy());
      History h = model.fit(data[0], data[1], FitOptions.epochs(4).batchSize(16).verbose(0)
          .callbacks(new LearningRateScheduler((epoch, rate) -> epoch == 0 ? rate : rate / 2)));
      assertEquals(List.of(0.1, 0.05, 0.025, 0.0125), rounded(h.get("learning_rate")));
      assertEquals(0.0125, model.learningRate(), 1e-8);
      assertEquals(0.0125f, sgd.learningRate());
    }
  }

  @Test
  void reduceOnPlateauLowersTheRateWhenTheMonitorStalls() {
    Data[] data = TrainingTest.blobs(64, 6);
    try (Model model = Sequential.of(new Dense(2, "softmax"))) {
      model.compile(new SGD(0.1f), Losses.sparseCategoricalCrossentropy());
      // minDelta 10: no epoch counts as better than the first, so every 2 epochs of waiting lower it
      History h = model.fit(data[0], data[1], FitOptions.epochs(8).batchSize(16).verbose(0)
          .callbacks(new ReduceLROnPlateau("loss", 0.1, 2, 10, 0, 0.0005)));
      assertEquals(List.of(0.1, 0.1, 0.1, 0.01, 0.01, 0.001, 0.001, 0.0005), rounded(h.get("learning_rate")));
      assertEquals(0.0005, model.learningRate(), 1e-9, "after the third lowering, minLr");
    }
  }

  @Test
  void reduceOnPlateauWaitsOutItsCooldownAndKeepsImprovements() {
    Data[] data = TrainingTest.blobs(64, 7);
    try (Model model = Sequential.of(new Dense(2, "softmax"))) {
      model.compile(new SGD(0.5f), Losses.sparseCategoricalCrossentropy());
      // the loss falls every epoch here: never lowered
      History h = model.fit(data[0], data[1], FitOptions.epochs(5).batchSize(64).shuffle(false).verbose(0)
          .callbacks(new ReduceLROnPlateau("loss", 0.5, 1)));
      assertEquals(List.of(0.5, 0.5, 0.5, 0.5, 0.5), rounded(h.get("learning_rate")), h.get("loss").toString());
    }
    try (Model model = Sequential.of(new Dense(2, "softmax"))) {
      model.compile(new SGD(0.1f), Losses.sparseCategoricalCrossentropy());
      History h = model.fit(data[0], data[1], FitOptions.epochs(6).batchSize(16).verbose(0)
          .callbacks(new ReduceLROnPlateau("loss", 0.5, 1, 10, 2, 0)));
      // lowered at the end of epoch 2, then 2 epochs of cooldown (the second counts again), as Keras
      assertEquals(List.of(0.1, 0.1, 0.05, 0.05, 0.025, 0.025), rounded(h.get("learning_rate")));
      assertEquals(0.0125, model.learningRate(), 1e-9);
    }
  }

  private static List<Double> rounded(List<Double> values) {
    return values.stream().map(v -> Math.round(v * 1e7) / 1e7).toList();
  }

  @Test
  void nonsenseFailsBeforeTrainingNamingWhatWasGiven() {
    Data[] data = TrainingTest.blobs(32, 8);
    try (Model model = Sequential.of(new Dense(2, "softmax"))) {
      model.compile(new SGD(0.1f), "sparse_categorical_crossentropy", "accuracy");
      model.build(new long[] {4});
      List<float[]> before = model.getWeights();
      IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> model.fit(data[0], data[1],
          FitOptions.epochs(2).verbose(0).callbacks(new ReduceLROnPlateau("val_acuracy", 0.5, 1))));
      assertTrue(unknown.getMessage().contains("monitors \"val_acuracy\", which this fit does not log; it logs [loss,"
          + " accuracy]"), unknown.getMessage());
      assertArrayEquals(before.get(0), model.getWeights().get(0), "no step ran");
      IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> model.fit(data[0],
          data[1], FitOptions.epochs(2).verbose(0).callbacks(new LearningRateScheduler((e, r) -> -0.1))));
      assertTrue(negative.getMessage().contains("gave -0.1 for epoch 0"), negative.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau("loss", 1.5, 1));
    assertThrows(IllegalArgumentException.class, () -> new ExponentialDecay(-0.1, 10, 0.5));
    assertThrows(IllegalArgumentException.class, () -> new ExponentialDecay(0.1, 0, 0.5));
    assertThrows(IllegalArgumentException.class, () -> new PiecewiseConstantDecay(new long[] {10}, new double[] {0.1}));
    assertThrows(IllegalArgumentException.class, () -> new CosineDecay(0.1, 100, 2));
    IllegalArgumentException rate = assertThrows(IllegalArgumentException.class, () -> new SGD(0.1f).setLearningRate(0));
    assertTrue(rate.getMessage().contains("got 0.0"), rate.getMessage());
    IllegalStateException scheduled = assertThrows(IllegalStateException.class,
        () -> Optimizers.adam(new ExponentialDecay(0.1, 10, 0.5)).setLearningRate(0.01));
    assertTrue(scheduled.getMessage().contains("follows ExponentialDecay[initialLearningRate=0.1"), scheduled.getMessage());
  }
}
