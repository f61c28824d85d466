package dev.leibniz.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.LossGradients;
import dev.leibniz.Model;
import dev.leibniz.Sequential;
import dev.leibniz.Value;
import dev.leibniz.data.Data;
import dev.leibniz.dsl.Activations;
import dev.leibniz.dsl.Constraint;
import dev.leibniz.dsl.Init;
import dev.leibniz.dsl.Regularizer;
import dev.leibniz.layers.Conv2D;
import dev.leibniz.layers.Dense;
import dev.leibniz.layers.Embedding;
import dev.leibniz.layers.Flatten;
import dev.leibniz.losses.Losses;
import dev.leibniz.optimizers.SGD;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Weight regularizers and constraints against their hand formulas on the linear model of
 * OptimizersTest (kernel [3, 2] then bias [2], mean squared error, gradient 2/N X^T (XW + b - T)):
 * the penalty in the loss, its gradient in the weights', and the projection after each step.
 */
class RegularizationTest {
  private static final Data X = Data.of(OptimizersTest.X, 3);
  private static final Data T = Data.of(OptimizersTest.T, 2);

  private static Model linear(Dense dense, float learningRate) {
    Model model = Sequential.of(dense);
    model.compile(new SGD(learningRate), Losses.meanSquaredError());
    model.build(new long[] {3});
    model.setWeights(List.of(OptimizersTest.KERNEL, OptimizersTest.BIAS));
    return model;
  }

  private static Dense plain() {
    return new Dense(2, Activations.LINEAR, true, Init.ZEROS, Init.ZEROS);
  }

  private static double[] initial() {
    double[] w = new double[8];
    for (int i = 0; i < 6; i++) {
      w[i] = OptimizersTest.KERNEL[i];
    }
    w[6] = OptimizersTest.BIAS[0];
    w[7] = OptimizersTest.BIAS[1];
    return w;
  }

  private static double mse(double[] w) {
    double sum = 0;
    for (int n = 0; n < 4; n++) {
      for (int j = 0; j < 2; j++) {
        double y = w[6 + j];
        for (int k = 0; k < 3; k++) {
          y += OptimizersTest.X[n * 3 + k] * w[k * 2 + j];
        }
        sum += Math.pow(y - OptimizersTest.T[n * 2 + j], 2);
      }
    }
    return sum / 8;
  }

  @Test
  void penaltiesAreInTheLossAndTheirGradientsInTheWeights() {
    Dense dense = plain().kernelRegularizer(Regularizer.l1l2(0.03, 0.1)).biasRegularizer(Regularizer.l1(0.05));
    try (Model model = linear(dense, 0.1f)) {
      double[] w = initial();
      double penalty = 0;
      for (int i = 0; i < 6; i++) {
        penalty += 0.03 * Math.abs(w[i]) + 0.1 * w[i] * w[i];
      }
      penalty += 0.05 * (Math.abs(w[6]) + Math.abs(w[7]));
      assertEquals(mse(w) + penalty, model.evaluate(X, T, 4).get("loss"), 1e-6, "evaluate's loss holds the penalty");

      double[] g = OptimizersTest.gradient(w);
      for (int i = 0; i < 6; i++) {
        g[i] += 0.03 * Math.signum(w[i]) + 0.2 * w[i];
      }
      g[6] += 0.05 * Math.signum(w[6]);
      g[7] += 0.05 * Math.signum(w[7]);
      LossGradients lg = model.gradients(Losses.meanSquaredError(), Value.of(OptimizersTest.X, 4, 3),
          Value.of(OptimizersTest.T, 4, 2));
      assertEquals(mse(w) + penalty, lg.loss(), 1e-6);
      float[] kernel = lg.gradients().get(0).toFloatArray();
      float[] bias = lg.gradients().get(1).toFloatArray();
      for (int i = 0; i < 6; i++) {
        assertEquals(g[i], kernel[i], 1e-6, "kernel gradient " + i);
      }
      assertEquals(g[6], bias[0], 1e-6);
      assertEquals(g[7], bias[1], 1e-6);

      model.trainOnBatch(X, T); // SGD: w - lr (g + the penalty's gradient)
      List<float[]> after = model.getWeights();
      for (int i = 0; i < 6; i++) {
        assertEquals(w[i] - 0.1 * g[i], after.get(0)[i], 1e-6, "kernel " + i);
      }
      assertEquals(w[6] - 0.1 * g[6], after.get(1)[0], 1e-6);
    }
  }

  @Test
  void anActivityPenaltyIsDividedByTheBatchAndBackpropagated() {
    try (Model model = linear(plain().activityRegularizer(Regularizer.l1l2(0.02, 0.1)), 0.1f)) {
      double[] w = initial();
      double[] g = OptimizersTest.gradient(w);
      double penalty = 0;
      for (int n = 0; n < 4; n++) {
        for (int j = 0; j < 2; j++) {
          double out = w[6 + j];
          for (int k = 0; k < 3; k++) {
            out += OptimizersTest.X[n * 3 + k] * w[k * 2 + j];
          }
          penalty += (0.02 * Math.abs(out) + 0.1 * out * out) / 4; // Keras 3: over the batch size
          double dOut = (0.02 * Math.signum(out) + 0.2 * out) / 4;
          for (int k = 0; k < 3; k++) {
            g[k * 2 + j] += OptimizersTest.X[n * 3 + k] * dOut;
          }
          g[6 + j] += dOut;
        }
      }
      LossGradients lg = model.gradients(Losses.meanSquaredError(), Value.of(OptimizersTest.X, 4, 3),
          Value.of(OptimizersTest.T, 4, 2));
      assertEquals(mse(w) + penalty, lg.loss(), 1e-6);
      assertEquals(mse(w) + penalty, model.evaluate(X, T, 4).get("loss"), 1e-6);
      float[] kernel = lg.gradients().get(0).toFloatArray();
      for (int i = 0; i < 6; i++) {
        assertEquals(g[i], kernel[i], 1e-6, "kernel gradient " + i);
      }
      assertEquals(g[6], lg.gradients().get(1).toFloatArray()[0], 1e-6);
    }
  }

