package dev.leibniz;

import dev.leibniz.tf.LayerGraph;
import java.util.ArrayList;
import java.util.List;

/**
 * Keras's {@code Sequential}: compiled layers applied one after the other, each taking one
 * input. Shapes are inferred: each layer builds its weights from the output of the one before,
 * once the model sees its first data (or {@link #build}).
 */
public final class Sequential extends Model {
  private final List<Object> layers = new ArrayList<>();
  private Net net; // the chain, made once per layer list: every fit, predict and trainOnBatch asks for it

  private Sequential(List<Object> layers) {
    for (Object layer : layers) {
      add(layer);
    }
  }

  public static Sequential of(Object... layers) {
    return new Sequential(java.util.Arrays.asList(layers));
  }

  /** Appends a layer; only before the model's graph is built. */
  public Sequential add(Object layer) {
    requireNotBuilt("add a layer");
    if (layer == null) {
      throw new IllegalArgumentException("Sequential layer " + (layers.size() + 1) + " is null");
    }
    LayerGraph<Object> graph = LayerGraphs.of(layer);
    LayerGraphs.checkTree(layer);
    if (graph.inputs() != 1) {
      throw new IllegalArgumentException("Sequential layers take one input; " + layer.getClass().getSimpleName()
          + "'s @Call takes " + graph.inputs() + " (use Functional for several)");
    }
    layers.add(layer);
    net = null;
    return this;
  }

  @Override
  String defaultName() {
    return "sequential";
  }

  /** The chain of the layers added so far. */
  @Override
  Net net() {
    if (net == null) {
      Functional.Symbol input = Functional.inferredInput();
      Functional.Symbol x = input;
      for (Object layer : layers) {
        x = Functional.apply(layer, x);
      }
      net = new Net(List.of(input), List.of(x));
    }
    return net;
  }
}
