package dev.leibniz.processor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jdt.core.compiler.batch.BatchCompiler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Eclipse compiler (ecj, as IDEs with m2e-apt run processors) has no javac tree API: the
 * processor says so in one error naming the compiler and what to do instead, and never fails
 * with an internal error.
 */
class EclipseCompilerTest {
  @TempDir Path dir;

  @Test
  void oneClearErrorInsteadOfACrash() throws IOException {
    Path src = dir.resolve("src/test/Tiny.java");
    Files.createDirectories(src.getParent());
    Files.writeString(src, String.join("\n", GeneratedCodeTest.SOURCE).replace("TinyDense", "Tiny"));
    String classPath = System.getProperty("java.class.path");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    boolean ok = BatchCompiler.compile(new String[] {"-17", "-proc:only", "-classpath", classPath,
        "-processorpath", classPath, "-processor", LeibnizProcessor.class.getName(), "-d", dir.resolve("out").toString(),
        src.toString()}, new PrintWriter(out), new PrintWriter(err), null);
    String messages = out + "\n" + err;
    assertFalse(ok, messages);
    assertTrue(messages.contains("[leibniz.UnsupportedCompiler] Leibniz reads @Call bodies through javac's tree API"),
        messages);
    assertTrue(messages.contains("the Eclipse compiler (ecj"), messages);
    assertTrue(messages.contains("let Maven write the _Graph classes (mvn compile)"), messages);
    assertFalse(messages.contains("Internal"), messages);
    assertFalse(messages.contains("Exception"), messages);
    int errors = messages.split("\\[leibniz\\.", -1).length - 1;
    assertTrue(errors == 1, "one error, got " + errors + ":\n" + messages);
  }
}
