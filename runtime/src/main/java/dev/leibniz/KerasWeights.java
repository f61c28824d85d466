package dev.leibniz;

import dev.leibniz.dsl.Variable;
import dev.leibniz.layers.Bidirectional;
import dev.leibniz.layers.GRU;
import dev.leibniz.layers.LSTM;
import dev.leibniz.layers.MultiHeadAttention;
import dev.leibniz.layers.TimeDistributed;
import dev.leibniz.layers.SimpleRNN;
import dev.leibniz.saving.KerasWeightsFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A model's weights laid out as Keras lays out the equivalent model's in a {@code .weights.h5}
 * file: its layers in order (a functional model's inputs first, as Keras's InputLayers), each
 * under its Keras name with its weights in declaration order, which is Keras's.
 */
final class KerasWeights {
  private KerasWeights() {}

  /** One layer's place in the file and the variables that go there. */
  private record Slot(String path, String name, boolean cell, List<Variable> variables) {}

  static void save(Model model, Engine engine, Path file) throws IOException {
    checkName(file);
    Map<Variable, float[]> values = engine.weightValues();
    List<KerasWeightsFile.Layer> layers = new ArrayList<>();
    for (Slot s : layout(model)) {
      List<KerasWeightsFile.Weight> ws = s.variables().stream()
          .map(v -> new KerasWeightsFile.Weight(v.shape().dims(), values.get(v))).toList();
      layers.add(new KerasWeightsFile.Layer(s.path(), s.name(), s.cell(), ws));
    }
    KerasWeightsFile.write(file, layers);
  }

  static void load(Model model, Engine engine, Path file) throws IOException {
    checkName(file);
    Map<String, List<KerasWeightsFile.Weight>> held = KerasWeightsFile.read(file);
    List<Slot> layout = layout(model);
    Map<Variable, float[]> values = new IdentityHashMap<>();
    List<String> problems = new ArrayList<>();
    Map<String, Slot> expected = new LinkedHashMap<>();
    for (Slot s : layout) {
      String vars = s.path() + (s.cell() ? "/cell/vars" : "/vars");
      expected.put(vars, s);
      List<KerasWeightsFile.Weight> found = held.getOrDefault(vars, List.of());
      if (found.isEmpty() && s.variables().isEmpty()) {
        continue;
      }
      if (!held.containsKey(vars)) {
        problems.add("no " + vars + " for " + s.name());
      } else if (!Arrays.deepEquals(shapes(found), s.variables().stream().map(v -> v.shape().dims()).toArray())) {
        problems.add(vars + " holds " + join(found.stream().map(Object::toString).toList()) + ", " + s.name()
            + " has " + join(s.variables().stream().map(v -> Arrays.toString(v.shape().dims())).toList()));
      } else {
        for (int i = 0; i < found.size(); i++) {
          values.put(s.variables().get(i), found.get(i).values());
        }
      }
    }
    held.forEach((vars, ws) -> {
      if (!ws.isEmpty() && !expected.containsKey(vars)) {
        problems.add(vars + " holds " + join(ws.stream().map(Object::toString).toList())
            + ", which no layer of the model takes");
      }
    });
    if (!problems.isEmpty()) {
      Map<String, List<String>> wanted = new LinkedHashMap<>();
      expected.forEach((vars, slot) -> wanted.put(vars, slot.variables().stream()
          .map(v -> Arrays.toString(v.shape().dims())).toList()));
      Map<String, List<String>> inFile = new LinkedHashMap<>();
      held.forEach((vars, ws) -> inFile.put(vars, ws.stream().map(Object::toString).toList()));
      throw new IllegalArgumentException(file + " does not fit model \"" + model.name() + "\": "
          + String.join("; ", problems) + ".\n  The file holds:     " + describe(inFile)
          + "\n  The model expects: " + describe(wanted));
    }
    engine.setWeightValues(values);
  }

