package dev.leibniz.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.leibniz.Model;
import dev.leibniz.data.Dataset;
import dev.leibniz.data.Mnist;
import dev.leibniz.examples.MnistFiles;
import dev.leibniz.examples.MnistMlp;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared MNIST written to TFRecord, CSV and a PNG folder tree, each streamed from its files
 * through the Dataset pipeline to train the book's MLP recipe (RMSprop, batch 128, 5 epochs): each
 * reaches the test accuracy the array MLP must (96.5%). And training streams: a child JVM whose heap
 * (64 MiB) is a third of its TFRecord files trains through them all.
 */
class MnistFilesTest {
  @TempDir
  static Path temp;
  static Mnist mnist;

  @BeforeAll
  static void load() throws Exception {
    assumeTrue(Mnist.isPresent(MnistTest.FOLDER), "MNIST not found in " + MnistTest.FOLDER.toAbsolutePath());
    mnist = Mnist.load(MnistTest.FOLDER);
  }

  static double accuracy(Dataset train, Dataset test, boolean images) {
    try (Model model = MnistFiles.model(images)) {
      MnistMlp.Result r = MnistFiles.train(model, train, test, 5, false);
      assertEquals(5, r.history().epochs());
      return r.test().get("accuracy");
    }
  }

  @Test
  void fromTfRecords() throws Exception {
    Path dir = temp.resolve("tfrecord");
    MnistFiles.writeTfRecords(mnist, dir);
    double a = accuracy(MnistFiles.tfRecords(dir.resolve("train.tfrecord")), MnistFiles.tfRecords(dir.resolve("test.tfrecord")), false);
    assertTrue(a >= 0.965, "test accuracy from TFRecord " + a + " < 0.965");
  }

  @Test
  void fromCsv() throws Exception {
    Path dir = temp.resolve("csv");
    MnistFiles.writeCsv(mnist.trainImages(), mnist.trainLabels(), dir.resolve("train.csv"));
    MnistFiles.writeCsv(mnist.testImages(), mnist.testLabels(), dir.resolve("test.csv"));
    assertEquals(22653, MnistFiles.csv(dir.resolve("train.csv")).cardinality());
    double a = accuracy(MnistFiles.csv(dir.resolve("train.csv")), MnistFiles.csv(dir.resolve("test.csv")), false);
    assertTrue(a >= 0.965, "test accuracy from CSV " + a + " < 0.965");
  }

  @Test
  void fromPngFolders() throws Exception {
    Path dir = temp.resolve("png");
    MnistFiles.writePngs(mnist.trainImages(), mnist.trainLabels(), dir.resolve("train"));
    MnistFiles.writePngs(mnist.testImages(), mnist.testLabels(), dir.resolve("test"));
    Dataset train = MnistFiles.pngs(dir.resolve("train"));
    assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), train.classNames());
    double a = accuracy(train, MnistFiles.pngs(dir.resolve("test")), true);
    assertTrue(a >= 0.965, "test accuracy from PNG files " + a + " < 0.965");
  }

  @Test
  void trainingStreamsFilesThreeTimesTheHeap() throws Exception {
    Path dir = temp.resolve("big");
    MnistFiles.writeTfRecords(mnist, dir);
    List<String> files = new ArrayList<>();
    long bytes = 0;
    for (int i = 0; i < 3; i++) { // the same records three times over: 68k samples, 3 files
      Path copy = dir.resolve("copy" + i + ".tfrecord");
      Files.copy(dir.resolve("train.tfrecord"), copy);
      files.add(copy.toString());
      bytes += Files.size(copy);
    }
    long heap = 64L << 20;
    assertTrue(bytes > 3 * heap, "the files (" + bytes + " bytes) must hold three times the child's heap");
    List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-Xmx" + (heap >> 20) + "m", "-cp", System.getProperty("java.class.path"), StreamingChild.class.getName()));
    command.addAll(files);
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    List<String> out = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      r.lines().forEach(out::add);
    }
    assertEquals(0, p.waitFor(), "the child failed: " + out);
    String last = out.get(out.size() - 1);
    assertTrue(last.startsWith("trained "), last);
    String[] f = last.split(" ");
    assertEquals(3L * 22653, Long.parseLong(f[1]), last);
    assertTrue(Double.parseDouble(f[3]) > 0.9, "training accuracy after one pass over the three files: " + last);
    assertTrue(Long.parseLong(f[7]) <= heap, "the child's heap was bounded by -Xmx: " + last);
  }
}
