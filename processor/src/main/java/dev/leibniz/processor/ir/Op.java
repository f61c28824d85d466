package dev.leibniz.processor.ir;

import java.util.List;

/**
 * An IR primitive: its static shape rule, how it is emitted as a call into the bridge, and its
 * vector-Jacobian product written in IR ops (so that a gradient can be differentiated again).
 * One op family per file in {@code processor.ops}, registered in {@code OpRegistry}.
 */
public abstract class Op {
  /** The adjoint of an input that the output does not depend on: a symbolic zero. */
  public static final int ZERO = -1;

  private final String name;

  protected Op(String name) {
    this.name = name;
  }

  public final String name() {
    return name;
  }

  /** The result's static shape; throws {@link OpError} saying what does not fit. */
  public abstract StaticShape shape(List<StaticShape> in, Attrs attrs);

  /** Java code computing the value from the Java code of its arguments ({@code tf} in scope). */
  public abstract String emit(List<String> args, Attrs attrs);

  /** Adjoints of the arguments given the adjoint {@code g} of {@code node}, or {@link #ZERO}. */
  public abstract int[] vjp(Builder b, Node node, int g);

  /** The Java type of the value, for values that are not tensors (records of layer calls). */
  public String javaType(Attrs attrs) {
    return null;
  }

  /**
   * True for ops that do something besides computing their value, so that they are kept when
   * nothing reads it: a call into another graph's backward (it adds weight gradients), a moving
   * average (it registers an update), an added loss.
   */
  public boolean hasEffect() {
    return false;
  }

  /** False for ops whose value is fixed at graph-build time and never differentiated. */
  public boolean differentiable() {
    return true;
  }

  @Override
  public String toString() {
    return name;
  }
}
