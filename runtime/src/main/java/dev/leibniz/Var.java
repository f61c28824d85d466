package dev.leibniz;

import java.util.Arrays;
import java.util.Objects;

/**
 * An assignable tensor, as Keras's {@code tf.Variable}: it holds a {@link Value} of a fixed shape
 * and replaces it on {@link #assign}, {@link #assignAdd}, {@link #assignSub} or an element's
 * {@link #assign(float, long...)}. Pass {@link #value()} to compiled functions.
 */
public final class Var {
  private Value value;

  private Var(Value initial) {
    this.value = Objects.requireNonNull(initial, "initial value");
  }

  public static Var of(Value initial) {
    return new Var(initial);
  }

  public static Var of(float initial) {
    return new Var(Value.of(initial));
  }

  public Value value() {
    return value;
  }

  public long[] shape() {
    return value.shape();
  }

  /** Replaces the value; the shape must stay the same. */
  public Var assign(Value newValue) {
    if (!Arrays.equals(newValue.shape(), value.shape())) {
      throw new IllegalArgumentException("a variable of shape " + value.shapeText() + " cannot take a value of shape "
          + newValue.shapeText());
    }
    value = newValue;
    return this;
  }

  /** Sets one element: {@code v.assign(3, 0, 0)} is Keras's {@code v[0, 0].assign(3.)}. */
  public Var assign(float element, long... index) {
    value = value.with(element, index);
    return this;
  }

  public Var assignAdd(Value delta) {
    return assign(value.add(delta));
  }

  public Var assignSub(Value delta) {
    return assign(value.sub(delta));
  }

  @Override
  public String toString() {
    return "Var(" + value + ")";
  }
}
