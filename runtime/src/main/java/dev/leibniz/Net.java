package dev.leibniz;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import dev.leibniz.tf.Tf;

/** How a model builds its graph: a forward from input placeholders, and its backward. */
interface Net {
  int inputs();

  /** The layers at the top of the model, in order: what {@code summary()} lists. */
  List<Object> layers();

  /** Builds the forward; {@code applied} receives each layer call and its output, in order. */
  Built forward(Tf tf, List<Operand<TFloat32>> inputs, List<Applied> applied);

  /** One layer call in the graph: for the summary. */
  record Applied(Object layer, Operand<TFloat32> output) {}

  interface Built {
    List<Operand<TFloat32>> outputs();

    /** Adds the weight gradients to {@code tf}, given each output's gradient (null: none). */
    void backward(Tf tf, List<Operand<TFloat32>> dOutputs);
  }
}
