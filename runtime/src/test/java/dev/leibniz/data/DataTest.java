package dev.leibniz.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.tf.FeedTensor;
import org.junit.jupiter.api.Test;

/** Samples held flat: shapes, rows, slices, batches, and what is refused. */
class DataTest {
  @Test
  void samplesOfAShape() {
    Data d = Data.of(new float[] {1, 2, 3, 4, 5, 6}, 3);
    assertEquals(2, d.count());
    assertArrayEquals(new float[] {4, 5, 6}, d.sample(1));
    assertArrayEquals(new float[] {4, 5, 6}, d.slice(1, 2).values());
    assertEquals("data of 2 samples of shape [3]", d.toString());
    try (FeedTensor batch = d.batch(new int[] {1, 0}, 0, 2)) {
      assertArrayEquals(new long[] {2, 3}, batch.shape());
      assertArrayEquals(new long[] {2, 3}, d.batchShape(2));
      assertArrayEquals(new float[] {4, 5, 6, 1, 2, 3}, batch.values());
    }
    try (FeedTensor batch = d.batch(null, 0, 2); FeedTensor rows = batch.rows(1, 2)) {
      assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, batch.values());
      assertArrayEquals(new long[] {1, 3}, rows.shape());
      assertArrayEquals(new float[] {4, 5, 6}, rows.values());
      assertThrows(IndexOutOfBoundsException.class, () -> batch.rows(1, 3), "past the last row");
    }
  }

  @Test
  void whatIsRefusedSaysWhere() {
    IllegalArgumentException ragged = assertThrows(IllegalArgumentException.class,
        () -> Data.of(new float[][] {{1, 2}, {3}}));
    assertTrue(ragged.getMessage().contains("row 0 has 2, row 1 has 1"), ragged.getMessage());
    IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
        () -> Data.of(new float[] {1, 2, Float.NaN, 4}, 2));
    assertTrue(nan.getMessage().contains("holds NaN at sample 1 (value 0 of it)"), nan.getMessage());
    IllegalArgumentException uneven = assertThrows(IllegalArgumentException.class, () -> Data.of(new float[5], 2));
    assertTrue(uneven.getMessage().contains("5 values do not divide into samples of shape [2]"), uneven.getMessage());
  }
}
