package dev.leibniz.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkpoint file on its own: what is written is read back, and a damaged file is refused. */
class CheckpointFormatTest {
  @TempDir Path dir;

  static Checkpoint sample() {
    return new Checkpoint(4, "adam", List.of(new long[] {28, 28, 1}),
        List.of(new Checkpoint.Entry("kernel", new long[] {2, 2}, new float[] {1, 2, 3, 4})),
        List.of(new Checkpoint.Entry("adam_iterations", new long[0], new float[] {40})));
  }

  @Test
  void readsBackWhatItWrote() throws IOException {
    Path file = dir.resolve("c.ckpt");
    sample().write(file);
    Checkpoint c = Checkpoint.read(file);
    assertEquals(4, c.epoch());
    assertEquals("adam", c.optimizer());
    assertArrayEquals(new long[] {28, 28, 1}, c.inputShapes().get(0));
    assertEquals("kernel", c.weights().get(0).name());
    assertArrayEquals(new float[] {1, 2, 3, 4}, c.weights().get(0).values());
    assertArrayEquals(new float[] {40}, c.optimizerState().get(0).values());
  }

  @Test
  void aFlippedByteIsRefused() throws IOException {
    Path file = dir.resolve("c.ckpt");
    sample().write(file);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 1;
    Files.write(file, bytes);
    IOException e = assertThrows(IOException.class, () -> Checkpoint.read(file));
    assertTrue(e.getMessage().contains("corrupt checkpoint"), e.getMessage());
  }

  @Test
  void entriesHoldTheirShapesValues() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Checkpoint.Entry("w", new long[] {2, 3}, new float[5]));
    assertTrue(e.getMessage().contains("w: shape [2, 3] holds 6 values, got 5"), e.getMessage());
  }
}
