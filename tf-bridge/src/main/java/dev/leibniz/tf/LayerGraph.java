package dev.leibniz.tf;

import dev.leibniz.dsl.Variable;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * The {@code call} of a {@code @Layer} or {@code @Model} class as one object the runtime can hold:
 * generated as {@code <Name>_Graph.LAYER}. It forwards to the generated static methods, so a
 * {@code Sequential} or functional model calls any compiled layer without reflection.
 *
 * @param <L> the layer class
 */
public interface LayerGraph<L> {
  /** How many tensor inputs the {@code @Call} takes. */
  int inputs();

  /** Builds the forward graph (running {@code @Build} first if the layer has no weights yet). */
  Forward call(Tf tf, L layer, List<Operand<TFloat32>> inputs);

  /** Builds the backward graph: input gradients, in order; weight gradients go to {@code tf}. */
  List<Operand<TFloat32>> backward(Tf tf, L layer, Forward forward, Operand<TFloat32> dOutput);

  /** How many outputs the {@code @Call} returns: 1, or the components of the record it returns. */
  default int outputs() {
    return 1;
  }

  /**
   * The backward given each output's gradient (null: none). A layer with one output takes one;
   * generated code overrides this for a layer with several.
   */
  default List<Operand<TFloat32>> backward(Tf tf, L layer, Forward forward, List<Operand<TFloat32>> dOutputs) {
    if (dOutputs.size() != 1) {
      throw new IllegalArgumentException("this layer has 1 output, got " + dOutputs.size() + " gradients");
    }
    return backward(tf, layer, forward, dOutputs.get(0));
  }

  /** The layer's own {@code @Weight}s that {@code @Build} created, in declaration order. */
  List<Variable> weights(L layer);

  /** The layer's sublayer fields (layers it calls), in declaration order. */
  List<Object> sublayers(L layer);

  /** The weights that exist (a weight {@code @Build} skipped for this configuration is null). */
  static List<Variable> created(Variable... weights) {
    return Arrays.stream(weights).filter(Objects::nonNull).toList();
  }

  /** The sublayer fields that are set. */
  static List<Object> present(Object... sublayers) {
    return Arrays.stream(sublayers).filter(Objects::nonNull).toList();
  }
}
