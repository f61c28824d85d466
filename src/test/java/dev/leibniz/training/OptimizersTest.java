package dev.leibniz.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leibniz.FitOptions;
import dev.leibniz.Model;
import dev.leibniz.Sequential;
import dev.leibniz.data.Data;
import dev.leibniz.dsl.Activations;
import dev.leibniz.dsl.Init;
import dev.leibniz.layers.Dense;
import dev.leibniz.losses.Losses;
import dev.leibniz.optimizers.Adagrad;
import dev.leibniz.optimizers.Adam;
import dev.leibniz.optimizers.Optimizer;
import dev.leibniz.optimizers.RMSprop;
import dev.leibniz.optimizers.SGD;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each optimizer's update rule against its formula, written out in Java doubles: a linear
 * Dense(2) trained full batch on mean squared error for four steps, the gradient computed by
 * hand (2/N X^T (XW + b - T)).
 */
class OptimizersTest {
  interface Rule {
    /** Updates w in place given gradient g at step t (from 1); state[k] are the slots per element. */
    void step(double[] w, double[] g, double[][] state, int t);
  }

  record Case(String name, Optimizer optimizer, Rule rule, double[] initialSlots) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final double LR = 0.05;

  static Stream<Case> cases() {
    return Stream.of(
        new Case("sgd", new SGD((float) LR), (w, g, s, t) -> {
          for (int i = 0; i < w.length; i++) {
            w[i] -= LR * g[i];
          }
        }, new double[0]),
        new Case("sgd momentum 0.9", new SGD((float) LR, 0.9f, false), (w, g, s, t) -> {
          for (int i = 0; i < w.length; i++) {
            s[0][i] = 0.9 * s[0][i] - LR * g[i];
            w[i] += s[0][i];
          }
        }, new double[] {0}),
        new Case("sgd nesterov 0.9", new SGD((float) LR, 0.9f, true), (w, g, s, t) -> {
          for (int i = 0; i < w.length; i++) {
            s[0][i] = 0.9 * s[0][i] - LR * g[i];
            w[i] += 0.9 * s[0][i] - LR * g[i];
          }
        }, new double[] {0}),
        new Case("rmsprop", new RMSprop((float) LR), (w, g, s, t) -> {
          for (int i = 0; i < w.length; i++) {
            s[0][i] = 0.9 * s[0][i] + 0.1 * g[i] * g[i];
            w[i] -= LR * g[i] / Math.sqrt(s[0][i] + 1e-7);
          }
        }, new double[] {0}),
        new Case("adam", new Adam((float) LR), (w, g, s, t) -> {
          double alpha = LR * Math.sqrt(1 - Math.pow(0.999, t)) / (1 - Math.pow(0.9, t));
          for (int i = 0; i < w.length; i++) {
            s[0][i] = 0.9 * s[0][i] + 0.1 * g[i];
            s[1][i] = 0.999 * s[1][i] + 0.001 * g[i] * g[i];
            w[i] -= alpha * s[0][i] / (Math.sqrt(s[1][i]) + 1e-7);
          }
        }, new double[] {0, 0}),
        new Case("adagrad", new Adagrad((float) LR), (w, g, s, t) -> {
          for (int i = 0; i < w.length; i++) {
            s[0][i] += g[i] * g[i];
            w[i] -= LR * g[i] / (Math.sqrt(s[0][i]) + 1e-7);
          }
        }, new double[] {0.1}));
  }

