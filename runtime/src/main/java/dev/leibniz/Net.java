package dev.leibniz;

import dev.leibniz.Functional.Symbol;
import dev.leibniz.tf.Forward;
import dev.leibniz.tf.LayerGraph;
import dev.leibniz.tf.Tf;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * What every model is: a graph of layer calls from inputs to outputs, as Keras's functional
 * {@code Model}. A {@code Sequential} is a chain of calls and a {@code @Model} object one call;
 * each layer's forward and backward are its generated graph's, and a layer called twice shares
 * its weights, whose gradients add up. Padding masks flow between its layers as Keras's do
 * ({@link Masks}).
 */
final class Net {
  private final List<Symbol> inputs;
  private final List<Symbol> outputs;
  private final List<Symbol> order; // layer calls, each after its arguments

  Net(List<Symbol> inputs, List<Symbol> outputs) {
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
    for (Symbol a : s.args()) {
      visit(a, seen);
    }
    seen.add(s);
  }

  int inputs() {
    return inputs.size();
  }

  /** Each input's shape per sample as declared with {@code Functional.input}, or null where inferred from data. */
  List<long[]> declaredShapes() {
    return inputs.stream().map(Symbol::sampleShape).toList();
  }

  /** The layers called, each once, in call order: what {@code summary()} lists. */
  List<Object> layers() {
    List<Object> layers = new ArrayList<>();
    for (Symbol s : order) {
      if (!layers.contains(s.layer())) {
        layers.add(s.layer());
      }
    }
    return layers;
  }

  /** One layer call in the graph, and what its forward built (its sublayers' calls): for the summary. */
  record Applied(Object layer, Operand<TFloat32> output, Forward forward) {}

  /** The forward built on a graph, which builds the backward. */
  final class Built {
    private final Map<Symbol, Forward> forwards;
    private final Map<Symbol, LayerGraph<Object>> graphs; // each call's graph: the layer's, or its masked one
    private final List<Operand<TFloat32>> outputs;
    private final List<Operand<TFloat32>> outputMasks;

    private Built(Map<Symbol, Forward> forwards, Map<Symbol, LayerGraph<Object>> graphs,
        List<Operand<TFloat32>> outputs, List<Operand<TFloat32>> outputMasks) {
      this.forwards = forwards;
      this.graphs = graphs;
      this.outputs = outputs;
      this.outputMasks = outputMasks;
    }

    /** Each output's padding mask ({@link Masks}), null where it has none: the loss skips the masked steps. */
    List<Operand<TFloat32>> outputMasks() {
      return outputMasks;
    }

    List<Operand<TFloat32>> outputs() {
      return outputs;
    }

    /** Adds the weight gradients to {@code tf}'s graph, given each output's gradient (null: none). */
    void backward(Tf tf, List<Operand<TFloat32>> dOutputs) {
      Map<Symbol, Operand<TFloat32>> grad = new HashMap<>();
      for (int i = 0; i < Net.this.outputs.size(); i++) {
        grad.merge(Net.this.outputs.get(i), dOutputs.get(i), tf::accumulate);
      }
      for (int k = order.size() - 1; k >= 0; k--) {
        Symbol s = order.get(k);
        Operand<TFloat32> d = grad.get(s);
        if (d == null) {
          continue; // no output depends on it
        }
        List<Operand<TFloat32>> dArgs = graphs.get(s).backward(tf, s.layer(), forwards.get(s), d);
        for (int a = 0; a < s.args().size(); a++) {
          Symbol arg = s.args().get(a);
          if (!arg.isInput() && dArgs.get(a) != null) {
            grad.merge(arg, dArgs.get(a), tf::accumulate);
          }
        }
      }
    }
  }

  /** Builds the forward on {@code feeds}; {@code applied} receives each layer call and its output, in order. */
  Built forward(Tf tf, List<Operand<TFloat32>> feeds, List<Applied> applied) {
    if (order.isEmpty() && outputs.stream().allMatch(inputs::contains)) {
      throw new IllegalStateException("this model has no layers; add some before using it");
    }
    Map<Symbol, Operand<TFloat32>> value = new HashMap<>();
    Map<Symbol, Operand<TFloat32>> masks = new HashMap<>();
    Map<Symbol, Forward> forwards = new HashMap<>();
    Map<Symbol, LayerGraph<Object>> graphs = new HashMap<>();
    for (int i = 0; i < inputs.size(); i++) {
      value.put(inputs.get(i), feeds.get(i));
    }
    for (Symbol s : order) {
      List<Operand<TFloat32>> args = s.args().stream().map(value::get).toList();
      LayerGraph<Object> graph = LayerGraphs.of(s.layer());
      if (graph.outputs() != 1) {
        throw new IllegalArgumentException(s.layer().getClass().getSimpleName() + " returns a record of several"
            + " outputs; call it from the @Call of a layer or @Model of your own, which takes its components");
      }
      List<Operand<TFloat32>> argMasks = new java.util.ArrayList<>();
      s.args().forEach(a -> argMasks.add(masks.get(a)));
      Masks.Routed routed = Masks.route(tf, s.layer(), graph, args, argMasks);
      Forward f;
      try {
        f = routed.graph().call(tf, s.layer(), routed.args());
      } catch (RuntimeException e) {
        throw SourceErrors.explain(e, s.layer(), routed.args());
      }
      forwards.put(s, f);
      graphs.put(s, routed.graph());
      value.put(s, f.output());
      Operand<TFloat32> outMask = Masks.ofOutput(tf, s.layer(), args.get(0), argMasks.get(0), routed.tookMask(),
          f.output());
      if (outMask != null) {
        masks.put(s, outMask);
      }
      applied.add(new Applied(s.layer(), f.output(), f));
    }
    List<Operand<TFloat32>> outputMasks = new java.util.ArrayList<>();
    outputs.forEach(o -> outputMasks.add(masks.get(o)));
    return new Built(forwards, graphs, outputs.stream().map(value::get).toList(), outputMasks);
  }
}