  /**
   * Each weight's Keras 3 variable path, as {@code model.weights[i].path} gives it: {@code dense/kernel},
   * {@code lstm/lstm_cell/kernel}, {@code bidirectional/forward_lstm/lstm_cell/kernel},
   * {@code multi_head_attention/query/kernel}.
   */
  static Map<Variable, String> paths(Model model) {
    Map<Variable, String> out = new IdentityHashMap<>();
    for (Slot s : layout(model)) {
      String[] parts = s.path().substring("layers/".length()).split("/");
      String prefix = parts.length == 1 ? parts[0] : parts[0] + "/" + s.name();
      if (s.cell()) { // Keras's cell: lstm_cell, gru_cell, simple_rnn_cell, under the layer however numbered
        prefix += "/" + s.name().replaceFirst("^(forward|backward)_", "").replaceFirst("_[0-9]+$", "") + "_cell";
      }
      for (Variable v : s.variables()) {
        // a sublayer's weight as Keras names it: query/kernel where the layer holds query_kernel
        String own = parts.length > 1 && v.name().startsWith(s.name() + "_")
            ? v.name().substring(s.name().length() + 1) : v.name();
        out.putIfAbsent(v, prefix + "/" + own);
      }
    }
    return out;
  }

  /** Keras's layout of the model: functional inputs, then each layer under its numbered snake-case name. */
  private static List<Slot> layout(Model model) {
    List<Slot> out = new ArrayList<>();
    Map<String, Integer> taken = new HashMap<>();
    for (int i = 0; i < model.kerasInputLayers(); i++) {
      String name = LayerGraphs.numbered("input_layer", taken);
      out.add(new Slot("layers/" + name, name, false, List.of()));
    }
    List<Object> layers = model.summaryLayers();
    List<String> names = LayerGraphs.kerasNames(layers, taken);
    for (int i = 0; i < layers.size(); i++) {
      Object layer = layers.get(i);
      boolean cell = layer instanceof LSTM || layer instanceof GRU || layer instanceof SimpleRNN;
      List<Variable> variables = LayerGraphs.weights(layer).stream().filter(Objects::nonNull).toList();
      String path = "layers/" + names.get(i);
      if (layer instanceof MultiHeadAttention) {
        out.add(new Slot(path, names.get(i), false, List.of()));
        out.addAll(attention(path, variables));
      } else if (layer instanceof Bidirectional) {
        out.add(new Slot(path, names.get(i), false, List.of()));
        out.addAll(bidirectional(path, layer, variables));
      } else if (layer instanceof TimeDistributed td) {
        Object inner = td.layer();
        boolean innerCell = inner instanceof LSTM || inner instanceof GRU || inner instanceof SimpleRNN;
        out.add(new Slot(path, names.get(i), false, List.of()));
        out.add(new Slot(path + "/layer", LayerGraphs.kerasName(inner), innerCell, variables));
      } else {
        out.add(new Slot(path, names.get(i), cell, variables));
      }
    }
    return out;
  }

  /** Keras's Bidirectional keeps its two recurrent layers' cells apart, the forward one's first. */
  private static List<Slot> bidirectional(String path, Object layer, List<Variable> variables) {
    String kind = LayerGraphs.kerasName(LayerGraphs.of(layer).sublayers(layer).get(0));
    int half = variables.size() / 2;
    return List.of(new Slot(path + "/forward_layer", "forward_" + kind, true, variables.subList(0, half)),
        new Slot(path + "/backward_layer", "backward_" + kind, true, variables.subList(half, variables.size())));
  }

  /** Keras's MultiHeadAttention keeps each projection's kernel and bias in a sublayer of its own. */
  private static List<Slot> attention(String path, List<Variable> variables) {
    String[][] projections = {{"query_dense", "query"}, {"key_dense", "key"}, {"value_dense", "value"},
        {"output_dense", "attention_output"}};
    List<Slot> out = new ArrayList<>();
    for (int p = 0; p < projections.length; p++) {
      out.add(new Slot(path + "/" + projections[p][0], projections[p][1], false,
          variables.subList(2 * p, 2 * p + 2)));
    }
    return out;
  }

  private static long[][] shapes(List<KerasWeightsFile.Weight> ws) {
    return ws.stream().map(KerasWeightsFile.Weight::shape).toArray(long[][]::new);
  }

  /** "layers/dense/vars [4, 3] [3], ..." for the groups that hold weights. */
  private static String describe(Map<String, List<String>> groups) {
    return groups.entrySet().stream().filter(e -> !e.getValue().isEmpty())
        .map(e -> e.getKey() + " " + join(e.getValue())).collect(Collectors.joining(", "));
  }

  private static String join(List<String> shapes) {
    return String.join(" ", shapes);
  }

  /** Keras 3 writes and reads weights only in files named {@code *.weights.h5}; so does Leibniz. */
  private static void checkName(Path file) {
    if (!file.getFileName().toString().endsWith(".weights.h5")) {
      throw new IllegalArgumentException("a Keras weights file's name ends in .weights.h5, got " + file.getFileName());
    }
  }
}
