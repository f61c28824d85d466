package dev.leibniz.data;

import java.util.List;
import org.tensorflow.Operand;
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
}
