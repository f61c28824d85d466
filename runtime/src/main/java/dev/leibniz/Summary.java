package dev.leibniz;

import dev.leibniz.dsl.Variable;
import dev.leibniz.tf.Forward;
import java.lang.reflect.Field;
import java.lang.reflect.RecordComponent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Keras's model summary: one row per top-level layer (a {@code @Model} class's sublayers, with the
 * shapes of their outputs as its call built them), a row for weights a {@code @Model} class holds
 * itself (Keras leaves those out of the rows, so its rows need not add up to its total; here they
 * do), then parameter totals.
 */
final class Summary {
  private Summary() {}

  static String of(Model model, Engine engine) {
    Map<Object, String> shapes = new HashMap<>();
    for (Net.Applied a : engine.applied) {
      shapes.putIfAbsent(a.layer(), shape(a.output()));
      sublayerShapes(a.layer(), a.forward(), shapes);
    }
    String rule = "_".repeat(72);
    StringBuilder out = new StringBuilder();
    out.append("Model: \"").append(model.name()).append("\"\n").append(rule).append('\n');
    out.append(String.format(" %-34s %-22s %12s%n", "Layer (type)", "Output Shape", "Param #"));
    out.append("=".repeat(72)).append('\n');
    List<Object> layers = model.summaryLayers();
    List<String> names = LayerGraphs.kerasNames(layers, new HashMap<>());
    for (int i = 0; i < layers.size(); i++) {
      Object layer = layers.get(i);
      String name = names.get(i) + " (" + layer.getClass().getSimpleName() + ")";
      out.append(String.format(" %-34s %-22s %12s%n", name, shapes.getOrDefault(layer, "?"),
          String.format("%,d", size(LayerGraphs.weights(layer)))));
      if (i + 1 < layers.size()) {
        out.append('\n');
      }
    }
    List<Variable> own = model.ownWeights();
    if (!own.isEmpty()) {
      out.append('\n').append(String.format(" %-34s %-22s %12s%n", "(weights of " + model.name() + " itself)", "",
          String.format("%,d", size(own))));
    }
    long total = 0;
    long trainable = 0;
    for (var w : engine.weights()) {
      long size = w.variable().shape().size();
      total += size;
      trainable += engine.trains(w.variable()) ? size : 0;
    }
    out.append("=".repeat(72)).append('\n');
    out.append(String.format("Total params: %,d%n", total));
    out.append(String.format("Trainable params: %,d%n", trainable));
    out.append(String.format("Non-trainable params: %,d%n", total - trainable));
    out.append(rule).append('\n');
    return out.toString();
  }

  private static long size(List<Variable> weights) {
    return weights.stream().mapToLong(v -> v.shape().size()).sum();
  }

  private static String shape(Operand<TFloat32> output) {
    return shape(output.shape().asArray());
  }

  /**
   * The output shapes of the sublayers {@code layer}'s generated call called: its forward record
   * holds each sublayer call's forward as the component {@code <field>Call}.
   */
  private static void sublayerShapes(Object layer, Forward forward, Map<Object, String> shapes) {
    if (forward == null || !forward.getClass().isRecord()) {
      return;
    }
    for (RecordComponent c : forward.getClass().getRecordComponents()) {
      if (!Forward.class.isAssignableFrom(c.getType()) || !c.getName().endsWith("Call")) {
        continue;
      }
      try {
        Object sub = field(layer, c.getName().substring(0, c.getName().length() - "Call".length()));
        Forward called = (Forward) c.getAccessor().invoke(forward);
        if (sub != null && called != null) {
          shapes.putIfAbsent(sub, shape(called.output()));
          sublayerShapes(sub, called, shapes);
        }
      } catch (ReflectiveOperationException | RuntimeException e) {
        // a shape it cannot find stays "?", as Keras shows an unbuilt layer's
      }
    }
  }

  private static Object field(Object layer, String name) throws ReflectiveOperationException {
    for (Class<?> c = layer.getClass(); c != null; c = c.getSuperclass()) {
      try {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(layer);
      } catch (NoSuchFieldException e) {
        // declared higher up
      }
    }
    return null;
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
