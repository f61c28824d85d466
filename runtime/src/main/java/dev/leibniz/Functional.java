package dev.leibniz;

import dev.leibniz.tf.Forward;
import dev.leibniz.tf.LayerGraph;
import dev.leibniz.tf.Tf;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

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
    private final long[] sampleShape; // inputs only
    private final Object layer; // null for inputs
    private final List<Symbol> args;

    private Symbol(long[] sampleShape, Object layer, List<Symbol> args) {
      this.sampleShape = sampleShape;
      this.layer = layer;
      this.args = args;
    }

    boolean isInput() {
      return layer == null;
    }

    @Override
    public String toString() {
      return isInput() ? "Input" + Arrays.toString(sampleShape) : layer.getClass().getSimpleName() + args;
    }
  }

  /** A model input; its shape per sample (without the batch axis). */
  public static Symbol input(long... sampleShape) {
    return new Symbol(sampleShape.clone(), null, List.of());
  }

  /** {@code layer} applied to {@code inputs} (as many as its {@code @Call} takes). */
  public static Symbol apply(Object layer, Symbol... inputs) {
    LayerGraph<Object> graph = Compiled.of(layer);
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

  private final List<Symbol> inputs;
  private final List<Symbol> outputs;
  private final List<Symbol> order; // layer applications, each after its arguments

  private Functional(List<Symbol> inputs, List<Symbol> outputs) {
    this.inputs = List.copyOf(inputs);
    this.outputs = List.copyOf(outputs);
    for (Symbol in : inputs) {
      if (!in.isInput()) {
        throw new IllegalArgumentException("model inputs must come from Functional.input(...), got " + in);
      }
    }
    Set<Symbol> seen = new LinkedHashSet<>();
    for (Symbol out : outputs) {
      visit(out, seen);
    }
    this.order = seen.stream().filter(s -> !s.isInput()).toList();
  }

  private void visit(Symbol s, Set<Symbol> seen) {
    if (seen.contains(s)) {
      return;
    }
    if (s.isInput() && !inputs.contains(s)) {
      throw new IllegalArgumentException("an output depends on an input that is not among the model's inputs: " + s);
    }
    for (Symbol a : s.args) {
      visit(a, seen);
    }
    seen.add(s);
  }

  /** The shapes per sample of the inputs, as declared. */
  List<long[]> inputShapes() {
    return inputs.stream().map(s -> s.sampleShape.clone()).toList();
  }

  @Override
  String defaultName() {
    return "functional";
  }

  @Override
  Net net() {
    return new Net() {
      @Override
      public int inputs() {
        return inputs.size();
      }

      @Override
      public List<Object> layers() {
        List<Object> layers = new ArrayList<>();
        for (Symbol s : order) {
          if (!layers.contains(s.layer)) {
            layers.add(s.layer);
          }
        }
        return layers;
      }

      @Override
      public Built forward(Tf tf, List<Operand<TFloat32>> feeds, List<Applied> applied) {
        Map<Symbol, Operand<TFloat32>> value = new HashMap<>();
        Map<Symbol, Forward> forwards = new HashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
          value.put(inputs.get(i), feeds.get(i));
        }
        for (Symbol s : order) {
          List<Operand<TFloat32>> args = s.args.stream().map(value::get).toList();
          Forward f = Compiled.of(s.layer).call(tf, s.layer, args);
          forwards.put(s, f);
          value.put(s, f.output());
          applied.add(new Applied(s.layer, f.output()));
        }
        List<Operand<TFloat32>> outs = outputs.stream().map(value::get).toList();
        return new Built() {
          @Override
          public List<Operand<TFloat32>> outputs() {
            return outs;
          }

          @Override
          public void backward(Tf tf, List<Operand<TFloat32>> dOutputs) {
            Map<Symbol, Operand<TFloat32>> grad = new HashMap<>();
            for (int i = 0; i < outputs.size(); i++) {
              accumulate(tf, grad, outputs.get(i), dOutputs.get(i));
            }
            for (int k = order.size() - 1; k >= 0; k--) {
              Symbol s = order.get(k);
              Operand<TFloat32> d = grad.get(s);
              if (d == null) {
                continue; // no output depends on it
              }
              List<Operand<TFloat32>> dArgs = Compiled.of(s.layer).backward(tf, s.layer, forwards.get(s), d);
              for (int a = 0; a < s.args.size(); a++) {
                if (!s.args.get(a).isInput()) {
                  accumulate(tf, grad, s.args.get(a), dArgs.get(a));
                }
              }
            }
          }
        };
      }
    };
  }

  private static void accumulate(Tf tf, Map<Symbol, Operand<TFloat32>> grad, Symbol s, Operand<TFloat32> d) {
    if (d != null) {
      grad.merge(s, d, tf::add);
    }
  }
}
