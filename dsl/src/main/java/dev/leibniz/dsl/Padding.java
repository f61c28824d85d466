package dev.leibniz.dsl;

/** Padding of convolutions and pools, as Keras's {@code padding="valid"} or {@code "same"}. */
public enum Padding {
  /** No padding: the output shrinks by the window size minus one. */
  VALID,
  /** Zero padding so that the output has ceil(input / stride) positions. */
  SAME;

  /** "valid" or "same". */
  public String kerasName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static Padding of(String name) {
    for (Padding p : values()) {
      if (p.kerasName().equalsIgnoreCase(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown padding \"" + name + "\"; Keras's are \"valid\" and \"same\"");
  }
}