  @Test
  void embeddingsAndConvolutionsTakeThemToo() {
    float[] ids = {0, 3, 4, 1, 3, 2};
    float[] t = {0.5f, -1f, 2f};
    try (Model model = Sequential.of(new Embedding(5, 2).embeddingsRegularizer(Regularizer.l2(0.1))
        .embeddingsConstraint(Constraint.maxNorm(0.01, 1)), new Flatten(),
        new Dense(1, Activations.LINEAR, true, Init.ZEROS, Init.ZEROS))) {
      model.compile(new SGD(0.1f), Losses.meanSquaredError());
      model.build(new long[] {2});
      float[] table = model.getWeights().get(0);
      double penalty = 0;
      for (float e : table) {
        penalty += 0.1 * e * e;
      }
      double mse = (0.25 + 1 + 4) / 3; // the zero Dense predicts 0
      assertEquals(mse + penalty, model.evaluate(Data.of(ids, 2), Data.of(t, 1), 3).get("loss"), 1e-6);
      model.trainOnBatch(Data.of(ids, 2), Data.of(t, 1));
      float[] after = model.getWeights().get(0);
      double longest = 0;
      for (int row = 0; row < 5; row++) {
        double norm = Math.hypot(after[2 * row], after[2 * row + 1]);
        assertTrue(norm <= 0.01 + 1e-6, "token " + row + "'s vector has norm " + norm);
        longest = Math.max(longest, norm);
      }
      assertEquals(0.01, longest, 1e-6, "the longest vectors were cut to the maximum norm");
    }
    // Conv2D(1, 1x1): out = k x + b on [2, 2, 2, 1]; the activity penalty 0.2 * sum(out^2) / batch
    float[] x = {1, 2, -1, 0.5f, 3, -2, 0, 1};
    float[] y = new float[8];
    try (Model model = Sequential.of(new Conv2D(1, 1, 1, 1, 1, dev.leibniz.dsl.Padding.VALID, Activations.LINEAR, true)
        .activityRegularizer(Regularizer.l2(0.2)))) {
      model.compile(new SGD(0.1f), Losses.meanSquaredError());
      model.build(new long[] {2, 2, 1});
      model.setWeights(List.of(new float[] {0.5f}, new float[] {0.25f}));
      double squares = 0;
      for (float v : x) {
        squares += Math.pow(0.5 * v + 0.25, 2);
      }
      assertEquals(squares / 8 + 0.2 * squares / 2, model.evaluate(Data.of(x, 2, 2, 1), Data.of(y, 2, 2, 1), 2)
          .get("loss"), 1e-6);
    }
  }

  /** One SGD step of the plain model, by hand. */
  private static double[] stepped(double lr) {
    double[] w = initial();
    double[] g = OptimizersTest.gradient(w);
    for (int i = 0; i < 8; i++) {
      w[i] -= lr * g[i];
    }
    return w;
  }

  @Test
  void constraintsProjectTheWeightsAfterEachStep() {
    double lr = 0.5;
    double[] w = stepped(lr);
    // MaxNorm(0.2) on the kernel [3, 2], axis 0: each unit's column scaled to norm <= 0.2
    try (Model model = linear(plain().kernelConstraint(Constraint.maxNorm(0.2)), (float) lr)) {
      model.trainOnBatch(X, T);
      float[] k = model.getWeights().get(0);
      for (int j = 0; j < 2; j++) {
        double norm = Math.sqrt(w[j] * w[j] + w[2 + j] * w[2 + j] + w[4 + j] * w[4 + j]);
        double scale = Math.min(norm, 0.2) / (1e-7 + norm);
        for (int i = 0; i < 3; i++) {
          assertEquals(w[i * 2 + j] * scale, k[i * 2 + j], 1e-6, "maxNorm kernel[" + i + ", " + j + "]");
        }
      }
    }
    try (Model model = linear(plain().kernelConstraint(Constraint.nonNeg()).biasConstraint(Constraint.unitNorm()),
        (float) lr)) {
      model.trainOnBatch(X, T);
      float[] k = model.getWeights().get(0);
      for (int i = 0; i < 6; i++) {
        assertEquals(Math.max(0, w[i]), k[i], 1e-6, "nonNeg kernel " + i);
      }
      float[] b = model.getWeights().get(1);
      double norm = Math.sqrt(w[6] * w[6] + w[7] * w[7]);
      assertEquals(w[6] / (1e-7 + norm), b[0], 1e-6, "unitNorm bias");
      assertEquals(w[7] / (1e-7 + norm), b[1], 1e-6);
    }
    assertThrows(IllegalArgumentException.class, () -> Constraint.maxNorm(-1));
    assertThrows(IllegalArgumentException.class, () -> Regularizer.l2(-0.1));
    assertThrows(IllegalArgumentException.class, () -> Regularizer.l1l2(0, 0));
  }
}
