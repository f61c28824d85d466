package dev.leibniz.dsl;

/**
 * Keras's {@code L1}, {@code L2} and {@code L1L2} weight regularizers: a penalty
 * {@code l1 * sum(|w|) + l2 * sum(w^2)} added to the loss that fit, evaluate and
 * {@code Model.gradients} compute, its gradient {@code l1 * sign(w) + 2 * l2 * w} added to the
 * weight's (sign(0) = 0, as TensorFlow's). Give one to a layer
 * ({@code new Dense(64, "relu").kernelRegularizer(Regularizer.l2(1e-4))}) or to
 * {@link Ops#addWeight(String, Shape, Init, Constraint, Regularizer)} in a {@code @Build}.
 */
public record Regularizer(double l1, double l2) {
  public Regularizer {
    if (!(l1 >= 0) || !(l2 >= 0) || !Double.isFinite(l1) || !Double.isFinite(l2) || l1 + l2 == 0) {
      throw new IllegalArgumentException("a regularizer's factors are 0 or more, finite, and not both 0; got l1 = "
          + l1 + ", l2 = " + l2);
    }
  }

  /** {@code factor * sum(|w|)}. */
  public static Regularizer l1(double factor) {
    return new Regularizer(factor, 0);
  }

  /** {@code factor * sum(w^2)}. */
  public static Regularizer l2(double factor) {
    return new Regularizer(0, factor);
  }

  /** {@code l1 * sum(|w|) + l2 * sum(w^2)}. */
  public static Regularizer l1l2(double l1, double l2) {
    return new Regularizer(l1, l2);
  }
}
