package dev.leibniz.processor.ir;

/**
 * Where an IR node comes from: the source file, the line, and that line's text as the user
 * wrote it (what generated code quotes above the ops it produced). {@code gradient} marks the
 * nodes the differentiator wrote for that line.
 */
public record Origin(String file, long line, String text, boolean gradient) {
  public static final Origin NONE = new Origin("", 0, "", false);

  public Origin asGradient() {
    return gradient ? this : new Origin(file, line, text, true);
  }

  /** "Dense.java:24", or empty for nodes with no source. */
  public String place() {
    return file.isEmpty() ? "" : file + ":" + line;
  }
}
