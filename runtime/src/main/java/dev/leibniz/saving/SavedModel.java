package dev.leibniz.saving;

import dev.leibniz.data.Data;
import dev.leibniz.tf.Natives;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.Tensor;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * A SavedModel loaded for prediction: any SavedModel with a serving signature, written by
 * Leibniz's {@code Model.export}, Keras's {@code model.export} or {@code tf.saved_model.save}.
 * Inputs and outputs are those of one signature ({@code serving_default} unless named); inputs
 * are checked against the signature's dtypes and shapes before they reach TensorFlow.
 */
public final class SavedModel implements AutoCloseable {
  public static final String TAG = "serve";
  public static final String DEFAULT_SIGNATURE = "serving_default";

  /** A signature's input or output: its key, dtype and shape (-1 for a dimension of any size; null: any rank). */
  public record Spec(String name, DataType dtype, long[] shape) {
    @Override
    public String toString() {
      return name + ": " + dtype + " " + (shape == null ? "(any shape)" : Arrays.toString(shape));
    }
  }

  private final Path dir;
  private final SavedModelBundle bundle;
  private final String signature;
  private final SessionFunction function;
  private final Map<String, Spec> inputs = new TreeMap<>();
  private final Map<String, Spec> outputs = new TreeMap<>();

  private SavedModel(Path dir, SavedModelBundle bundle, String signature) {
    this.dir = dir;
    this.bundle = bundle;
    this.signature = signature;
    SignatureDef def = bundle.metaGraphDef().getSignatureDefMap().get(signature);
    if (def == null) {
      List<String> known = signatures();
      bundle.close();
      throw new IllegalArgumentException("the SavedModel at " + dir + " has no signature \"" + signature
          + "\"; its signatures are " + known);
    }
    this.function = bundle.function(signature);
    def.getInputsMap().forEach((k, info) -> inputs.put(k, spec(k, info)));
    def.getOutputsMap().forEach((k, info) -> outputs.put(k, spec(k, info)));
  }

  private static Spec spec(String name, TensorInfo info) {
    var shape = info.getTensorShape();
    return new Spec(name, info.getDtype(),
        shape.getUnknownRank() ? null : shape.getDimList().stream().mapToLong(d -> d.getSize()).toArray());
  }

  /** The SavedModel in {@code dir}, tag {@code serve}, signature {@code serving_default}. */
  public static SavedModel load(Path dir) throws IOException {
    return load(dir, DEFAULT_SIGNATURE);
  }

  /** The SavedModel in {@code dir}, tag {@code serve}, with the given signature. */
  public static SavedModel load(Path dir, String signature) throws IOException {
    if (Files.isRegularFile(dir) && dir.getFileName().toString().endsWith(".tflite")) {
      throw new IOException(dir + " is a TF Lite model: TensorFlow Java has no TF Lite interpreter, so Leibniz"
          + " cannot run it; load the SavedModel it was converted from, and run the .tflite file with TF Lite's"
          + " interpreter (Android, iOS, Python's tf.lite.Interpreter)");
    }
    if (!Files.isDirectory(dir)) {
      throw new NoSuchFileException(dir.toString(), null, Files.exists(dir)
          ? "a SavedModel is a directory; this is a file" : "no SavedModel directory here");
    }
    if (!Files.exists(dir.resolve("saved_model.pb")) && !Files.exists(dir.resolve("saved_model.pbtxt"))) {
      throw new IOException("not a SavedModel: " + dir + " has no saved_model.pb");
    }
    Natives.require();
    SavedModelBundle bundle;
    try {
      bundle = SavedModelBundle.loader(dir.toString()).withTags(TAG).load();
    } catch (TensorFlowException e) {
      throw new IOException("could not load the SavedModel at " + dir + " (tag \"" + TAG + "\"); it is damaged or"
          + " incomplete: " + e.getMessage(), e);
    }
    if (!Files.exists(dir.resolve("variables").resolve("variables.index")) && hasVariables(bundle)) {
      bundle.close();
      throw new IOException("the SavedModel at " + dir + " is incomplete: its graph has variables but"
          + " variables/variables.index is missing, so their values are lost");
    }
    return new SavedModel(dir, bundle, signature);
  }

  private static boolean hasVariables(SavedModelBundle bundle) {
    for (var it = bundle.graph().operations(); it.hasNext(); ) {
      String type = it.next().type();
      if (type.equals("VariableV2") || type.equals("VarHandleOp")) {
        return true;
      }
    }
    return false;
  }

