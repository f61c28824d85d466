package dev.leibniz.dsl;

import java.util.Objects;

/**
 * A weight of a layer, as created by {@link Ops#addWeight} in a {@link Build} method: what it
 * is called, its shape, how it starts and whether the optimizer trains it. The TensorFlow
 * variable that holds its value is made by the bridge when a graph first reads it.
 */
public final class Variable extends Tensor {
  private final String name;
  private final Shape shape;
  private final Init init;
  private final boolean trainable;
  private final Constraint constraint;
  private final Regularizer regularizer;

  Variable(String name, Shape shape, Init init, boolean trainable, Constraint constraint, Regularizer regularizer) {
    this.name = Objects.requireNonNull(name, "name");
    if (!name.matches("[A-Za-z0-9.][A-Za-z0-9_.\\-]*")) {
      throw new IllegalArgumentException("weight name '" + name + "' is not a TensorFlow name, which the weight's"
          + " variable and checkpoint entry take: use ASCII letters, digits, '_', '.' and '-', starting with a letter"
          + " or digit (e.g. \"kernel\")");
    }
    this.shape = Objects.requireNonNull(shape, "shape");
    this.init = Objects.requireNonNull(init, "init");
    this.trainable = trainable;
    this.constraint = constraint;
    this.regularizer = regularizer;
    if (constraint != null && constraint.kind() != Constraint.Kind.NON_NEG
        && (constraint.axis() < -shape.rank() || constraint.axis() >= shape.rank())) {
      throw new IllegalArgumentException("weight '" + name + "' has rank " + shape.rank() + ", so its constraint's axis "
          + constraint.axis() + " is out of range");
    }
    if (!shape.isFullyKnown()) {
      throw new IllegalArgumentException(
          "weight '" + name + "' needs a fully known shape, got " + shape
              + "; build it from the known dimensions of the input, e.g. input.last()");
    }
  }

  public String name() {
    return name;
  }

  public Shape shape() {
    return shape;
  }

  public Init init() {
    return init;
  }

  public boolean trainable() {
    return trainable;
  }

  /** The weight's penalty in the loss, or null. */
  public Regularizer regularizer() {
    return regularizer;
  }

  /** What projects the weight after each optimizer step, or null. */
  public Constraint constraint() {
    return constraint;
  }

  @Override
  public String toString() {
    return "Variable[" + name + " " + shape + (trainable ? "" : " non-trainable") + "]";
  }
}
