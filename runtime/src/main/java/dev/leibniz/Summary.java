package dev.leibniz;

import dev.leibniz.dsl.Variable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Keras's model summary: one row per top-level layer, then parameter totals. */
final class Summary {
  private Summary() {}

  static String of(Model model, Engine engine) {
    Map<Object, String> shapes = new HashMap<>();
    for (Net.Applied a : engine.applied) {
      shapes.put(a.layer(), shape(a.output().shape().asArray()));
    }
    String rule = "_".repeat(72);
    StringBuilder out = new StringBuilder();
    out.append("Model: \"").append(model.name()).append("\"\n").append(rule).append('\n');
    out.append(String.format(" %-34s %-22s %12s%n", "Layer (type)", "Output Shape", "Param #"));
    out.append("=".repeat(72)).append('\n');
    long total = 0;
    long trainable = 0;
    List<Object> layers = model.summaryLayers();
    List<String> names = LayerGraphs.kerasNames(layers, new HashMap<>());
    for (int i = 0; i < layers.size(); i++) {
      Object layer = layers.get(i);
      String name = names.get(i) + " (" + layer.getClass().getSimpleName() + ")";
      long params = 0;
      for (Variable v : LayerGraphs.weights(layer)) {
        params += v.shape().size();
      }
      out.append(String.format(" %-34s %-22s %12s%n", name, shapes.getOrDefault(layer, "?"), String.format("%,d", params)));
      if (i + 1 < layers.size()) {
        out.append('\n');
      }
    }
    for (var w : engine.weights()) {
      long size = w.variable().shape().size();
      total += size;
      trainable += w.variable().trainable() ? size : 0;
    }
    out.append("=".repeat(72)).append('\n');
    out.append(String.format("Total params: %,d%n", total));
    out.append(String.format("Trainable params: %,d%n", trainable));
    out.append(String.format("Non-trainable params: %,d%n", total - trainable));
    out.append(rule).append('\n');
    return out.toString();
  }

  /** Keras's notation: (None, 512). */
  static String shape(long[] dims) {
    StringBuilder s = new StringBuilder("(");
    for (int i = 0; i < dims.length; i++) {
      s.append(i > 0 ? ", " : "").append(dims[i] < 0 ? "None" : Long.toString(dims[i]));
    }
    return s.append(dims.length == 1 ? ",)" : ")").toString();
  }
}
