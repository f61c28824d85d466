package dev.leibniz.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.examples.FallingApple;
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
}
