package dev.leibniz;

import dev.leibniz.tf.Forward;
import dev.leibniz.tf.FunctionGraph;
import dev.leibniz.tf.Natives;
import dev.leibniz.tf.Tensors;
import dev.leibniz.tf.Tf;
import dev.leibniz.tf.TfGraph;
import dev.leibniz.tf.TfSession;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Tensor;
import org.tensorflow.types.TFloat32;

/**
 * A compiled static {@code @Call} function on {@link Value}s: its value, its gradients (what
 * Keras's GradientTape gives: the gradient of the output's sum with respect to each input) and,
 * for {@code @Call(order = 2)}, its Hessian-vector products, all from the code the processor
 * generated. The graph for one set of input shapes is built once, on first use, with its own
 * session, and reused (as tf.function traces once per signature); {@link #close} frees them.
 *
 * <pre>{@code
 * try (Function position = Leibniz.function(FallingApple_Graph.POSITION)) {
 *   Value time = Value.of(0f);
 *   Value speed = position.gradient(0, time);
 *   Value acceleration = position.secondDerivative(0, time);   // 9.8
 * }
 * }</pre>
 */
public final class Function implements AutoCloseable {
  private final FunctionGraph function;
  private final Map<List<List<Long>>, Traced> traced = new HashMap<>();
  private boolean closed;

  Function(FunctionGraph function) {
    this.function = Objects.requireNonNull(function, "function");
  }

  /** The function's name in its source. */
  public String name() {
    return function.name();
  }

  /** What {@link #valueAndGradients} returns: the output and the gradient of its sum for each input. */
  public record Result(Value value, List<Value> gradients) {
    public Value gradient(int input) {
      return gradients.get(input);
    }
  }

  /** The output for {@code inputs} (for a function that returns a record of several, the first). */
  public synchronized Value call(Value... inputs) {
    return callAll(inputs).get(0);
  }

  /** Every output, in the order of the record's components (one for a function that returns a Tensor). */
  public synchronized List<Value> callAll(Value... inputs) {
    Traced t = trace(inputs);
    return t.run(inputs, List.of(), t.outputs);
  }

  /**
   * The gradient of the output's sum (of every output's, for several) with respect to each input;
   * zeros where the output does not depend on one.
   */
  public synchronized List<Value> gradients(Value... inputs) {
    return valueAndGradients(inputs).gradients();
  }

  /** The gradient with respect to input {@code input} (counted from 0). */
  public Value gradient(int input, Value... inputs) {
    checkInput(input);
    return gradients(inputs).get(input);
  }

  /** The output and every gradient, in one run. */
  public synchronized Result valueAndGradients(Value... inputs) {
    Traced t = trace(inputs);
    List<Operand<TFloat32>> fetches = new ArrayList<>();
    fetches.add(t.outputs.get(0));
    fetches.addAll(t.gradients);
    List<Value> out = t.run(inputs, List.of(), fetches);
    return new Result(out.get(0), List.copyOf(out.subList(1, out.size())));
  }

  /**
   * The Hessian of the output's sum times {@code vectors} (one per input, of its shape): for
   * each input i, sum_j d^2 f / dx_i dx_j v_j. Needs {@code @Call(order = 2)}.
   */
  public synchronized List<Value> hessianVectorProduct(List<Value> inputs, List<Value> vectors) {
    Value[] in = inputs.toArray(new Value[0]);
    Traced t = trace(in);
    if (t.hvp == null) {
      throw new UnsupportedOperationException(function.name() + " is compiled to first order only; declare it"
          + " @Call(order = 2) for its second derivatives");
    }
    if (vectors.size() != in.length) {
      throw new IllegalArgumentException(function.name() + " takes " + in.length + " vectors, one per input, got "
          + vectors.size());
    }
    for (int i = 0; i < in.length; i++) {
      if (!Arrays.equals(vectors.get(i).shape(), in[i].shape())) {
        throw new IllegalArgumentException(function.name() + ": the vector for " + inputName(i) + " has shape "
            + vectors.get(i).shapeText() + ", the input has " + in[i].shapeText());
      }
    }
    return t.run(in, vectors, t.hvp);
  }

  /**
   * The derivative of the gradient for input {@code input} with respect to that input, along
   * ones: for a scalar input, the second derivative (listing 3.12's acceleration).
   */
  public List<Value> secondDerivatives(int input, Value... inputs) {
    checkInput(input);
    List<Value> vectors = new ArrayList<>();
    for (int i = 0; i < inputs.length; i++) {
      vectors.add(i == input ? Value.ones(inputs[i].shape()) : Value.zeros(inputs[i].shape()));
    }
    return hessianVectorProduct(List.of(inputs), vectors);
  }

  /** d/dx_i of the gradient for input {@code input}, summed: {@code secondDerivatives(input, inputs).get(input)}. */
  public Value secondDerivative(int input, Value... inputs) {
    return secondDerivatives(input, inputs).get(input);
  }

  @Override
  public synchronized void close() {
    closed = true;
    traced.values().forEach(Traced::close);
    traced.clear();
  }

