package dev.leibniz;

import dev.leibniz.dsl.Variable;
import dev.leibniz.layers.TimeDistributed;
import dev.leibniz.tf.Forward;
import dev.leibniz.tf.LayerGraph;
import dev.leibniz.tf.Tf;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * {@link TimeDistributed}'s graph: the wrapped layer's generated forward and backward on the steps
 * merged into the batch, between {@code Tf.mergeFirst} and {@code Tf.splitFirst} (the DSL's ops,
 * whose derivative rules are each other).
 */
final class TimeDistributedGraph implements LayerGraph<Object> {
  static final TimeDistributedGraph GRAPH = new TimeDistributedGraph();

  /** The output, the input (whose first two dimensions the output takes back), and the layer's forward. */
  private record Steps(Operand<TFloat32> output, Operand<TFloat32> x, Forward inner) implements Forward {}

  private TimeDistributedGraph() {}

  private static Object inner(Object layer) {
    Object inner = ((TimeDistributed) layer).layer();
    LayerGraph<Object> graph = LayerGraphs.of(inner);
    if (graph.inputs() != 1 || graph.outputs() != 1) {
      throw new IllegalArgumentException("TimeDistributed takes a layer of one input and one output; "
          + inner.getClass().getSimpleName() + " takes " + graph.inputs() + " and returns " + graph.outputs());
    }
    return inner;
  }

  @Override
  public int inputs() {
    return 1;
  }

  @Override
  public Forward call(Tf tf, Object layer, List<Operand<TFloat32>> inputs) {
    Object inner = inner(layer);
    Operand<TFloat32> x = inputs.get(0);
    if (x.shape().numDimensions() < 3) {
      throw new IllegalArgumentException("TimeDistributed expects sequences [batch, steps, ...], got shape " + x.shape());
    }
    Forward f = LayerGraphs.of(inner).call(tf, inner, List.of(tf.mergeFirst(x)));
    return new Steps(tf.splitFirst(f.output(), x), x, f);
  }

  @Override
  public List<Operand<TFloat32>> backward(Tf tf, Object layer, Forward forward, Operand<TFloat32> dOutput) {
    Object inner = inner(layer);
    Steps steps = (Steps) forward;
    Operand<TFloat32> d = LayerGraphs.of(inner).backward(tf, inner, steps.inner(), tf.mergeFirst(dOutput)).get(0);
    return Arrays.asList(d == null ? null : tf.splitFirst(d, steps.x()));
  }

  @Override
  public List<Variable> weights(Object layer) {
    return List.of();
  }

  @Override
  public List<Object> sublayers(Object layer) {
    return List.of(((TimeDistributed) layer).layer());
  }
}
