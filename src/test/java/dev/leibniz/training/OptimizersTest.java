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
import dev.leibniz.optimizers.AdamW;
import dev.leibniz.optimizers.Optimizer;
import dev.leibniz.optimizers.RMSprop;
import dev.leibniz.optimizers.SGD;
import dev.leibniz.optimizers.schedules.ExponentialDecay;
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
        }, new double[] {0.1}),
        new Case("sgd clipnorm 0.05 (each weight's gradient)", new SGD((float) LR).withClipnorm(0.05), (w, g, s, t) -> {
          scaleTo(g, 0, 6, 0.05);
          scaleTo(g, 6, 8, 0.05);
          for (int i = 0; i < w.length; i++) {
            w[i] -= LR * g[i];
          }
        }, new double[0]),
        new Case("sgd globalClipnorm 0.05", new SGD((float) LR).withGlobalClipnorm(0.05), (w, g, s, t) -> {
          scaleTo(g, 0, 8, 0.05);
          for (int i = 0; i < w.length; i++) {
            w[i] -= LR * g[i];
          }
        }, new double[0]),
        new Case("sgd clipvalue 0.02", new SGD((float) LR).withClipvalue(0.02), (w, g, s, t) -> {
          for (int i = 0; i < w.length; i++) {
            w[i] -= LR * Math.max(-0.02, Math.min(0.02, g[i]));
          }
        }, new double[0]),
        new Case("sgd exponential decay", new SGD(new ExponentialDecay(LR, 2, 0.5), 0, false), (w, g, s, t) -> {
          double lr = LR * Math.pow(0.5, (t - 1) / 2.0); // the rate at t - 1 steps taken
          for (int i = 0; i < w.length; i++) {
            w[i] -= lr * g[i];
          }
        }, new double[0]),
        new Case("adamw weight decay 0.5", new AdamW((float) LR, 0.5f, 0.9f, 0.999f, 1e-7f), (w, g, s, t) -> {
          double alpha = LR * Math.sqrt(1 - Math.pow(0.999, t)) / (1 - Math.pow(0.9, t));
          for (int i = 0; i < w.length; i++) {
            w[i] -= w[i] * 0.5 * LR; // decoupled: the weight decays before the Adam step, as Keras 3
            s[0][i] = 0.9 * s[0][i] + 0.1 * g[i];
            s[1][i] = 0.999 * s[1][i] + 0.001 * g[i] * g[i];
            w[i] -= alpha * s[0][i] / (Math.sqrt(s[1][i]) + 1e-7);
          }
        }, new double[] {0, 0}));
  }

  /** Keras's clip_by_norm of g[from, to): scaled down to L2 norm {@code max} where it is longer. */
  static void scaleTo(double[] g, int from, int to, double max) {
    double norm = 0;
    for (int i = from; i < to; i++) {
      norm += g[i] * g[i];
    }
    norm = Math.sqrt(norm);
    assertEquals(true, norm > max, "the gradient is clipped, so the case tests clipping");
    for (int i = from; i < to; i++) {
      g[i] *= max / norm;
    }
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