  // ---------------------------------------------------------------- tracing

  /** The graph and session for these inputs' shapes, built on first use. */
  private Traced trace(Value[] inputs) {
    if (closed) {
      throw new IllegalStateException("function " + function.name() + " is closed");
    }
    checkShapes(inputs);
    List<List<Long>> key = new ArrayList<>();
    for (Value v : inputs) {
      key.add(Arrays.stream(v.shape()).boxed().toList());
    }
    return traced.computeIfAbsent(key, k -> new Traced(function, inputs));
  }

  private void checkShapes(Value[] inputs) {
    if (inputs.length != function.inputs()) {
      throw new IllegalArgumentException(function.name() + " takes " + function.inputs() + " inputs "
          + function.inputNames() + ", got " + inputs.length);
    }
    List<long[]> declared = function.declaredShapes();
    for (int i = 0; i < inputs.length; i++) {
      int at = i;
      Objects.requireNonNull(inputs[i], () -> function.name() + ": input " + inputName(at) + " is null");
      long[] want = declared.get(Math.min(i, declared.size() - 1));
      long[] got = inputs[i].shape();
      boolean fits = want == null || want.length == got.length;
      for (int d = 0; fits && want != null && d < got.length; d++) {
        fits = want[d] < 0 || want[d] == got[d];
      }
      if (!fits) {
        throw new IllegalArgumentException(function.name() + ": input " + inputName(i) + " has shape "
            + inputs[i].shapeText() + ", but its @Dims declares " + Summary.shape(want));
      }
    }
  }

  private String inputName(int i) {
    return function.inputNames().get(i);
  }

  private void checkInput(int input) {
    if (input < 0 || input >= function.inputs()) {
      throw new IndexOutOfBoundsException(function.name() + " has inputs " + function.inputNames() + " (0 to "
          + (function.inputs() - 1) + "), not " + input);
    }
  }

  /** One signature's graph: placeholders of the inputs' exact shapes, the output, the gradients, the HVP. */
  private static final class Traced implements AutoCloseable {
    final Graph graph = Natives.newGraph();
    final List<Operand<TFloat32>> inputs = new ArrayList<>();
    final List<Operand<TFloat32>> vectors = new ArrayList<>();
    final List<Operand<TFloat32>> outputs = new ArrayList<>();
    final List<Operand<TFloat32>> gradients = new ArrayList<>();
    final List<Operand<TFloat32>> hvp;
    final TfSession session;

    Traced(FunctionGraph function, Value[] values) {
      try {
        TfGraph g = new TfGraph(graph);
        Tf tf = g.tf();
        List<String> names = function.inputNames();
        for (int i = 0; i < values.length; i++) {
          inputs.add(g.placeholder(names.get(i), values[i].shape()));
        }
        Forward forward = function.call(tf, inputs);
        List<Operand<TFloat32>> seeds = new ArrayList<>();
        for (Operand<TFloat32> out : forward.outputs()) {
          outputs.add(g.named("output", out));
          seeds.add(tf.onesLike(out));
        }
        List<Operand<TFloat32>> backward = function.backward(tf, forward, seeds);
        for (int i = 0; i < values.length; i++) {
          // Named: a gradient may be an input itself, which a run cannot both feed and fetch.
          gradients.add(g.named("d_" + names.get(i), tf.orZerosLike(backward.get(i), inputs.get(i))));
        }
        hvp = hessianVectorProduct(function, g, names);
        session = new TfSession(g);
        session.initialize(g);
      } catch (RuntimeException e) {
        graph.close();
        throw e;
      }
    }

    private List<Operand<TFloat32>> hessianVectorProduct(FunctionGraph function, TfGraph g, List<String> names) {
      for (int i = 0; i < inputs.size(); i++) {
        vectors.add(g.placeholder("v_" + names.get(i), inputs.get(i).shape().asArray()));
      }
      try {
        List<Operand<TFloat32>> raw = function.hvp(g.tf(), inputs, vectors);
        List<Operand<TFloat32>> out = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
          out.add(g.named("hvp_" + names.get(i), g.tf().orZerosLike(raw.get(i), inputs.get(i))));
        }
        return out;
      } catch (UnsupportedOperationException firstOrderOnly) {
        return null;
      }
    }

    List<Value> run(Value[] in, List<Value> vs, List<Operand<TFloat32>> fetches) {
      Map<Operand<?>, Tensor> feeds = new HashMap<>();
      try {
        for (int i = 0; i < in.length; i++) {
          feeds.put(inputs.get(i), in[i].tensor());
        }
        for (int i = 0; i < vs.size(); i++) {
          feeds.put(vectors.get(i), vs.get(i).tensor());
        }
        List<Value> out = new ArrayList<>();
        for (Tensors.Shaped s : session.runShaped(feeds, fetches)) {
          out.add(Value.wrap(s.values(), s.shape()));
        }
        return out;
      } finally {
        feeds.values().forEach(Tensor::close);
      }
    }

    @Override
    public void close() {
      session.close();
      graph.close();
    }
  }
}
