package dev.leibniz.processor.ir;

/**
 * Where an IR node comes from: the source file and line, the expression as the user wrote it,
 * and the tree to point an error at ({@code com.sun.source.util.TreePath}, kept opaque here).
 * {@code gradient} marks the nodes the differentiator wrote for that expression.
 */
public record Origin(String file, long line, String text, Object treePath, boolean gradient) {
  public static final Origin NONE = new Origin("", 0, "", null, false);

  public Origin asGradient() {
    return gradient ? this : new Origin(file, line, text, treePath, true);
  }

  /** "Dense.java:24", or empty for nodes with no source. */
  public String place() {
    return file.isEmpty() ? "" : file + ":" + line;
  }
}
