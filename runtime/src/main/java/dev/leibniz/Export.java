package dev.leibniz;

import dev.leibniz.dsl.Variable;
import dev.leibniz.saving.AtomicFiles;
import dev.leibniz.tf.Natives;
import dev.leibniz.tf.TfGraph;
import dev.leibniz.tf.TfSession;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tensorflow.types.TFloat32;

/**
 * Writes a model as a SavedModel: a graph of its forward alone, built again with reference
 * variables (TensorFlow Java's exporter saves no resource variables) set to the trained values,
 * with signature {@code serving_default} under tag {@code serve} and a dynamic batch dimension.
 */
final class Export {
  static final String SIGNATURE = Signature.DEFAULT_KEY;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9.][A-Za-z0-9_.\\-]*");

  private Export() {}

  /**
   * {@code front}, where not null, preprocesses the one input inside the exported graph (a
   * {@code TextVectorization}): the signature's input is then what {@code front} takes, strings.
   */
  @SuppressWarnings("unchecked")
  static void write(Net net, List<long[]> inputShapes, Map<Variable, float[]> values, Path dir,
      List<String> inputNames, List<String> outputNames, dev.leibniz.data.InputMap front) throws IOException {
    checkNames(inputNames, inputShapes.size(), "input");
    checkReplaceable(dir);
    try (Graph graph = Natives.newGraph()) {
      TfGraph state = TfGraph.forExport(graph);
      List<Operand<TFloat32>> inputs = new ArrayList<>();
      Signature.Builder signature = Signature.builder().key(SIGNATURE).methodName("tensorflow/serving/predict");
      if (front != null) {
        if (inputShapes.size() != 1) {
          throw new IllegalArgumentException("preprocessing in the export takes a model of one input; this one has "
              + inputShapes.size());
        }
        Operand<org.tensorflow.types.TString> text = state.ops().withName(inputNames.get(0))
            .placeholder(org.tensorflow.types.TString.class, org.tensorflow.op.core.Placeholder.shape(
                org.tensorflow.ndarray.Shape.of(-1)));
        signature.input(inputNames.get(0), text);
        Operand<?> mapped = front.apply(state.ops(), List.of(text)).get(0);
        long[] got = mapped.shape().asArray();
        if (mapped.type() != TFloat32.class
            || !java.util.Arrays.equals(java.util.Arrays.copyOfRange(got, 1, got.length), inputShapes.get(0))) {
          throw new IllegalArgumentException(front + " gives " + mapped.type().getSimpleName() + " " + mapped.shape()
              + "; the model takes float samples of shape " + java.util.Arrays.toString(inputShapes.get(0)));
        }
        inputs.add((Operand<TFloat32>) mapped);
      } else {
        for (int i = 0; i < inputShapes.size(); i++) {
          Operand<TFloat32> input = state.placeholder(inputNames.get(i), Engine.batched(inputShapes.get(i)));
          inputs.add(input);
          signature.input(inputNames.get(i), input);
        }
      }
      List<Operand<TFloat32>> outputs = net.forward(state.tf(), inputs, new ArrayList<>()).outputs();
      checkNames(outputNames, outputs.size(), "output");
      for (int i = 0; i < outputs.size(); i++) {
        signature.output(outputNames.get(i), state.named(outputNames.get(i), outputs.get(i)));
      }
      Map<TfGraph.State, float[]> trained = new LinkedHashMap<>();
      for (TfGraph.Weight w : state.weights()) {
        float[] v = values.get(w.variable());
        if (v == null) {
          throw new IllegalStateException("weight " + w.name() + " has no trained value to export");
        }
        trained.put(w.state(), v);
      }
      try (TfSession session = new TfSession(state)) {
        session.assign(trained);
        Signature built = signature.build();
        AtomicFiles.writeDirectory(dir, temp -> SavedModelBundle.exporter(temp.toString())
            .withSession(session.session()).withSignature(built).export());
      }
    }
  }

  /** What a SavedModel folder holds (TensorFlow's and Keras's writers); anything else is the user's. */
  private static final java.util.Set<String> SAVED_MODEL_ENTRIES = java.util.Set.of("saved_model.pb",
      "saved_model.pbtxt", "variables", "assets", "assets.extra", "fingerprint.pb", "keras_metadata.pb");

  /**
   * An export replaces a SavedModel, or an empty folder, and nothing else: a folder that holds
   * other things (or the working folder, or a folder above it) is refused, naming what is there.
   */
  static void checkReplaceable(Path dir) throws IOException {
    Path target = dir.toAbsolutePath().normalize();
    Path cwd = Path.of("").toAbsolutePath().normalize();
    if (cwd.startsWith(target)) {
      throw new IOException("cannot export into " + dir + ": it is the working folder or holds it; export into a"
          + " folder of its own, such as " + dir.resolve("model"));
    }
    if (!java.nio.file.Files.isDirectory(target)) {
      return; // absent (a file there is refused when it is replaced)
    }
    List<String> foreign = new ArrayList<>();
    boolean savedModel = false;
    try (var entries = java.nio.file.Files.list(target)) {
      for (Path p : (Iterable<Path>) entries.sorted()::iterator) {
        String name = p.getFileName().toString();
        savedModel |= name.startsWith("saved_model.");
        if (!SAVED_MODEL_ENTRIES.contains(name)) {
          foreign.add(name);
        }
      }
    }
    boolean empty = foreign.isEmpty() && !savedModel && isEmpty(target);
    if (!empty && (!savedModel || !foreign.isEmpty())) {
      throw new IOException("will not replace " + dir + ": it is not a SavedModel"
          + (foreign.isEmpty() ? "" : " (it holds " + String.join(", ", foreign.subList(0, Math.min(5,
              foreign.size()))) + (foreign.size() > 5 ? " and " + (foreign.size() - 5) + " more" : "") + ")")
          + "; export replaces only a previous export. Choose a new folder, or move those files away");
    }
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (var entries = java.nio.file.Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }

  static List<String> defaultNames(String prefix, int n) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      names.add(prefix + "_" + i);
    }
    return names;
  }

  private static void checkNames(List<String> names, int expected, String what) {
    if (names.size() != expected) {
      throw new IllegalArgumentException("the model has " + expected + " " + what + "(s), got " + names.size()
          + " " + what + " names " + names);
    }
    if (new HashSet<>(names).size() != names.size()) {
      throw new IllegalArgumentException(what + " names must differ, got " + names);
    }
    for (String n : names) {
      if (n == null || !NAME.matcher(n).matches()) {
        throw new IllegalArgumentException("the " + what + " name \"" + n + "\" is not a TensorFlow name: use letters,"
            + " digits, '_', '.' and '-', starting with a letter, digit or '.'");
      }
    }
  }
}
