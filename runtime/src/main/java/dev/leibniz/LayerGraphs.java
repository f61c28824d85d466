package dev.leibniz;

import dev.leibniz.dsl.GraphNames;
import dev.leibniz.dsl.Variable;
import dev.leibniz.tf.LayerGraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds a layer's generated graph: {@code <package>.<Outer_>Name_Graph.LAYER}, written by the
 * processor ({@link GraphNames}). This is the one reflective lookup of the runtime, once per class (cached); every
 * graph is then built by plain calls.
 */
public final class LayerGraphs {
  private LayerGraphs() {}

  private static final ClassValue<Object> GRAPHS = new ClassValue<>() {
    @Override
    protected Object computeValue(Class<?> type) {
      String name = graphName(type);
      try {
        Class<?> graph = Class.forName(name, true, type.getClassLoader());
        return graph.getField(GraphNames.LAYER_CONSTANT).get(null);
      } catch (ClassNotFoundException | NoSuchFieldException e) {
        return new IllegalArgumentException(type.getName() + " is not a compiled layer: no " + name + ".LAYER was"
            + " found. Annotate the class with @Layer (or @Model), give it a @Call method that takes tensors, and"
            + " compile it with the Leibniz processor on javac's path (dev.leibniz:leibniz-processor)");
      } catch (IllegalAccessException e) {
        return new IllegalStateException("cannot read " + name + ".LAYER: " + e.getMessage());
      }
    }
  };

  @SuppressWarnings("unchecked")
  public static LayerGraph<Object> of(Object layer) {
    if (layer instanceof dev.leibniz.layers.TimeDistributed) {
      return TimeDistributedGraph.GRAPH; // a wrapper of any layer, written here rather than generated
    }
    Object graph = GRAPHS.get(layer.getClass());
    if (graph instanceof RuntimeException e) {
      throw e;
    }
    return (LayerGraph<Object>) graph;
  }

  /** The layer's {@code masked(x, mask)} graph, or null: what it runs on padded input. */
  static LayerGraph<Object> masked(Object layer) {
    return VARIANTS.get(layer.getClass()).get("MASKED");
  }

  /** The layer's {@code attentionMasked(query, value, mask)} graph, or null. */
  static LayerGraph<Object> attentionMasked(Object layer) {
    return VARIANTS.get(layer.getClass()).get("ATTENTION_MASKED");
  }

  /** The layer's {@code mask(x)} graph, or null: Keras's {@code compute_mask}, the mask of its output. */
  static LayerGraph<Object> mask(Object layer) {
    return VARIANTS.get(layer.getClass()).get("MASK");
  }

  /** A class's other {@code @Call} graphs that masking uses, by constant (absent where it has none). */
  private static final ClassValue<java.util.Map<String, LayerGraph<Object>>> VARIANTS = new ClassValue<>() {
    @Override
    @SuppressWarnings("unchecked")
    protected java.util.Map<String, LayerGraph<Object>> computeValue(Class<?> type) {
      java.util.Map<String, LayerGraph<Object>> found = new java.util.HashMap<>();
      for (String constant : List.of("MASKED", "MASK", "ATTENTION_MASKED")) {
        try {
          Class<?> graph = Class.forName(graphName(type), true, type.getClassLoader());
          found.put(constant, (LayerGraph<Object>) graph.getField(constant).get(null));
        } catch (ReflectiveOperationException absent) {
          // this layer has no such @Call
        }
      }
      return found;
    }
  };

  static String graphName(Class<?> type) {
    java.util.LinkedList<String> simple = new java.util.LinkedList<>();
    for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
      simple.addFirst(c.getSimpleName());
    }
    return GraphNames.graphClass(type.getPackageName(), simple);
  }

  /**
   * Checks that {@code layer}'s sublayers form a tree (a layer that holds itself, directly or
   * through others, would build its graph forever) and that each is a compiled layer.
   */
  static void checkTree(Object layer) {
    checkTree(layer, new ArrayList<>());
  }

  private static void checkTree(Object layer, List<Object> path) {
    for (Object above : path) {
      if (above == layer) {
        List<String> names = new ArrayList<>();
        for (Object p : path.subList(path.indexOf(layer), path.size())) {
          names.add(p.getClass().getSimpleName());
        }
        names.add(layer.getClass().getSimpleName());
        throw new IllegalArgumentException("layers hold each other in a cycle: " + String.join(" -> ", names)
            + "; a layer's sublayers must form a tree (share a layer object by calling it twice, not by holding its"
            + " holder)");
      }
    }
    path.add(layer);
    for (Object sub : of(layer).sublayers(layer)) {
      checkTree(sub, path);
    }
    path.remove(path.size() - 1);
  }

  /** The weights of {@code layer} and of its sublayers, depth first. */
  static List<Variable> weights(Object layer) {
    List<Variable> out = new ArrayList<>();
    LayerGraph<Object> graph = of(layer);
    out.addAll(graph.weights(layer));
    for (Object sub : graph.sublayers(layer)) {
      out.addAll(weights(sub));
    }
    return out;
  }

  /**
   * Each layer's name in a model as Keras gives it within its parent (the summary's rows, the
   * weights file's groups): its {@link #kerasName}, numbered from the second of a kind on
   * ({@code dense}, {@code dense_1}, ...), after {@code taken} ones of each kind.
   */
  static List<String> kerasNames(List<Object> layers, java.util.Map<String, Integer> taken) {
    List<String> names = new ArrayList<>();
    for (Object layer : layers) {
      names.add(numbered(kerasName(layer), taken));
    }
    return names;
  }

  /** {@code base}, then {@code base_1}, {@code base_2}, ... as {@code taken} counts them. */
  static String numbered(String base, java.util.Map<String, Integer> taken) {
    int n = taken.merge(base, 1, Integer::sum);
    return n == 1 ? base : base + "_" + (n - 1);
  }

  /** Keras's {@code to_snake_case}: Dense -> dense, Conv2D -> conv2d, MaxPooling2D -> max_pooling2d, SimpleRNN -> simple_rnn. */
  static String kerasName(Object layer) {
    return layer.getClass().getSimpleName().replaceAll("(.)([A-Z][a-z]+)", "$1_$2")
        .replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }
}
