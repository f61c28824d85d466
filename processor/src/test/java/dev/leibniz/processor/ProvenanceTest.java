package dev.leibniz.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every comment of generated code names the source line the code below it comes from: it quotes
 * that line, the forward ops below it are the ops of that line, and the backward ops below a
 * "(gradient)" comment are derivatives of that line's ops, including the sums into the gradient
 * of a value used in a loop and in a branch, which belong to the line of each use. What the
 * backward hands back (the weights' gradients) stands under the method's own line.
 */
class ProvenanceTest {
  /** The bridge methods each op's forward and derivative call (the shape plumbing of broadcasting included). */
  static final Map<String, Set<String>> DERIVATIVES = Map.of(
      "matmul", Set.of("matmul", "matmulLeading", "add", "accumulate"),
      "tanh", Set.of("tanhGrad"),
      "add", Set.of("unbroadcast", "add", "accumulate"),
      "mul", Set.of("mul", "unbroadcast", "add", "accumulate"));

  static final Pattern COMMENT = Pattern.compile("^\\s*// TinyDense\\.java:(\\d+)( \\(gradient\\))?: (.*)$");
  static final Pattern BRIDGE_CALL = Pattern.compile("\\btf\\.(\\w+)\\(");
  static final Pattern SUM_INTO = Pattern.compile("^\\s*(?:\\S+ )?d(\\w+?)\\d* = tf\\.(?:add|accumulate)\\(d\\1\\d*,");

  record Section(int line, boolean gradient, String quoted, List<String> code) {}

  @Test
  void everyCommentNamesTheLineItsCodeComesFrom() throws IOException {
    Compilation c = javac().withProcessors(new LeibnizProcessor()).compile(GeneratedCodeTest.DENSE);
    assertThat(c).succeeded();
    String generated = c.generatedSourceFile("test.TinyDense_Graph").orElseThrow().getCharContent(true).toString();
    List<Section> sections = sections(generated);
    assertTrue(sections.size() > 8, generated);
    boolean sawLoopGradient = false;
    boolean sawBranchGradient = false;
    for (Section s : sections) {
      String line = GeneratedCodeTest.SOURCE[s.line() - 1].strip();
      assertEquals(line, s.quoted(), "comment quotes line " + s.line());
      for (String statement : s.code()) {
        Matcher call = BRIDGE_CALL.matcher(statement);
        while (call.find()) {
          String method = call.group(1);
          boolean fromLine = line.startsWith("@Call") && method.equals("addGradient") || DERIVATIVES.entrySet().stream().anyMatch(e -> line.contains(e.getKey() + "(")
              && (s.gradient() ? e.getValue().contains(method) : e.getKey().equals(method)));
          assertTrue(fromLine, "`" + statement.strip() + "` is under the comment of line " + s.line() + " (" + line
              + "), which has no op it could come from");
        }
        Matcher sum = SUM_INTO.matcher(statement);
        if (sum.find()) {
          String value = Character.toLowerCase(sum.group(1).charAt(0)) + sum.group(1).substring(1);
          assertTrue(Pattern.compile("\\b" + value + "\\b").matcher(line).find(), "`" + statement.strip()
              + "` sums a gradient of " + value + " under line " + s.line() + " (" + line + "), which does not use it");
        }
      }
      sawLoopGradient |= s.gradient() && s.line() == 29 && !s.code().isEmpty();
      sawBranchGradient |= s.gradient() && s.line() == 32 && !s.code().isEmpty();
    }
    assertTrue(sawLoopGradient && sawBranchGradient, "gradient code under the loop's and the branch's lines:\n" + generated);
  }

  /** The comments of the generated methods, each with the statements below it up to the next comment or block end. */
  static List<Section> sections(String generated) {
    List<Section> out = new ArrayList<>();
    Section current = null;
    for (String l : generated.split("\n")) {
      Matcher m = COMMENT.matcher(l);
      if (m.matches()) {
        current = new Section(Integer.parseInt(m.group(1)), m.group(2) != null, m.group(3), new ArrayList<>());
        out.add(current);
      } else if (l.strip().startsWith("}") || l.strip().startsWith("//") || l.contains(" for (") || l.contains(" if (")) {
        current = null;
      } else if (current != null) {
        current.code().add(l);
      }
    }
    return out;
  }
}
