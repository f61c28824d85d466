package dev.leibniz.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one batch iterator of fit, evaluate and predict: sizes, order, per-epoch shuffles, the validation split. */
class BatchesTest {
  /** Ten samples of two values each (10 i, 10 i + 1), with labels i. */
  static Batches ten(int batchSize) {
    float[] x = new float[20];
    for (int i = 0; i < 20; i++) {
      x[i] = 10 * (i / 2) + i % 2;
    }
    int[] labels = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    return Batches.of(List.of(Data.of(x, 2)), List.of(Data.labels(labels)), batchSize);
  }

  @Test
  void passesCutTheSamplesInBatchesWithASmallerLastOne() {
    Batches b = ten(4);
    assertEquals(3, b.steps());
    List<Integer> sizes = new ArrayList<>();
    List<Float> labels = new ArrayList<>();
    for (Batches.Batch batch : b.pass(null)) {
      try (batch) {
        sizes.add(batch.size());
        for (float v : batch.y().get(0).values()) {
          labels.add(v);
        }
      }
    }
    assertEquals(List.of(4, 4, 2), sizes);
    assertEquals(List.of(0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f), labels);
  }

  @Test
  void aShuffledPassKeepsSamplesAndTargetsTogether() {
    int[] order = Batches.shuffled(10, 1, 0);
    int from = 0; // the batches' samples follow the order, one batch after the other
    for (Batches.Batch batch : ten(3).pass(order)) {
      try (batch) {
        float[] x = batch.x().get(0).values();
        float[] y = batch.y().get(0).values();
        for (int i = 0; i < y.length; i++) {
          assertEquals(10 * y[i], x[2 * i]);
          assertEquals(y[i], order[from + i]);
        }
        from += y.length;
      }
    }
    assertEquals(10, from);
  }

  @Test
  void eachEpochsOrderDependsOnlyOnTheSeedAndTheEpoch() {
    int[] epoch3 = Batches.shuffled(1000, 5, 3);
    assertArrayEquals(epoch3, Batches.shuffled(1000, 5, 3));
    assertFalse(Arrays.equals(epoch3, Batches.shuffled(1000, 5, 4)));
    assertFalse(Arrays.equals(epoch3, Batches.shuffled(1000, 6, 3)));
    int[] sorted = epoch3.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < sorted.length; i++) {
      assertEquals(i, sorted[i], "a permutation");
    }
  }

  @Test
  void theValidationSplitIsTheLastFractionBeforeShuffling() {
    Batches.Split split = ten(4).split(0.3);
    assertEquals(7, split.training().count());
    assertEquals(3, split.validation().count());
    assertArrayEquals(new float[] {7, 8, 9}, split.validation().targets().get(0).values());
    assertEquals(1, ten(4).split(0.01).validation().count(), "Keras keeps floor(10 * 0.99) = 9 for training");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ten(4).split(0.99));
    assertTrue(e.getMessage().contains("leaves no samples for training"), e.getMessage());
  }

  @Test
  void badSizesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> ten(0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Batches.of(List.of(Data.of(new float[4], 2)), List.of(Data.labels(new int[3])), 2));
    assertTrue(e.getMessage().contains("targets hold 3 samples, inputs 2"), e.getMessage());
  }
}