  /** The signature this model predicts with. */
  public String signature() {
    return signature;
  }

  /** Every signature key in the SavedModel's {@code serve} graph. */
  public List<String> signatures() {
    return bundle.metaGraphDef().getSignatureDefMap().keySet().stream()
        .filter(k -> !k.startsWith("__")).sorted().toList();
  }

  /** The signature's inputs, by name. */
  public List<Spec> inputs() {
    return List.copyOf(inputs.values());
  }

  public List<Spec> outputs() {
    return List.copyOf(outputs.values());
  }

  /** For a model with one input and one output: a prediction per row, 32 rows per run. */
  public float[][] predict(float[][] x) {
    return predict(Data.of(x), 32).rows();
  }

  /** For a model with one input and one output. */
  public Data predict(Data x, int batchSize) {
    if (inputs.size() != 1 || outputs.size() != 1) {
      throw new IllegalArgumentException("signature " + signature + " has inputs " + inputs.keySet() + " and outputs "
          + outputs.keySet() + "; use predict(Map<String, Data>, batchSize)");
    }
    return predict(Map.of(inputs.keySet().iterator().next(), x), batchSize).values().iterator().next();
  }

  /** Every output for the named inputs, {@code batchSize} samples per run. */
  public Map<String, Data> predict(Map<String, Data> x, int batchSize) {
    checkOpen("predict");
    if (x == null) {
      throw new IllegalArgumentException("predict needs inputs by name, got null");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
    }
    requireInputNames(x.keySet());
    int count = -1;
    for (Map.Entry<String, Data> in : x.entrySet()) {
      Spec spec = inputs.get(in.getKey());
      Data d = in.getValue();
      if (count >= 0 && d.count() != count) {
        throw new IllegalArgumentException("inputs have different sample counts: " + d.count() + " and " + count);
      }
      count = d.count();
      if (spec.shape() != null) {
        checkShape(spec, d.sampleShape(), "samples of shape", 1);
        long fixed = spec.shape().length > 0 ? spec.shape()[0] : -1;
        if (fixed > 0 && (batchSize != fixed && count != fixed)) {
          throw new IllegalArgumentException("input " + spec + " takes batches of exactly " + fixed + " samples;"
              + " call predict with batchSize " + fixed);
        }
      }
    }
    Map<String, List<float[]>> parts = new LinkedHashMap<>();
    Map<String, long[]> sampleShapes = new HashMap<>();
    outputs.keySet().forEach(k -> parts.put(k, new ArrayList<>()));
    for (int from = 0; from < count; from += batchSize) {
      int to = Math.min(count, from + batchSize);
      Map<String, Tensor> feeds = new HashMap<>();
      try {
        for (Map.Entry<String, Data> in : x.entrySet()) {
          Data d = in.getValue();
          long sampleSize = d.values().length / d.count();
          TFloat32 batch = TFloat32.tensorOf(Shape.of(d.batchShape(to - from)),
              DataBuffers.of(d.values(), true, false).slice(from * sampleSize, (to - from) * sampleSize));
          feeds.put(in.getKey(), tensor(inputs.get(in.getKey()), batch));
        }
        try (Result result = function.call(feeds)) {
          for (String k : outputs.keySet()) {
            Tensor t = result.get(k).orElseThrow();
            long[] s = t.shape().asArray();
            sampleShapes.put(k, Arrays.copyOfRange(s, Math.min(1, s.length), s.length));
            parts.get(k).add(floats(k, t));
          }
        }
      } finally {
        feeds.values().forEach(Tensor::close);
      }
    }
    Map<String, Data> out = new TreeMap<>();
    parts.forEach((k, list) -> {
      float[] all = new float[list.stream().mapToInt(a -> a.length).sum()];
      int at = 0;
      for (float[] a : list) {
        System.arraycopy(a, 0, all, at, a.length);
        at += a.length;
      }
      out.put(k, Data.of(all, sampleShapes.get(k)));
    });
    return out;
  }

  /**
   * One run of the signature on tensors the caller made, after checking their names, dtypes and
   * shapes; the caller closes the result.
   */
  public Result call(Map<String, Tensor> x) {
    checkOpen("call");
    requireInputNames(x.keySet());
    x.forEach((k, t) -> {
      Spec spec = inputs.get(k);
      if (t.dataType() != spec.dtype()) {
        throw new IllegalArgumentException("input " + k + " takes " + spec.dtype() + ", got a " + t.dataType()
            + " tensor of shape " + t.shape());
      }
      if (spec.shape() != null) {
        checkShape(spec, t.shape().asArray(), "a tensor of shape", 0);
      }
    });
    return function.call(x);
  }

