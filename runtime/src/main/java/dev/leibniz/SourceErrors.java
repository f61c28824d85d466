package dev.leibniz;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.tensorflow.Operand;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.types.TFloat32;

/**
 * TensorFlow's errors while a layer's graph is built, told in the user's terms: the line of the
 * {@code @Call} they come from (from {@code <Name>_Graph.lines}, which the processor writes beside
 * each generated class), the layer, and the shapes it received.
 */
final class SourceErrors {
  private SourceErrors() {}

  /** Generated line to source line, per generated class (empty where the class has no table). */
  private static final Map<String, Map<Integer, String>> TABLES = new ConcurrentHashMap<>();

  /** {@code e} with where it comes from, if TensorFlow threw it inside generated code; else {@code e}. */
  static RuntimeException explain(RuntimeException e, Object layer, List<Operand<TFloat32>> inputs) {
    boolean fromTensorFlow = e instanceof TensorFlowException || e.getStackTrace().length > 0
        && e.getStackTrace()[0].getClassName().startsWith("org.tensorflow."); // a shape check when an op is built
    if (!fromTensorFlow) {
      return e;
    }
    for (StackTraceElement frame : e.getStackTrace()) {
      if (!frame.getClassName().endsWith("_Graph")) {
        continue;
      }
      String line = table(frame.getClassName(), layer.getClass().getClassLoader()).get(frame.getLineNumber());
      String where = line == null ? frame.getClassName().replaceAll(".*\\.", "").replace("_Graph", "") + "."
          + frame.getMethodName() : line.replaceFirst(": ", " `") + "`";
      StringBuilder shapes = new StringBuilder();
      for (Operand<TFloat32> in : inputs) {
        shapes.append(shapes.length() == 0 ? "" : ", ").append(in == null ? "none" : in.shape());
      }
      return new IllegalArgumentException("in " + where + ": " + e.getMessage().strip() + "\n  while building "
          + LayerGraphs.kerasName(layer) + " (" + layer.getClass().getSimpleName() + ") on inputs of shape "
          + shapes + " (-1: any size)", e);
    }
    return e;
  }

  private static Map<Integer, String> table(String graphClass, ClassLoader loader) {
    return TABLES.computeIfAbsent(graphClass, name -> {
      Map<Integer, String> out = new HashMap<>();
      String resource = name.replace('.', '/') + ".lines";
      for (ClassLoader l : Arrays.asList(loader, SourceErrors.class.getClassLoader())) {
        try (InputStream in = l == null ? null : l.getResourceAsStream(resource)) {
          if (in == null) {
            continue;
          }
          BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
          for (String row; (row = r.readLine()) != null; ) {
            int tab = row.indexOf('\t');
            out.put(Integer.parseInt(row.substring(0, tab)), row.substring(tab + 1));
          }
          return out;
        } catch (IOException | RuntimeException unreadable) {
          return out; // no table: the message names the generated method instead
        }
      }
      return out;
    });
  }
}
