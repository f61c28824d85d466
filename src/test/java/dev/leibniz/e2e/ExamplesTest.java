package dev.leibniz.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.examples.FallingApple;
import dev.leibniz.examples.KerasLinearClassifier;
import dev.leibniz.examples.LinearClassifier;
import org.junit.jupiter.api.Test;

/** The book examples reproduce the book's numbers. */
class ExamplesTest {
  @Test
  void fallingAppleAccelerationIsNinePointEight() {
    float[] atZero = FallingApple.speedAndAcceleration(0f);
    assertEquals(0f, atZero[0], 1e-6);
    assertEquals(9.8f, atZero[1], 1e-5);
    float[] atTwo = FallingApple.speedAndAcceleration(2f);
    assertEquals(19.6f, atTwo[0], 1e-4);
    assertEquals(9.8f, atTwo[1], 1e-5);
  }

  @Test
  void linearClassifierLearnsAsInTheBook() {
    LinearClassifier.Run run = LinearClassifier.train(40, 0.1f, false);
    float[] losses = run.losses();
    // Listing 3.21: the loss falls to about 0.025 within 40 steps; accuracy near 1.
    assertTrue(losses[39] < 0.035 && losses[39] > 0.015, "final loss " + losses[39]);
    for (int s = 1; s < losses.length; s++) {
      assertTrue(losses[s] < losses[s - 1], "loss rose at step " + s + ": " + losses[s - 1] + " -> " + losses[s]);
    }
    assertTrue(run.accuracy() > 0.98, "accuracy " + run.accuracy());
  }

  @Test
  void listing324TrainsWithValidationAndPredicts() {
    KerasLinearClassifier.Run run = KerasLinearClassifier.run(false);
    var h = run.history();
    assertEquals(java.util.List.of("binary_accuracy", "loss", "val_binary_accuracy", "val_loss"),
        java.util.List.copyOf(h.history().keySet()));
    assertEquals(5, h.epochs());
    assertEquals(600, run.predictions().length, "predict on the 30% held out");
    // RMSprop(0.1) with batch 16 is noisy from epoch to epoch (as in the book); the best epoch separates the
    // two clouds, which overlap by a few percent.
    double best = h.get("val_binary_accuracy").stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    assertTrue(best > 0.95, "best val_binary_accuracy " + best);
    // predict agrees with the last epoch's validation accuracy, computed in the graph.
    assertEquals(h.last("val_binary_accuracy"), run.validationAccuracy(), 1e-9);
  }
}
