package dev.leibniz.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * A small layer with a branch on configuration and a loop compiles, with its generated graph,
 * without a single warning under -Xlint:all; and its generated source matches the golden file
 * (rewrite it with -Dleibniz.regenerateGolden=true after a deliberate change).
 */
class GeneratedCodeTest {
  /** A layer with a loop that reads a value from outside it, and a branch after it. */
  static final String[] SOURCE = {
      "package test;",
      "",
      "import static dev.leibniz.dsl.Ops.*;",
      "",
      "import dev.leibniz.dsl.*;",
      "",
      "@Layer",
      "public class TinyDense {",
      "  final boolean useBias;",
      "  final int repeats;",
      "  @Weight Variable kernel;",
      "  @Weight Variable bias;",
      "",
      "  public TinyDense(boolean useBias, int repeats) {",
      "    this.useBias = useBias;",
      "    this.repeats = repeats;",
      "  }",
      "",
      "  @Build void build(Shape input) {",
      "    kernel = addWeight(\"kernel\", Shape.of(input.last(), input.last()), Init.GLOROT_UNIFORM);",
      "    if (useBias) {",
      "      bias = addWeight(\"bias\", Shape.of(input.last()), Init.ZEROS);",
      "    }",
      "  }",
      "",
      "  @Call Tensor call(Tensor x) {",
      "    Tensor h = matmul(x, kernel);",
      "    for (int i = 0; i < repeats; i++) {",
      "      h = tanh(add(h, x));",
      "    }",
      "    if (useBias) {",
      "      h = mul(add(h, bias), x);",
      "    }",
      "    return mul(h, x);",
      "  }",
      "}"};

  static final JavaFileObject DENSE = JavaFileObjects.forSourceString("test.TinyDense", String.join("\n", SOURCE));

  @Test
  void compilesWithoutWarningsAndMatchesGolden() throws IOException {
    Compilation c = javac().withOptions("-Xlint:all", "-Xlint:-processing").withProcessors(new LeibnizProcessor())
        .compile(DENSE);
    assertThat(c).succeededWithoutWarnings();
    String generated = c.generatedSourceFile("test.TinyDense_Graph").orElseThrow().getCharContent(true).toString();
    Path golden = Path.of("src/test/resources/golden/TinyDense_Graph.java");
    if (Boolean.getBoolean("leibniz.regenerateGolden")) {
      Files.createDirectories(golden.getParent());
      Files.writeString(golden, generated, StandardCharsets.UTF_8);
    }
    assertEquals(Files.readString(golden, StandardCharsets.UTF_8), generated,
        "generated code changed; if intended, rerun with -Dleibniz.regenerateGolden=true and review the diff");
  }
}
