package dev.leibniz;

import dev.leibniz.dsl.Variable;
import dev.leibniz.saving.AtomicFiles;
import dev.leibniz.saving.SavedModelWriter;
import dev.leibniz.tf.Natives;
import dev.leibniz.tf.TfGraph;
import dev.leibniz.tf.TfSession;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/**
 * Writes a model as a SavedModel: a graph of its forward alone, whose weights are resource
 * variables under their Keras paths ({@code dense/kernel}) set to the trained values, with
 * signature {@code serving_default} under tag {@code serve} and a dynamic batch dimension (see
 * {@link SavedModelWriter} for why it writes the folder itself).
 */
final class Export {
  static final String SIGNATURE = Signature.DEFAULT_KEY;
  static final String WARMUP_FILE = "tf_serving_warmup_requests";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9.][A-Za-z0-9_.\\-]*");

  private Export() {}

  /** Writes the export {@code options} describe into {@code dir} (or its version subfolder), returned. */
  @SuppressWarnings("unchecked")
  static Path write(Net net, List<long[]> inputShapes, Map<Variable, float[]> values, Map<Variable, String> paths,
      int outputCount, Path dir, ExportOptions options) throws IOException {
    List<String> inputNames = options.inputNames != null ? options.inputNames
        : defaultNames("input", options.preprocessing != null ? 1 : inputShapes.size());
    List<String> outputNames = options.outputNames != null ? options.outputNames : defaultNames("output", outputCount);
    checkNames(inputNames, inputShapes.size(), "input");
    checkNames(outputNames, outputCount, "output");
    Path target = versionFolder(dir, options);
    checkReplaceable(target);
    try (Graph graph = Natives.newGraph()) {
      TfGraph state = TfGraph.forExport(graph, v -> paths.getOrDefault(v, v.name()));
      Map<String, Operand<?>> signatureInputs = new LinkedHashMap<>();
      List<Operand<TFloat32>> inputs = new ArrayList<>();
      List<org.tensorflow.op.Op> initializers = new ArrayList<>(); // run when the SavedModel loads (a vocabulary table)
      if (options.preprocessing != null) {
        if (inputShapes.size() != 1) {
          throw new IllegalArgumentException("preprocessing in the export takes a model of one input; this one has "
              + inputShapes.size());
        }
        if (!options.warmup.isEmpty()) {
          throw new IllegalArgumentException("warm-up requests hold float inputs; with preprocessing the export takes"
              + " strings: leave warmup out");
        }
        Operand<TString> text = state.ops().withName(inputNames.get(0))
            .placeholder(TString.class, Placeholder.shape(Shape.of(-1)));
        signatureInputs.put(inputNames.get(0), text);
        Operand<?> mapped = options.preprocessing.applyForExport(state.ops(), List.of(text), initializers).get(0);
        long[] got = mapped.shape().asArray();
        if (mapped.type() != TFloat32.class || !Arrays.equals(Arrays.copyOfRange(got, 1, got.length), inputShapes.get(0))) {
          throw new IllegalArgumentException(options.preprocessing + " gives " + mapped.type().getSimpleName() + " "
              + mapped.shape() + "; the model takes float samples of shape " + Arrays.toString(inputShapes.get(0)));
        }
        inputs.add((Operand<TFloat32>) mapped);
      } else {
        for (int i = 0; i < inputShapes.size(); i++) {
          Operand<TFloat32> input = state.placeholder(inputNames.get(i), Engine.batched(inputShapes.get(i)));
          inputs.add(input);
          signatureInputs.put(inputNames.get(i), input);
        }
      }
      List<Operand<TFloat32>> outputs = net.forward(state.tf(), inputs, new ArrayList<>()).outputs();
      List<SavedModelWriter.Signature> signatures = new ArrayList<>();
      Map<String, Operand<?>> named = new LinkedHashMap<>();
      for (int i = 0; i < outputs.size(); i++) {
        named.put(outputNames.get(i), state.named(outputNames.get(i), outputs.get(i)));
      }
      signatures.add(new SavedModelWriter.Signature(SIGNATURE, signatureInputs, named));
      for (String key : options.logitsSignatures) {
        Map<String, Operand<?>> logits = new LinkedHashMap<>();
        for (int i = 0; i < outputs.size(); i++) {
          logits.put(outputNames.get(i), state.named(key + "_" + outputNames.get(i), logits(outputs.get(i),
              outputNames.get(i))));
        }
        signatures.add(new SavedModelWriter.Signature(key, signatureInputs, logits));
      }
      Map<TfGraph.State, float[]> trained = new LinkedHashMap<>();
      List<SavedModelWriter.Variable> variables = new ArrayList<>();
      for (TfGraph.Weight w : state.weights()) {
        float[] v = values.get(w.variable());
        if (v == null) {
          throw new IllegalStateException("weight " + w.name() + " has no trained value to export");
        }
        trained.put(w.state(), v);
        variables.add(new SavedModelWriter.Variable(w.name(), w.handle(), w.value(), w.state().reset(),
            w.variable().trainable()));
      }
      Map<String, byte[]> extra = options.warmup.isEmpty() ? Map.of()
          : Map.of(WARMUP_FILE, dev.leibniz.saving.WarmupRequests.encode(SIGNATURE, options.warmup, inputNames, inputShapes));
      SavedModelWriter writer = new SavedModelWriter(graph, variables, initializers);
      try (TfSession session = new TfSession(state)) {
        session.assign(trained);
        AtomicFiles.writeDirectory(target, temp -> writer.write(session.session(), temp, List.of(dev.leibniz.saving.SavedModel.TAG), signatures,
            extra));
      }
    }
    return target;
  }

  /** {@code y}'s logits: the input of the softmax or sigmoid that made it. */
  private static Operand<TFloat32> logits(Operand<TFloat32> y, String name) {
    GraphOperation op = (GraphOperation) y.op();
    while (op.type().equals("Identity")) {
      op = (GraphOperation) op.input(0).op();
    }
    if (!op.type().equals("Softmax") && !op.type().equals("Sigmoid")) {
      throw new IllegalArgumentException("a logits signature returns the input of each output's softmax or sigmoid;"
          + " output " + name + " comes from " + op.type() + " (op " + op.name() + "): export it without"
          + " logitsSignature, or end the model in a softmax or sigmoid activation");
    }
    return (Operand<TFloat32>) op.input(0);
  }

  /** {@code dir}, or its version subfolder where {@code options} ask for one. */
  private static Path versionFolder(Path dir, ExportOptions options) throws IOException {
    if (options.version > 0) {
      return dir.resolve(Long.toString(options.version));
    }
    if (!options.nextVersion) {
      return dir;
    }
    long highest = 0;
    if (java.nio.file.Files.isDirectory(dir)) {
      try (var entries = java.nio.file.Files.list(dir)) {
        for (Path p : (Iterable<Path>) entries::iterator) {
          String name = p.getFileName().toString();
          if (name.matches("[0-9]{1,18}") && java.nio.file.Files.isDirectory(p)) {
            highest = Math.max(highest, Long.parseLong(name));
          }
        }
      }
    }
    return dir.resolve(Long.toString(highest + 1));
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
