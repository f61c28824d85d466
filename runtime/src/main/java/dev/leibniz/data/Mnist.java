package dev.leibniz.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * MNIST from a folder of the four original IDX files (gzip or not): images as 28x28 samples
 * scaled to [0, 1], labels as class indices. Counts come from the files' headers.
 */
public record Mnist(Data trainImages, Data trainLabels, Data testImages, Data testLabels) {
  static final String[] FILES = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
      "t10k-labels-idx1-ubyte"};

  /** Whether {@code folder} holds the four files. */
  public static boolean isPresent(Path folder) {
    for (String f : FILES) {
      if (find(folder, f) == null) {
        return false;
      }
    }
    return true;
  }

  public static Mnist load(Path folder) throws IOException {
    Data[] d = new Data[4];
    for (int i = 0; i < 4; i++) {
      Path file = find(folder, FILES[i]);
      if (file == null) {
        throw new NoSuchFileException(folder.resolve(FILES[i] + ".gz").toString(), null,
            "MNIST file missing (looked for " + FILES[i] + " and " + FILES[i] + ".gz)");
      }
      Idx.Array a = Idx.read(file);
      d[i] = i % 2 == 0 ? a.toData(1 / 255f) : a.toLabels();
    }
    for (int i = 0; i < 4; i += 2) {
      if (d[i].count() != d[i + 1].count()) {
        throw new IOException(FILES[i] + " holds " + d[i].count() + " images but " + FILES[i + 1] + " holds "
            + d[i + 1].count() + " labels");
      }
    }
    return new Mnist(d[0], d[1], d[2], d[3]);
  }

  private static Path find(Path folder, String name) {
    for (Path p : new Path[] {folder.resolve(name + ".gz"), folder.resolve(name)}) {
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    return null;
  }
}
