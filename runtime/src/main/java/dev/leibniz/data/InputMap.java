package dev.leibniz.data;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;

/**
 * A function of a sample's (or a batch's) inputs built from TensorFlow ops, so that it runs inside
 * TensorFlow: in a dataset's {@code map}, and in front of an exported model (a
 * {@link TextVectorization}, whose SavedModel then takes raw strings). It must work on one sample
 * and on a batch of them alike (the batch axis first).
 */
public interface InputMap {
  /** The mapped inputs, built with {@code ops} in the graph they build on. */
  List<Operand<?>> apply(Ops ops, List<Operand<?>> inputs);

  /**
   * As {@link #apply}, in front of an exported model: state the map sets up once (a lookup
   * table) is set up by the ops it adds to {@code initializers}, which the SavedModel runs when it
   * is loaded (its main op). By default the map has none: {@link #apply}.
   */
  default List<Operand<?>> applyForExport(Ops ops, List<Operand<?>> inputs, List<Op> initializers) {
    return apply(ops, inputs);
  }
}
