package dev.leibniz.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The weights file format on its own: groups, cells, shapes of every rank, bad files. */
class KerasWeightsFileTest {
  static KerasWeightsFile.Weight w(float[] values, long... shape) {
    return new KerasWeightsFile.Weight(shape, values);
  }

  @Test
  void writesGroupsAsKerasAndReadsThemBack(@TempDir Path dir) throws IOException {
    float[] kernel = new float[2 * 3 * 1 * 2];
    for (int i = 0; i < kernel.length; i++) {
      kernel[i] = i * 0.5f - 3;
    }
    List<KerasWeightsFile.Layer> layers = List.of(
        new KerasWeightsFile.Layer("layers/conv2d", "conv2d", false, List.of(w(kernel, 2, 3, 1, 2),
            w(new float[] {1, -1}, 2))),
        new KerasWeightsFile.Layer("layers/flatten", "flatten", false, List.of()),
        new KerasWeightsFile.Layer("layers/lstm", "lstm", true, List.of(w(new float[] {1, 2, 3, 4}, 2, 2))));
    Path file = dir.resolve("m.weights.h5");
    KerasWeightsFile.write(file, layers);
    Map<String, List<KerasWeightsFile.Weight>> read = KerasWeightsFile.read(file);
    assertEquals(List.of("layers/conv2d/vars", "layers/flatten/vars", "layers/lstm/cell/vars", "layers/lstm/vars"),
        read.keySet().stream().sorted().toList());
    assertArrayEquals(new long[] {2, 3, 1, 2}, read.get("layers/conv2d/vars").get(0).shape());
    assertArrayEquals(kernel, read.get("layers/conv2d/vars").get(0).values());
    assertArrayEquals(new float[] {1, -1}, read.get("layers/conv2d/vars").get(1).values());
    assertArrayEquals(new float[] {1, 2, 3, 4}, read.get("layers/lstm/cell/vars").get(0).values());
    assertTrue(read.get("layers/flatten/vars").isEmpty());
  }

  @Test
  void aFileThatIsNotHdf5SaysSo(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("bad.weights.h5");
    Files.writeString(file, "not HDF5");
    IOException e = assertThrows(IOException.class, () -> KerasWeightsFile.read(file));
    assertTrue(e.getMessage().contains("is not a readable HDF5 weights file"), e.getMessage());
  }

  @Test
  void aWeightMustHoldItsShape() {
    assertThrows(IllegalArgumentException.class, () -> w(new float[3], 2, 2));
  }
}
