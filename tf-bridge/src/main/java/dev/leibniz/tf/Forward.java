package dev.leibniz.tf;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** What a generated forward returns: its output, and (in the record) what its backward reads. */
public interface Forward {
  Operand<TFloat32> output();
}
