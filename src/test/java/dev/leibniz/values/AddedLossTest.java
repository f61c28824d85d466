package dev.leibniz.values;

import static dev.leibniz.dsl.Ops.add;
import static dev.leibniz.dsl.Ops.addLoss;
import static dev.leibniz.dsl.Ops.mul;
import static dev.leibniz.dsl.Ops.ones;
import static dev.leibniz.dsl.Ops.square;
import static dev.leibniz.dsl.Ops.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.FitOptions;
import dev.leibniz.Leibniz;
import dev.leibniz.LossGradients;
import dev.leibniz.Model;
import dev.leibniz.Sequential;
import dev.leibniz.Value;
import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Layer;
import dev.leibniz.dsl.Shape;
import dev.leibniz.dsl.Tensor;
import dev.leibniz.layers.Dense;
import dev.leibniz.losses.Losses;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Losses a layer adds (Keras's add_loss) are in the loss fit and custom loops report, and in
 * their gradients; a sublayer called on a value that no input reaches still gets its gradients.
 */
class AddedLossTest {
  /** An activity regularizer: 0.1 times the sum of its input's squares, added to the model's loss. */
  @Layer
  public static final class ActivityL2 {
    @Call
    public Tensor call(Tensor x) {
      return addLoss(x, mul(0.1, sum(square(x))));
    }
  }

  /** A learned offset: a Dense applied to a constant, which no input reaches. */
  @dev.leibniz.dsl.Model
  public static final class Offset {
    final Dense offset = new Dense(3);

    @Call
    public Tensor call(Tensor x) {
      return add(x, offset.call(ones(1, 2)));
    }
  }

  static final Value X = Value.randomNormal(Shape.of(8, 4), 0, 1, 1);
  static final Value Y = Value.randomNormal(Shape.of(8, 2), 0, 1, 2);

  static Model regularized(List<float[]> weights) {
    Model m = Sequential.of(new Dense(2), new ActivityL2()).build(4);
    if (weights != null) {
      m.setWeights(weights);
    }
    return m;
  }

  @Test
  void theAddedLossIsReportedAndDifferentiated() {
    try (Model m = regularized(null)) {
      List<float[]> w = m.getWeights();
      LossGradients g = m.gradients(Losses.meanSquaredError(), X, Y);
      Value out = m.call(X);
      float expected = out.sub(Y).square().mean().floatValue() + 0.1f * out.square().sum().floatValue();
      assertEquals(expected, g.loss(), 1e-5 * expected, "mse plus the added term");
      // d total / d kernel[k], by central differences of the reported loss.
      float h = 1e-2f;
      float[] analytic = g.gradients().get(0).toFloatArray();
      for (int k = 0; k < analytic.length; k++) {
        float[] fd = new float[2];
        for (int side = 0; side < 2; side++) {
          List<float[]> moved = new ArrayList<>();
          w.forEach(a -> moved.add(a.clone()));
          moved.get(0)[k] += side == 0 ? h : -h;
          try (Model other = regularized(moved)) {
            fd[side] = other.gradients(Losses.meanSquaredError(), X, Y).loss();
          }
        }
        assertEquals((fd[0] - fd[1]) / (2 * h), analytic[k], 2e-2 * Math.max(1, Math.abs(analytic[k])), "kernel " + k);
      }
    }
  }

  @Test
  void fitReportsTheAddedLossToo() {
    try (Model m = regularized(null)) {
      m.compile("sgd", "mse");
      float before = m.gradients(Losses.meanSquaredError(), X, Y).loss();
      double first = m.fit(X.toMatrix(), Y.toMatrix(), FitOptions.epochs(1).batchSize(8).verbose(0)).last("loss");
      assertEquals(before, first, 1e-5 * before, "fit's first step reports the same total");
    }
  }

  @Test
  void aSublayerOnAConstantGetsItsGradients() {
    try (Model m = Leibniz.model(new Offset()).build(3)) {
      LossGradients g = m.gradients(Losses.meanSquaredError(), Value.zeros(4, 3), Value.ones(4, 3));
      for (Value grad : g.gradients()) {
        assertTrue(grad.abs().sum().floatValue() > 0, "a gradient for every weight of the offset: " + grad);
      }
    }
  }
}
