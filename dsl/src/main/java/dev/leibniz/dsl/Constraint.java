package dev.leibniz.dsl;

/**
 * Keras's weight constraints, applied to a weight after every optimizer step (the weight is
 * replaced by its projection): {@code MaxNorm} scales each slice along {@code axis} down to norm
 * at most {@code maxValue}; {@code NonNeg} zeroes negative values; {@code UnitNorm} scales each
 * slice to norm 1. Keras's epsilon of 1e-7 guards the divisions. Give one to
 * {@link Ops#addWeight(String, Shape, Init, Constraint, Regularizer)} in a {@code @Build}, or to a layer
 * ({@code new Dense(64).kernelConstraint(Constraint.maxNorm(3))}).
 */
public record Constraint(Kind kind, double maxValue, int axis) {
  public enum Kind { MAX_NORM, NON_NEG, UNIT_NORM }

  public Constraint {
    if (kind == Kind.MAX_NORM && (!(maxValue > 0) || !Double.isFinite(maxValue))) {
      throw new IllegalArgumentException("MaxNorm's maxValue is a positive number, got " + maxValue);
    }
  }

  /** Keras's {@code MaxNorm(max_value, axis=0)}: for a Dense kernel [in, out], each unit's incoming weights. */
  public static Constraint maxNorm(double maxValue) {
    return new Constraint(Kind.MAX_NORM, maxValue, 0);
  }

  public static Constraint maxNorm(double maxValue, int axis) {
    return new Constraint(Kind.MAX_NORM, maxValue, axis);
  }

  /** Keras's {@code NonNeg}. */
  public static Constraint nonNeg() {
    return new Constraint(Kind.NON_NEG, 0, 0);
  }

  /** Keras's {@code UnitNorm(axis=0)}. */
  public static Constraint unitNorm() {
    return new Constraint(Kind.UNIT_NORM, 0, 0);
  }

  public static Constraint unitNorm(int axis) {
    return new Constraint(Kind.UNIT_NORM, 0, axis);
  }
}
