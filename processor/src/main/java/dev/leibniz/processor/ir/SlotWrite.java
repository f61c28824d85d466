package dev.leibniz.processor.ir;

/**
 * Backward passes only: writes the mutable gradient {@code slot} (a {@code slot} node) of a
 * value that a region reads from outside: adds {@code value} to it, or replaces it (the
 * gradient carried from one reversed loop iteration to the one before).
 */
public record SlotWrite(int slot, int value, boolean replace) implements Stmt {}
