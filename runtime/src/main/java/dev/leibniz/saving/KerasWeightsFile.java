package dev.leibniz.saving;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keras 3's weights file, what {@code model.save_weights("x.weights.h5")} writes and
 * {@code load_weights} reads: HDF5, one group per layer under {@code layers/}, named after the
 * layer's class in snake case and numbered in order ({@code dense}, {@code dense_1}, ...), with
 * the layer's weights as datasets {@code 0}, {@code 1}, ... in Keras's order in its {@code vars}
 * group (a recurrent layer's in {@code cell/vars}). Read and written with jhdf, in pure Java.
 */
public final class KerasWeightsFile {
  private KerasWeightsFile() {}

  /** One weight: its shape and its values, row-major. */
  public record Weight(long[] shape, float[] values) {
    public Weight {
      long size = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
      if (size != values.length) {
        throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + size + " values, got "
            + values.length);
      }
    }

    @Override
    public String toString() {
      return Arrays.toString(shape);
    }
  }

  /**
   * One layer: {@code path} its group ("layers/dense_1"), {@code name} the layer's name Keras
   * records beside its weights, {@code cell} whether its weights sit in a cell (recurrent layers).
   */
  public record Layer(String path, String name, boolean cell, List<Weight> weights) {
    /** The group that holds the weights. */
    public String varsPath() {
      return path + (cell ? "/cell/vars" : "/vars");
    }
  }

  /** Writes {@code layers} as Keras does, replacing {@code file} atomically. */
  public static void write(Path file, List<Layer> layers) throws IOException {
    AtomicFiles.write(file, out -> {
      Path scratch = Files.createTempFile("leibniz", ".weights.h5");
      try {
        try (WritableHdfFile h5 = HdfFile.write(scratch)) {
          Map<String, WritableGroup> groups = new HashMap<>();
          groups.put("layers", h5.putGroup("layers"));
          for (Layer layer : layers) {
            WritableGroup group = group(groups, layer.path());
            WritableGroup vars = group.putGroup("vars");
            vars.putAttribute("name", layer.name());
            if (layer.cell()) {
              vars = group.putGroup("cell").putGroup("vars");
              vars.putAttribute("name", layer.name() + "_cell");
            }
            for (int i = 0; i < layer.weights().size(); i++) {
              vars.putDataset(Integer.toString(i), nested(layer.weights().get(i)));
            }
          }
          // Keras also writes an empty root "vars" group named after the model; its load_weights does not
          // need it, and jhdf 0.10 corrupts a root group written after one that holds data.
        }
        Files.copy(scratch, out);
      } finally {
        Files.deleteIfExists(scratch);
      }
    });
  }

  /** The group at {@code path} ("layers/a/b"), made with its parents the first time (a nested layer's after its parent's). */
  private static WritableGroup group(Map<String, WritableGroup> groups, String path) {
    WritableGroup known = groups.get(path);
    if (known != null) {
      return known;
    }
    int slash = path.lastIndexOf('/');
    WritableGroup made = group(groups, path.substring(0, slash)).putGroup(path.substring(slash + 1));
    groups.put(path, made);
    return made;
  }

  /** The weights of every {@code vars} group in {@code file}, by its path ("layers/lstm/cell/vars"). */
  public static Map<String, List<Weight>> read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "no Keras weights file here");
    }
    Map<String, List<Weight>> out = new LinkedHashMap<>();
    try (HdfFile h5 = new HdfFile(file)) {
      collect(h5, "", out);
    } catch (RuntimeException e) {
      throw new IOException(file + " is not a readable HDF5 weights file: " + e.getMessage(), e);
    }
    return out;
  }

  private static void collect(Group group, String path, Map<String, List<Weight>> out) {
    for (Node child : group.getChildren().values()) {
      String childPath = path.isEmpty() ? child.getName() : path + "/" + child.getName();
      if (child instanceof Group g) {
        if (child.getName().equals("vars")) {
          out.put(childPath, weights(g, childPath));
        } else {
          collect(g, childPath, out);
        }
      }
    }
  }

  /** Datasets "0", "1", ... in that order. */
  private static List<Weight> weights(Group vars, String path) {
    List<Weight> out = new ArrayList<>();
    for (int i = 0; vars.getChildren().containsKey(Integer.toString(i)); i++) {
      Dataset d = (Dataset) vars.getChild(Integer.toString(i));
      long[] shape = Arrays.stream(d.getDimensions()).asLongStream().toArray();
      out.add(new Weight(shape, floats(d.getDataFlat(), path + "/" + i)));
    }
    if (out.size() != vars.getChildren().size()) {
      throw new IllegalArgumentException(path + " holds " + vars.getChildren().keySet()
          + ", not weights numbered from 0");
    }
    return out;
  }

  private static float[] floats(Object flat, String what) {
    if (flat instanceof float[] f) {
      return f;
    }
    if (flat instanceof double[] d) {
      float[] f = new float[d.length];
      for (int i = 0; i < d.length; i++) {
        f[i] = (float) d[i];
      }
      return f;
    }
    throw new IllegalArgumentException(what + " holds " + flat.getClass().getComponentType()
        + " values; Keras's float32 (or float64) weights were expected");
  }

  /** The values as the nested Java array jhdf writes a dataset of that shape from. */
  private static Object nested(Weight w) {
    if (w.shape().length == 0) {
      return w.values()[0];
    }
    int[] dims = Arrays.stream(w.shape()).mapToInt(Math::toIntExact).toArray();
    Object array = Array.newInstance(float.class, dims);
    fill(array, w.values(), 0, dims, 0);
    return array;
  }

  private static int fill(Object array, float[] values, int at, int[] dims, int depth) {
    if (depth == dims.length - 1) {
      System.arraycopy(values, at, array, 0, dims[depth]);
      return at + dims[depth];
    }
    for (int i = 0; i < dims[depth]; i++) {
      at = fill(Array.get(array, i), values, at, dims, depth + 1);
    }
    return at;
  }
}
