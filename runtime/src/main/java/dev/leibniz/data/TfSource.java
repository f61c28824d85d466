package dev.leibniz.data;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TType;

/** A source built as TensorFlow dataset ops, which {@link InputPipeline} runs. */
interface TfSource extends Source {
  /** A dataset op's output and the types and shapes of its elements' components. */
  record Raw(Operand<?> dataset, List<Class<? extends TType>> types, List<Shape> shapes) {}

  /** The raw samples in the graph of {@code ops}; what must be fed when an iterator starts goes in {@code feeds}. */
  Raw open(Ops ops, Map<Operand<?>, Tensor> feeds);

  /**
   * The sample's columns from its raw components, inputs first, then targets: floats, or strings
   * for a map to turn into numbers. Where {@link #decodesBatches}, {@code raw} may be a batch.
   */
  List<Operand<?>> decode(Ops ops, List<Operand<?>> raw);

  /** Whether {@link #decode} does anything (arrays and lines need none). */
  default boolean decodes() {
    return true;
  }

  /** Whether {@link #decode} takes a batch of raw samples as well as one (parsing records does; decoding images does not). */
  boolean decodesBatches();

  /** An empty vector of strings ({@code ops.array()} refuses none). */
  static Operand<org.tensorflow.types.TString> noStrings(Ops ops) {
    return ops.constant(Shape.of(0), org.tensorflow.ndarray.buffer.DataBuffers.ofObjects(String.class, 0));
  }

  /** The elements of {@code dataset} whose first component, a line of text, is not empty. */
  static Operand<?> nonEmpty(Ops ops, Operand<?> dataset, List<Class<? extends TType>> types, List<Shape> shapes) {
    org.tensorflow.ConcreteFunction keep = org.tensorflow.ConcreteFunction.create(fn -> {
      org.tensorflow.Signature.Builder sig = org.tensorflow.Signature.builder();
      Operand<org.tensorflow.types.TString> line = null;
      for (int i = 0; i < types.size(); i++) {
        Operand<?> p = fn.placeholder(types.get(i), org.tensorflow.op.core.Placeholder.shape(shapes.get(i)));
        sig.input(String.format("in_%03d", i), p);
        if (i == 0) {
          @SuppressWarnings("unchecked")
          Operand<org.tensorflow.types.TString> text = (Operand<org.tensorflow.types.TString>) p;
          line = text;
        }
      }
      return sig.output("keep", fn.math.greater(fn.strings.stringLength(line), fn.constant(0))).build();
    });
    return ops.data.filterDataset(dataset, List.of(), keep, types, shapes);
  }

}
