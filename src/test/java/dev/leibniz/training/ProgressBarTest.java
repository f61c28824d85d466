package dev.leibniz.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.FitOptions;
import dev.leibniz.Model;
import dev.leibniz.Sequential;
import dev.leibniz.data.Data;
import dev.leibniz.layers.Dense;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * fit's default output as users see it: a child JVM trains with verbose 1, once in a
 * pseudo-terminal (util-linux {@code script}), where the bar is redrawn in place with Keras's
 * colors, and once into a plain pipe, where each epoch prints its finished bar and nothing else.
 */
class ProgressBarTest {
  /** The child: 2 epochs of 1,000 small steps, fit's default verbosity. */
  public static void main(String[] args) {
    Data[] data = TrainingTest.blobs(4000, 9);
    try (Model model = Sequential.of(new Dense(8, "relu"), new Dense(2, "softmax"))) {
      model.compile("adam", "sparse_categorical_crossentropy", "accuracy");
      model.fit(data[0], data[1], FitOptions.epochs(2).batchSize(4));
    }
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Path out = Files.createTempFile("progress", ".txt");
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile())
          .redirectError(ProcessBuilder.Redirect.DISCARD); // TensorFlow's own log lines
      builder.environment().put("TF_CPP_MIN_LOG_LEVEL", "3");
      Process p = builder.start();
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child finished");
      String text = Files.readString(out, StandardCharsets.UTF_8);
      assertEquals(0, p.exitValue(), text);
      return text;
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private static List<String> java() {
    List<String> c = new ArrayList<>();
    c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    c.add("-Dstdout.encoding=UTF-8");
    c.add("-cp");
    c.add(System.getProperty("java.class.path"));
    c.add(ProgressBarTest.class.getName());
    return c;
  }

  @Test
  void inAPipeEachEpochPrintsItsFinishedBarOnly() throws Exception {
    List<String> lines = run(java()).lines().toList();
    assertFalse(String.join("\n", lines).contains("\r") || String.join("\n", lines).contains("\u001b"), lines.toString());
    assertEquals("Epoch 1/2", lines.get(0), lines.toString());
    assertTrue(lines.get(1).matches("1000/1000 [━=]{20} \\d+s \\d+(us|ms)/step - accuracy: \\d\\.\\d{4} - loss: \\d\\.\\d{4}"),
        lines.get(1));
    assertEquals("Epoch 2/2", lines.get(2));
    assertEquals(4, lines.size(), lines.toString());
  }

  @Test
  void inATerminalTheBarIsRedrawnInPlace() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "util-linux script gives the pseudo-terminal");
    String command = String.join(" ", java().stream().map(a -> "'" + a + "'").toList());
    String out = run(List.of("/usr/bin/script", "-qefc", command, "/dev/null"));
    int epoch = out.indexOf("Epoch 1/2");
    assertTrue(epoch >= 0, out);
    String first = out.substring(epoch, out.indexOf("Epoch 2/2"));
    long redraws = first.chars().filter(c -> c == '\r').count();
    assertTrue(redraws >= 3, "the bar was redrawn during the epoch, " + redraws + " times: " + first);
    assertTrue(first.contains("\u001b[1m") && first.contains("\u001b[32m"), "Keras's bold count and green bar");
    assertTrue(first.matches("(?s).*\r\u001b\\[1m *\\d+/1000\u001b\\[0m .* - accuracy: \\d\\.\\d{4} - loss: \\d\\.\\d{4}.*"),
        "a running line: " + first);
    String drawn = first.strip(); // the terminal ends lines with \r\n
    String last = drawn.substring(drawn.lastIndexOf('\r') + 1).replaceAll("\u001b\\[[0-9;]*m", "").strip();
    assertTrue(last.matches("1000/1000 ━{20} \\d+s \\d+(us|ms)/step - accuracy: \\d\\.\\d{4} - loss: \\d\\.\\d{4}"), last);
  }
}
