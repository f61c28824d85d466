package dev.leibniz.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.Value;
import dev.leibniz.examples.Chapter3;
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

  @Test
  void chapter3ListingsOnValues() {
    assertEquals(java.util.List.of(Value.ones(2, 1), Value.zeros(2, 1)), Chapter3.onesAndZeros());
    for (Value r : Chapter3.randomTensors()) {
      assertEquals(java.util.List.of(3L, 1L), java.util.Arrays.stream(r.shape()).boxed().toList());
    }
    float[] uniform = Chapter3.randomTensors().get(1).toFloatArray();
    for (float u : uniform) {
      assertTrue(u >= 0 && u < 1, "uniform " + u);
    }
    assertEquals(Value.of(new float[][] {{0, 1}, {1, 1}}), Chapter3.notAssignable());
    var v = Chapter3.variable();
    assertEquals(Value.ones(3, 1), v.get(1));
    assertEquals(Value.of(new float[][] {{3}, {1}, {1}}), v.get(2));
    assertEquals(Value.of(new float[][] {{4}, {2}, {2}}), v.get(3));
    assertEquals(Value.fill(4, 2, 2), Chapter3.math());
    assertEquals(6f, Chapter3.gradientOfVariable().floatValue(), 1e-6);
    assertEquals(6f, Chapter3.gradientOfConstant().floatValue(), 1e-6);
    assertEquals(0f, Chapter3.nestedGradients().get(0).floatValue(), 1e-6);
    assertEquals(9.8f, Chapter3.nestedGradients().get(1).floatValue(), 1e-5);
    Value dense = Chapter3.simpleDense();
    assertEquals(java.util.List.of(2L, 32L), java.util.Arrays.stream(dense.shape()).boxed().toList());
    assertTrue(dense.sum().floatValue() > 0, "relu of a random layer on ones: some positive outputs");
  }

  @Test
  void examplesImportNoTensorFlow() throws java.io.IOException {
    java.nio.file.Path dir = java.nio.file.Path.of("../../examples/src/main/java/dev/leibniz/examples");
    for (String name : java.util.List.of("Chapter3.java", "FallingApple.java", "LinearClassifier.java")) {
      String source = java.nio.file.Files.readString(dir.resolve(name));
      assertTrue(!source.contains("import org.tensorflow"), name + " imports TensorFlow");
    }
  }
}
