package dev.leibniz.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.FitOptions;
import dev.leibniz.History;
import dev.leibniz.Model;
import dev.leibniz.Sequential;
import dev.leibniz.callbacks.TensorBoard;
import dev.leibniz.data.Data;
import dev.leibniz.layers.Dense;
import dev.leibniz.optimizers.SGD;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;

/**
 * The TensorBoard callback's event files read back as TensorBoard reads them: TFRecord framing
 * (length, masked CRC-32C of the length, the record, masked CRC-32C of the record) around
 * TensorFlow's {@code Event} protos, with Keras's runs, tags and steps.
 */
class TensorBoardTest {
  record Point(String tag, long step, double value, Summary.Value raw) {}

  /** Every summary value of every event file in {@code run}. */
  static List<Point> read(Path run) throws IOException {
    List<Point> points = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.list(run)) {
      files = s.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents.")).sorted().toList();
    }
    assertTrue(!files.isEmpty(), "no event file in " + run);
    for (Path f : files) {
      try (InputStream raw = Files.newInputStream(f); DataInputStream in = new DataInputStream(raw)) {
        while (true) {
          byte[] header = new byte[12];
          try {
            in.readFully(header);
          } catch (EOFException end) {
            break;
          }
          ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
          long length = h.getLong();
          assertEquals(masked(header, 0, 8), h.getInt(), "the length's CRC");
          byte[] data = new byte[Math.toIntExact(length)];
          in.readFully(data);
          byte[] crc = new byte[4];
          in.readFully(crc);
          assertEquals(masked(data, 0, data.length), ByteBuffer.wrap(crc).order(ByteOrder.LITTLE_ENDIAN).getInt(),
              "the record's CRC");
          Event e = Event.parseFrom(data);
          for (Summary.Value v : e.getSummary().getValueList()) {
            double value = !v.hasTensor() ? v.getSimpleValue() : v.getTensor().getFloatValCount() > 0
                ? v.getTensor().getFloatVal(0)
                : v.getTensor().getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).getFloat();
            points.add(new Point(v.getTag(), e.getStep(), value, v));
          }
        }
      }
    }
    return points;
  }

  /** TFRecord's masked CRC-32C. */
  private static int masked(byte[] b, int from, int length) {
    CRC32C crc = new CRC32C();
    crc.update(b, from, length);
    int c = (int) crc.getValue();
    return ((c >>> 15) | (c << 17)) + 0xa282ead8;
  }

  private static List<Double> values(List<Point> points, String tag) {
    return points.stream().filter(p -> p.tag().equals(tag)).map(Point::value).toList();
  }

  private static List<Long> steps(List<Point> points, String tag) {
    return points.stream().filter(p -> p.tag().equals(tag)).map(Point::step).toList();
  }

  @Test
  void epochsBatchesAndHistogramsAsKerasWritesThem(@TempDir Path dir) throws IOException {
    Data[] train = TrainingTest.blobs(64, 11);
    Data[] val = TrainingTest.blobs(32, 12);
    Path logs = dir.resolve("logs");
    try (Model model = Sequential.of(new Dense(2, "softmax"))) {
      model.compile(new SGD(0.1f), "sparse_categorical_crossentropy", "accuracy");
      History h = model.fit(train[0], train[1], FitOptions.epochs(3).batchSize(16).validationData(val[0], val[1])
          .verbose(0).callbacks(new TensorBoard(logs).updateFreq(2).histogramFreq(1)));
      List<Point> t = read(logs.resolve("train"));
      List<Point> v = read(logs.resolve("validation"));
      assertEquals(List.of(0L, 1L, 2L), steps(t, "epoch_loss"));
      assertValues(h.get("loss"), values(t, "epoch_loss"));
      assertValues(h.get("accuracy"), values(t, "epoch_accuracy"));
      assertValues(List.of(0.1, 0.1, 0.1), values(t, "epoch_learning_rate"));
      assertValues(h.get("val_loss"), values(v, "epoch_loss"));
      assertValues(h.get("val_accuracy"), values(v, "epoch_accuracy"));
      assertEquals(List.of(4L, 8L, 12L), steps(v, "evaluation_loss_vs_iterations"), "at the optimizer's steps so far");
      assertValues(h.get("val_loss"), values(v, "evaluation_loss_vs_iterations"));
      assertEquals(List.of(2L, 4L, 6L, 8L, 10L, 12L), steps(t, "batch_loss"), "every 2 of 12 batches");
      assertEquals("scalars", t.stream().filter(p -> p.tag().equals("epoch_loss")).findFirst().orElseThrow().raw()
          .getMetadata().getPluginData().getPluginName(), "tf.summary.scalar's form");
      List<Point> kernel = t.stream().filter(p -> p.tag().equals("dense/kernel/histogram")).toList();
      assertEquals(List.of(0L, 1L, 2L), kernel.stream().map(Point::step).toList());
      var last = kernel.get(2).raw().getHisto();
      float[] w = model.getWeights().get(model.weightNames().indexOf("dense/kernel"));
      assertEquals(w.length, last.getNum(), 0);
      double min = Double.MAX_VALUE;
      double sum = 0;
      for (float x : w) {
        min = Math.min(min, x);
        sum += x;
      }
      assertEquals(min, last.getMin(), 1e-6);
      assertEquals(sum, last.getSum(), 1e-5);
    }
  }

  private static void assertValues(List<Double> expected, List<Double> got) {
    assertEquals(expected.size(), got.size(), "values " + got);
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i), got.get(i), 1e-6 * Math.max(1, Math.abs(expected.get(i))), "at " + i);
    }
  }

  @Test
  void aLogDirectoryThatIsAFileFailsBeforeTraining(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("logs"), "not a directory");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TensorBoard(file));
    assertTrue(e.getMessage().contains("log directory " + file + " is a file"), e.getMessage());
    assertEquals("not a directory", Files.readString(file));
    assertThrows(IllegalArgumentException.class, () -> new TensorBoard(dir).updateFreq(-1));
  }
}
