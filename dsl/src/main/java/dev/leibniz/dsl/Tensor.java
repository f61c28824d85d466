package dev.leibniz.dsl;

/**
 * A value inside a {@link Call} body. It has no contents at run time: the processor reads the
 * body and generates code that builds the corresponding TensorFlow graph, so a {@code Tensor}
 * only ever flows between the op functions of {@link Ops}.
 */
public abstract class Tensor {
  Tensor() {}
}
