package dev.leibniz.tf;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A static {@code @Call} function as one object (generated as {@code <Name>_Graph.FUNCTION_NAME}):
 * the losses of the runtime are written this way, so their gradients are generated too.
 */
public interface FunctionGraph {
  /** The function's name in the source. */
  String name();

  /** How many tensor inputs it takes. */
  int inputs();

  /** The inputs' names in the source. */
  default List<String> inputNames() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < inputs(); i++) {
      names.add("input " + i);
    }
    return names;
  }

  /** Each input's shape as its {@code @Dims} declares it (-1 for a free dimension), or null where it has none. */
  default List<long[]> declaredShapes() {
    List<long[]> none = new ArrayList<>();
    for (int i = 0; i < inputs(); i++) {
      none.add(null);
    }
    return none;
  }

  Forward call(Tf tf, List<Operand<TFloat32>> inputs);

  /** Gradients of the inputs, in order, given the gradient of the output. */
  List<Operand<TFloat32>> backward(Tf tf, Forward forward, Operand<TFloat32> dOutput);

  /** How many outputs the function returns: 1, or the components of the record it returns. */
  default int outputs() {
    return 1;
  }

  /** The backward given each output's gradient (null: none); generated code overrides it for several outputs. */
  default List<Operand<TFloat32>> backward(Tf tf, Forward forward, List<Operand<TFloat32>> dOutputs) {
    if (dOutputs.size() != 1) {
      throw new IllegalArgumentException(name() + " has 1 output, got " + dOutputs.size() + " gradients");
    }
    return backward(tf, forward, dOutputs.get(0));
  }

  /**
   * The Hessian-vector product, generated for {@code @Call(order = 2)}: the gradient with respect
   * to each input of sum_j sum(g_j * v_j), where g_j is the gradient of the output's sum with
   * respect to input j and v_j a tensor of input j's shape. One-hot vectors give mixed partials.
   */
  default List<Operand<TFloat32>> hvp(Tf tf, List<Operand<TFloat32>> inputs, List<Operand<TFloat32>> vectors) {
    throw new UnsupportedOperationException(name() + " is compiled to first order only; declare it"
        + " @Call(order = 2) for its second derivatives");
  }
}
