package dev.leibniz.processor.ir;

/**
 * Backward passes only: writes the mutable gradient {@code slot} (a {@code slot} node) of a
 * value that a region reads from outside. What is known while the processor differentiates
 * decides how: the first write of a slot is the value ({@link Kind#SET}, also the gradient
 * carried from one reversed loop iteration to the one before), a later one adds
 * ({@link Kind#ADD}), and one that may find the slot still empty (a symbolic zero, null while
 * the graph is built) adds where there is something to add to ({@link Kind#ACCUMULATE}).
 * {@code value} is {@link Op#ZERO} for a SET to a symbolic zero.
 */
public record SlotWrite(int slot, int value, Kind kind) implements Stmt {
  public enum Kind { SET, ADD, ACCUMULATE }
}
