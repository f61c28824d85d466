package dev.leibniz.tf;

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

  Forward call(Tf tf, List<Operand<TFloat32>> inputs);

  /** Gradients of the inputs, in order, given the gradient of the output. */
  List<Operand<TFloat32>> backward(Tf tf, Forward forward, Operand<TFloat32> dOutput);
}