  private void requireInputNames(java.util.Set<String> names) {
    if (!names.equals(inputs.keySet())) {
      throw new IllegalArgumentException("signature " + signature + " takes inputs " + inputs.keySet() + ", got "
          + new java.util.TreeSet<>(names));
    }
  }

  /** {@code got} against the spec's shape from dimension {@code from} on. */
  private static void checkShape(Spec spec, long[] got, String what, int from) {
    long[] want = Arrays.copyOfRange(spec.shape(), Math.min(from, spec.shape().length), spec.shape().length);
    boolean ok = want.length == got.length;
    for (int i = 0; ok && i < want.length; i++) {
      ok = want[i] < 0 || want[i] == got[i];
    }
    if (!ok) {
      throw new IllegalArgumentException("input " + spec.name() + " takes " + (from == 1 ? "samples of shape " : "")
          + Arrays.toString(want) + " (signature shape " + Arrays.toString(spec.shape()) + ", -1: any size), got "
          + what + " " + Arrays.toString(got));
    }
  }

  /** A float batch as the dtype the input takes; whole numbers only for integer inputs. */
  private static Tensor tensor(Spec spec, TFloat32 batch) {
    if (spec.dtype() == DataType.DT_FLOAT) {
      return batch;
    }
    try (batch) {
      float[] v = new float[Math.toIntExact(batch.shape().size())];
      batch.copyTo(DataBuffers.of(v, false, false));
      Shape shape = batch.shape();
      switch (spec.dtype()) {
        case DT_DOUBLE: {
          double[] d = new double[v.length];
          for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
          }
          return TFloat64.tensorOf(shape, DataBuffers.of(d, true, false));
        }
        case DT_INT32: {
          int[] d = new int[v.length];
          for (int i = 0; i < v.length; i++) {
            d[i] = (int) whole(spec, v[i]);
          }
          return TInt32.tensorOf(shape, DataBuffers.of(d, true, false));
        }
        case DT_INT64: {
          long[] d = new long[v.length];
          for (int i = 0; i < v.length; i++) {
            d[i] = whole(spec, v[i]);
          }
          return TInt64.tensorOf(shape, DataBuffers.of(d, true, false));
        }
        default:
          throw new IllegalArgumentException("input " + spec + " is not numeric; predict feeds numbers: build the"
              + " tensors yourself and use call(...)");
      }
    }
  }

  private static long whole(Spec spec, float v) {
    if (v != Math.rint(v)) {
      throw new IllegalArgumentException("input " + spec + " takes whole numbers, got " + v);
    }
    return (long) v;
  }

  private static float[] floats(String name, Tensor t) {
    float[] out = new float[Math.toIntExact(t.shape().size())];
    if (t instanceof TFloat32 f) {
      f.copyTo(DataBuffers.of(out, false, false));
    } else if (t instanceof TFloat64 d) {
      double[] v = new double[out.length];
      d.copyTo(DataBuffers.of(v, false, false));
      for (int i = 0; i < v.length; i++) {
        out[i] = (float) v[i];
      }
    } else if (t instanceof TInt32 n) {
      int[] v = new int[out.length];
      n.copyTo(DataBuffers.of(v, false, false));
      for (int i = 0; i < v.length; i++) {
        out[i] = v[i];
      }
    } else if (t instanceof TInt64 n) {
      long[] v = new long[out.length];
      n.copyTo(DataBuffers.of(v, false, false));
      for (int i = 0; i < v.length; i++) {
        out[i] = v[i];
      }
    } else {
      throw new IllegalStateException("output " + name + " is a " + t.dataType() + " tensor; predict returns numbers:"
          + " use call(...)");
    }
    return out;
  }

  @Override
  public String toString() {
    return "SavedModel " + dir + " [" + signature + "] inputs " + inputs.values() + " outputs " + outputs.values();
  }

  private volatile boolean closed;

  private void checkOpen(String what) {
    if (closed) {
      throw new IllegalStateException("the SavedModel " + dir + " is closed, so it cannot " + what
          + "; load it again with Leibniz.load");
    }
  }

  /** Releases the loaded graph and session; closing twice does nothing, and later calls throw. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      bundle.close();
    }
  }
}
