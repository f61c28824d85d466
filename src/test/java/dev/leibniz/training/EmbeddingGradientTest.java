package dev.leibniz.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.FitOptions;
import dev.leibniz.Model;
import dev.leibniz.Sequential;
import dev.leibniz.layers.Dense;
import dev.leibniz.layers.Embedding;
import dev.leibniz.layers.Flatten;
import dev.leibniz.optimizers.Optimizer;
import dev.leibniz.optimizers.Optimizers;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An embedding row looked up several times in a batch gets one gradient, the sum over its
 * occurrences (the dense gradient of the loss), and an adaptive optimizer sees that sum: Adam's
 * first step moves each touched value by the learning rate against the sum's sign. Keras on
 * TensorFlow instead feeds Adam each occurrence's gradient (IndexedSlices), so its second moment
 * holds the sum of squares rather than the square of the sum, and its first step is not lr.
 */
class EmbeddingGradientTest {
  static final float[][] IDS = {{1, 1, 2}}; // token 1 twice, token 2 once, tokens 0 and 3 absent
  static final float[][] TARGET = {{1}};

  static Model model(Optimizer optimizer) {
    Model m = Sequential.of(new Embedding(4, 2), new Flatten(), new Dense(1)).build(3);
    m.setWeights(List.of(
        new float[] {0.1f, -0.2f, 0.3f, 0.4f, -0.5f, 0.6f, 0.7f, -0.8f},
        new float[] {0.9f, -0.3f, 0.2f, 0.5f, -0.4f, 0.8f}, // different per position: the two occurrences differ
        new float[] {0.05f}));
    m.compile(optimizer, "mse");
    return m;
  }

  static float[] embeddingStep(Optimizer optimizer) {
    try (Model m = model(optimizer)) {
      float[] before = m.getWeights().get(0);
      m.fit(IDS, TARGET, FitOptions.epochs(1).batchSize(1).verbose(0));
      float[] after = m.getWeights().get(0);
      float[] step = new float[before.length];
      for (int i = 0; i < step.length; i++) {
        step[i] = after[i] - before[i];
      }
      return step;
    }
  }

  @Test
  void adamSeesTheSumOfTheOccurrences() {
    float[] sumOfGradients = embeddingStep(Optimizers.sgd(1)); // SGD with lr 1 moves by minus the gradient
    float lr = 0.01f;
    float[] adam = embeddingStep(Optimizers.adam(lr));
    double largestPerOccurrenceGap = 0;
    for (int i = 0; i < adam.length; i++) {
      float g = -sumOfGradients[i];
      if (i < 2 || i >= 6) { // rows 0 and 3: absent from the batch
        assertEquals(0, g, 0, "an absent token's gradient");
        assertEquals(0, adam[i], 0, "an absent token does not move");
        continue;
      }
      // Adam's first step: lr g / (|g| + eps / sqrt(1 - beta2)), the bias corrections cancelling.
      double expected = -lr * g / (Math.abs(g) + 1e-7 / Math.sqrt(1 - 0.999));
      assertEquals(expected, adam[i], 1e-6, "element " + i);
    }
    // What Keras's per-occurrence update would give for token 1: lr (g1 + g2) / sqrt(g1^2 + g2^2).
    float[] kernel = {0.9f, -0.3f, 0.2f, 0.5f, -0.4f, 0.8f};
    for (int d = 0; d < 2; d++) {
      double g1 = kernel[d] * -sumOfGradients[2 + d] / (kernel[d] + kernel[2 + d]);
      double g2 = kernel[2 + d] * -sumOfGradients[2 + d] / (kernel[d] + kernel[2 + d]);
      double perOccurrence = -lr * (g1 + g2) / Math.sqrt(g1 * g1 + g2 * g2);
      largestPerOccurrenceGap = Math.max(largestPerOccurrenceGap, Math.abs(perOccurrence - adam[2 + d]));
    }
    assertTrue(largestPerOccurrenceGap > 1e-3, "the two updates differ on this batch: " + largestPerOccurrenceGap);
  }
}
