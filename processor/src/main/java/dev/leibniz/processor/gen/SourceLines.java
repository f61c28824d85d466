package dev.leibniz.processor.gen;

import com.palantir.javapoet.JavaFile;
import java.io.IOException;
import java.io.Writer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.annotation.processing.Filer;
import javax.lang.model.element.Element;
import javax.tools.StandardLocation;

/**
 * Writes {@code <Name>_Graph.lines} beside the generated class: for each line of generated code,
 * the source line its comment names ({@code 57<TAB>Dense.java:78: Tensor y = matmul(x, kernel);}).
 * The runtime reads it to say where in the user's {@code @Call} a TensorFlow error comes from,
 * without a statement of bookkeeping in the generated code.
 */
public final class SourceLines {
  /** {@code // Dense.java:78: ...} or {@code // Dense.java:78 (gradient): ...}. */
  private static final Pattern COMMENT = Pattern.compile("^\\s*// (\\S+\\.java:\\d+(?: \\(gradient\\))?: .*)$");

  private SourceLines() {}

  public static void write(Filer filer, JavaFile file, Element origin) throws IOException {
    StringBuilder out = new StringBuilder();
    String current = null;
    String[] lines = file.toString().split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      Matcher m = COMMENT.matcher(lines[i]);
      if (m.matches()) {
        current = m.group(1);
      } else if (lines[i].isBlank() || lines[i].trim().equals("}")) {
        if (lines[i].startsWith("  }")) {
          current = null; // the end of a method
        }
      } else if (current != null) {
        out.append(i + 1).append('\t').append(current).append('\n');
      }
    }
    String name = file.typeSpec().name() + ".lines";
    var resource = filer.createResource(StandardLocation.CLASS_OUTPUT, file.packageName(), name, origin);
    try (Writer w = resource.openWriter()) {
      w.write(out.toString());
    }
  }
}
