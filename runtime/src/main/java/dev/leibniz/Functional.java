package dev.leibniz;

import dev.leibniz.tf.LayerGraph;
import java.util.Arrays;
import java.util.List;

/**
 * Keras's functional API: symbolic inputs, compiled layers applied to them (a layer applied
 * twice shares its weights, whose gradients add up), and a model from inputs to outputs.
 *
 * <pre>
 * Symbol in = Functional.input(784);
 * Symbol h = Functional.apply(new Dense(64, "relu"), in);
 * Model model = Functional.model(in, Functional.apply(new Dense(10, "softmax"), h));
 * </pre>
 */
public final class Functional extends Model {
  /** A value in a functional graph: a model input or a layer's output. */
  public static final class Symbol {
    private final long[] sampleShape; // inputs only; null where inferred from the first data
    private final Object layer; // null for inputs
    private final List<Symbol> args;

    Symbol(long[] sampleShape, Object layer, List<Symbol> args) {
      this.sampleShape = sampleShape;
      this.layer = layer;
      this.args = args;
    }

    boolean isInput() {
      return layer == null;
    }

    long[] sampleShape() {
      return sampleShape == null ? null : sampleShape.clone();
    }

    Object layer() {
      return layer;
    }

    List<Symbol> args() {
      return args;
    }

    @Override
    public String toString() {
      return isInput() ? "Input" + (sampleShape == null ? "[?]" : Arrays.toString(sampleShape))
          : layer.getClass().getSimpleName() + args;
    }
  }

  /** A model input; its shape per sample (without the batch axis). */
  public static Symbol input(long... sampleShape) {
    return new Symbol(sampleShape.clone(), null, List.of());
  }

  /** An input whose shape the first data gives (Sequential's, a {@code @Model} object's). */
  static Symbol inferredInput() {
    return new Symbol(null, null, List.of());
  }

  /** {@code layer} applied to {@code inputs} (as many as its {@code @Call} takes). */
  public static Symbol apply(Object layer, Symbol... inputs) {
    if (layer == null || inputs == null || java.util.Arrays.asList(inputs).contains(null)) {
      throw new IllegalArgumentException("apply needs a layer and its inputs, got " + layer + " on "
          + (inputs == null ? null : java.util.Arrays.toString(inputs)));
    }
    LayerGraph<Object> graph = LayerGraphs.of(layer);
    LayerGraphs.checkTree(layer);
    if (graph.inputs() != inputs.length) {
      throw new IllegalArgumentException(layer.getClass().getSimpleName() + "'s @Call takes " + graph.inputs()
          + " inputs, got " + inputs.length);
    }
    return new Symbol(null, layer, List.of(inputs));
  }

  public static Functional model(Symbol input, Symbol output) {
    return new Functional(List.of(input), List.of(output));
  }

  public static Functional model(List<Symbol> inputs, List<Symbol> outputs) {
    return new Functional(inputs, outputs);
  }

  private final Net net;

  private Functional(List<Symbol> inputs, List<Symbol> outputs) {
    this.net = new Net(inputs, outputs);
  }

  @Override
  String defaultName() {
    return "functional";
  }

  @Override
  Net net() {
    return net;
  }

  @Override
  int kerasInputLayers() {
    return net.inputs();
  }
}
