package dev.leibniz.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What {@link Natives} sets up before TensorFlow Java's first native call. */
class NativesTest {
  @Test
  void javaCppsPerAllocationMemoryCheckIsOffUnlessTheUserSetIt() {
    Natives.require();
    // The build sets no such property, so Natives's default is what the JVM has.
    assertEquals("0", System.getProperty(Natives.MAX_PHYSICAL_BYTES));
  }
}