  // 4 samples of 3 features, 2 targets each.
  static final float[] X = {0.5f, -1f, 2f, 1.5f, 0.2f, -0.3f, -0.7f, 0.9f, 1.1f, 0.3f, 0.4f, -1.2f};
  static final float[] T = {1f, -1f, 0.5f, 2f, -0.5f, 0.3f, 1.2f, 0.1f};
  static final float[] KERNEL = {0.1f, -0.2f, 0.3f, 0.05f, -0.15f, 0.25f};
  static final float[] BIAS = {0.01f, -0.02f};

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void updatesFollowTheFormula(Case c) {
    int steps = 4;
    double[] w = new double[8]; // kernel [3,2] row-major, then bias [2]
    for (int i = 0; i < 6; i++) {
      w[i] = KERNEL[i];
    }
    w[6] = BIAS[0];
    w[7] = BIAS[1];
    double[][] slots = new double[c.initialSlots().length][8];
    for (int k = 0; k < slots.length; k++) {
      java.util.Arrays.fill(slots[k], c.initialSlots()[k]);
    }
    for (int t = 1; t <= steps; t++) {
      c.rule().step(w, gradient(w), slots, t);
    }

    try (Model model = Sequential.of(new Dense(2, Activations.LINEAR, true, Init.ZEROS, Init.ZEROS))) {
      model.compile(c.optimizer(), Losses.meanSquaredError());
      model.build(new long[] {3});
      model.setWeights(List.of(KERNEL, BIAS));
      model.fit(Data.of(X, 3), Data.of(T, 2), FitOptions.epochs(steps).batchSize(4).shuffle(false).verbose(0));
      List<float[]> got = model.getWeights();
      for (int i = 0; i < 8; i++) {
        float actual = i < 6 ? got.get(0)[i] : got.get(1)[i - 6];
        assertEquals(w[i], actual, 2e-5 * Math.max(1, Math.abs(w[i])), c.name() + ": weight " + i + " after "
            + steps + " steps");
      }
      // The weights moved: the test would notice an optimizer that does nothing.
      assertEquals(true, Math.abs(got.get(0)[0] - KERNEL[0]) > 1e-3, c.name() + " left the kernel unchanged");
    }
  }

  /** d/dW mean((XW + b - T)^2) over all 8 values. */
  static double[] gradient(double[] w) {
    double[] g = new double[8];
    for (int n = 0; n < 4; n++) {
      for (int j = 0; j < 2; j++) {
        double y = w[6 + j];
        for (int k = 0; k < 3; k++) {
          y += X[n * 3 + k] * w[k * 2 + j];
        }
        double r = 2 * (y - T[n * 2 + j]) / 8;
        for (int k = 0; k < 3; k++) {
          g[k * 2 + j] += X[n * 3 + k] * r;
        }
        g[6 + j] += r;
      }
    }
    return g;
  }

  /**
   * Keras's use_ema: training itself is unchanged (the same weights step by step as without),
   * and when fit ends the weights are the moving average of their values after each step.
   */
  @org.junit.jupiter.api.Test
  void emaAveragesTheWeightsAndPutsTheAverageInPlaceWhenFitEnds() {
    float[] x = {1, 2, -1, 0.5f, 3, -2};
    float[] y = {1, -1, 2};
    java.util.List<float[]> steps = new java.util.ArrayList<>();
    try (Model plain = Sequential.of(new Dense(1, Activations.LINEAR, false, Init.GLOROT_UNIFORM, Init.ZEROS))) {
      plain.compile(new SGD(0.1f), Losses.meanSquaredError());
      plain.fit(Data.of(x, 2), Data.of(y, 1), FitOptions.epochs(3).batchSize(3).shuffle(false).verbose(0)
          .callbacks(dev.leibniz.callbacks.Callback.atEpochEnd((m, epoch, logs) -> steps.add(m.getWeights().get(0)))));
    }
    float[] average = steps.get(0).clone();
    for (int i = 1; i < steps.size(); i++) {
      for (int j = 0; j < average.length; j++) {
        average[j] = 0.5f * average[j] + 0.5f * steps.get(i)[j];
      }
    }
    java.util.List<float[]> seen = new java.util.ArrayList<>();
    try (Model ema = Sequential.of(new Dense(1, Activations.LINEAR, false, Init.GLOROT_UNIFORM, Init.ZEROS))) {
      ema.compile(new SGD(0.1f).withEma(0.5), Losses.meanSquaredError());
      ema.fit(Data.of(x, 2), Data.of(y, 1), FitOptions.epochs(3).batchSize(3).shuffle(false).verbose(0)
          .callbacks(dev.leibniz.callbacks.Callback.atEpochEnd((m, epoch, logs) -> seen.add(m.getWeights().get(0)))));
      for (int i = 0; i < steps.size(); i++) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(steps.get(i), seen.get(i), 1e-6f, "step " + i);
      }
      org.junit.jupiter.api.Assertions.assertArrayEquals(average, ema.getWeights().get(0), 1e-6f);
      org.junit.jupiter.api.Assertions.assertTrue(Math.abs(average[0] - steps.get(2)[0]) > 1e-4,
          "the average differs from the last weights, so the check can fail");
    }
  }
}
