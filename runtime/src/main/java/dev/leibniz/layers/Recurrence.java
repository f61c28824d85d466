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
