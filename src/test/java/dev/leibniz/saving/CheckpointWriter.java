package dev.leibniz.saving;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The process {@link CheckpointTest} kills mid-save: writes checkpoint k = 0, 1, 2, ... to the
 * file given as argument, every value of version k equal to k, announcing each save on stdout.
 */
public final class CheckpointWriter {
  static final int ENTRIES = 64;
  static final int VALUES = 1 << 17; // 32 MB per checkpoint: long enough to be killed while writing

  private CheckpointWriter() {}

  static Checkpoint version(int k) {
    List<Checkpoint.Entry> entries = new ArrayList<>();
    float[] values = new float[VALUES];
    Arrays.fill(values, k);
    for (int i = 0; i < ENTRIES; i++) {
      entries.add(new Checkpoint.Entry("w" + i, new long[] {VALUES}, values));
    }
    return new Checkpoint(k, "sgd", List.of(new long[] {4}), entries, List.of());
  }

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    for (int k = 0; ; k++) {
      Checkpoint c = version(k);
      System.out.println("saving " + k);
      System.out.flush();
      c.write(file);
      System.out.println("saved " + k);
      System.out.flush();
    }
  }
}
