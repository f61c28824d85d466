package dev.leibniz.parity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fixture file written by {@code src/test/resources/keras/parity/make_parity.py}: cases
 * ("case name words...") and float32 arrays ("name.what [d0,d1] values..."), made by Keras 3.
 */
final class KerasFixture {
  /** The fixtures' folder, from the test class path (resources/keras/parity). */
  static final Path DIR = folder();

  private static Path folder() {
    try {
      return Path.of(KerasFixture.class.getResource("/keras/parity").toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One case: its name and the words that describe it. */
  record Case(String name, List<String> words) {
    @Override
    public String toString() {
      return name;
    }
  }

  record Array(long[] shape, float[] values) {
    float scalar() {
      return values[0];
    }

    float[][] rows() {
      int cols = (int) (values.length / shape[0]);
      float[][] out = new float[(int) shape[0]][];
      for (int i = 0; i < out.length; i++) {
        out[i] = Arrays.copyOfRange(values, i * cols, (i + 1) * cols);
      }
      return out;
    }
  }

  final List<Case> cases = new ArrayList<>();
  private final Map<String, Array> arrays = new LinkedHashMap<>();

  private KerasFixture() {}

  static KerasFixture read(String file) {
    KerasFixture f = new KerasFixture();
    try {
      for (String line : Files.readAllLines(DIR.resolve(file))) {
        if (line.startsWith("#") || line.isBlank()) {
          continue;
        }
        String[] parts = line.trim().split(" ");
        if (parts[0].equals("case")) {
          f.cases.add(new Case(parts[1], List.of(parts).subList(2, parts.length)));
          continue;
        }
        String dims = parts[1].substring(1, parts[1].length() - 1);
        long[] shape = dims.isEmpty() ? new long[0] : Arrays.stream(dims.split(",")).mapToLong(Long::parseLong).toArray();
        float[] values = new float[parts.length - 2];
        for (int i = 0; i < values.length; i++) {
          values[i] = Float.parseFloat(parts[i + 2].replace("inf", "Infinity").replace("nan", "NaN"));
        }
        f.arrays.put(parts[0], new Array(shape, values));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return f;
  }

  Array get(String name) {
    Array a = arrays.get(name);
    if (a == null) {
      throw new IllegalArgumentException("the fixture has no array " + name);
    }
    return a;
  }

  boolean has(String name) {
    return arrays.containsKey(name);
  }

  /** name.prefix0, name.prefix1, ... while they exist. */
  List<Array> numbered(String prefix) {
    List<Array> out = new ArrayList<>();
    for (int i = 0; has(prefix + i); i++) {
      out.add(get(prefix + i));
    }
    return out;
  }
}
