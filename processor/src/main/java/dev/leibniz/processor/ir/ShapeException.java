package dev.leibniz.processor.ir;

/** A static shape or rank mismatch, with a message meant for the user. */
public final class ShapeException extends RuntimeException {
  public ShapeException(String message) {
    super(message);
  }
}
