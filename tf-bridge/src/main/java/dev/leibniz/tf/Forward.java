package dev.leibniz.tf;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * What a generated forward returns: its output (or outputs, for a {@code @Call} that returns a
 * record of tensors), and (in the record) what its backward reads.
 */
public interface Forward {
  /** The output; for several, the first. */
  Operand<TFloat32> output();

  /** Every output, in the order of the record's components. */
  default List<Operand<TFloat32>> outputs() {
    return List.of(output());
  }
}
