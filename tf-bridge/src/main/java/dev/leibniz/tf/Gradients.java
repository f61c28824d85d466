package dev.leibniz.tf;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** What a generated backward returns: the gradient of each input of the {@code @Call}, in order. */
public interface Gradients {
  List<Operand<TFloat32>> asList();
}
