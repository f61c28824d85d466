package dev.leibniz.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertLinesMatch;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.History;
import dev.leibniz.Model;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The callbacks' own logic, without a model: order, progress lines, path fields, monitors, History. */
class CallbacksTest {
  static Map<String, Double> logs(double loss, double accuracy) {
    Map<String, Double> logs = new TreeMap<>();
    logs.put("accuracy", accuracy);
    logs.put("loss", loss);
    return logs;
  }

  @Test
  void theUsersThenHistoryThenProgressAsKeras3() {
    List<String> calls = new ArrayList<>();
    Callback progress = Callback.atEpochEnd((m, e, l) -> calls.add("progress sees " + l.keySet()));
    Callback user = Callback.atEpochEnd((m, e, l) -> {
      calls.add("user");
      l.put("learning_rate", 0.01); // as ReduceLROnPlateau adds it
    });
    History history = new History();
    CallbackList list = CallbackList.of(List.of(user), history, progress);
    list.onEpochEnd(null, 0, logs(0.5, 0.9));
    assertEquals(List.of("user", "progress sees [accuracy, learning_rate, loss]"), calls);
    assertEquals(List.of(0.5), history.get("loss"));
    assertEquals(List.of(0.01), history.get("learning_rate"));
    assertEquals(1, history.epochs());
  }

  @Test
  void batchHooksAreCalledOnlyWhereSomeCallbackHasThem() {
    Callback epochOnly = Callback.atEpochEnd((m, e, l) -> {});
    assertFalse(CallbackList.of(List.of(epochOnly), new History(), null).hasTrainBatchHooks());
    CallbackList withBatches = CallbackList.of(List.of(epochOnly, Callback.atTrainBatchEnd((m, b, l) -> {})),
        new History(), null);
    assertTrue(withBatches.hasTrainBatchHooks());
    assertFalse(withBatches.hasTestBatchHooks());
    assertFalse(withBatches.hasPredictBatchHooks());
    assertTrue(CallbackList.of(List.of(), new History(), new ProgressLogger(System.out, 1, 1, 1)).hasTrainBatchHooks(),
        "the progress bar draws per batch");
  }

  private static String printed(boolean terminal, int verbose, int epochs, int steps) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ProgressLogger p = new ProgressLogger(new PrintStream(bytes, true, StandardCharsets.UTF_8), verbose, epochs, steps,
        terminal);
    p.onEpochBegin(null, 0);
    for (int b = 0; b < steps; b++) {
      p.onTrainBatchEnd(null, b, logs(0.5, 0.75));
    }
    p.onEpochEnd(null, 0, logs(0.4023, 0.8858));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void verboseTwoIsKerasLinePerEpoch() {
    assertLinesMatch(List.of("Epoch 1/5", "177/177 - \\d+s - \\d+(us|ms)/step - accuracy: 0\\.8858 - loss: 0\\.4023"),
        printed(false, 2, 5, 177).lines().toList());
    assertTrue(printed(false, 2, 1, 9).startsWith("9/9 - "), "no \"Epoch 1/1\" line for one epoch");
  }

  @Test
  void verboseOneInAPipeIsTheFinishedBarWithoutEscapes() {
    String out = printed(false, 1, 3, 40);
    assertLinesMatch(List.of("Epoch 1/3", "40/40 [━=]{20} \\d+s \\d+(us|ms)/step - accuracy: 0\\.8858 - loss: 0\\.4023"),
        out.lines().toList());
    assertFalse(out.contains("\r") || out.contains("\u001b"), out);
  }

  @Test
  void verboseOneOnATerminalRedrawsInPlace() {
    String out = printed(true, 1, 1, 40);
    assertTrue(out.startsWith("\r\u001b[1m 1/40\u001b[0m "), out); // the first batch draws at once
    assertTrue(out.contains("accuracy: 0.7500 - loss: 0.5000"), "the running values while it runs: " + out);
    String last = out.substring(out.lastIndexOf('\r') + 1).replaceAll("\u001b\\[[0-9;]*m", "");
    assertTrue(last.matches("40/40 [━=]{20} \\d+s \\d+(us|ms)/step - accuracy: 0\\.8858 - loss: 0\\.4023 *\n"), last);
  }

  @Test
  void progbarFormatsAsKeras() {
    assertEquals("45s", Progbar.eta(45.9));
    assertEquals("2:03", Progbar.eta(123));
    assertEquals("1:02:03", Progbar.eta(3723));
    StringBuilder line = new StringBuilder();
    Progbar.appendValues(line, logs(0.00012345, 0.5));
    assertEquals(" - accuracy: 0.5000 - loss: 1.2345e-04", line.toString());
  }

  @Test
  void csvValuesAreWrittenAsPythonWritesFloats() {
    assertEquals("0.8774999976158142", CSVLogger.python(0.8774999976158142));
    assertEquals("0.0001", CSVLogger.python(1e-4));
    assertEquals("1e-05", CSVLogger.python(1e-5));
    assertEquals("2.5e-07", CSVLogger.python(2.5e-7));
    assertEquals("3.0", CSVLogger.python(3));
    assertEquals("1e+16", CSVLogger.python(1e16));
    assertEquals("nan", CSVLogger.python(Double.NaN));
  }

  @Test
  void checkpointPathsTakeKerasFields() {
    assertEquals("ckpt-03-0.250.ckpt", ModelCheckpoint.format("ckpt-{epoch:02d}-{loss:.3f}.ckpt", 3, logs(0.25, 1)));
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> ModelCheckpoint.format("{val_loss}", 1, logs(1, 1)));
    assertTrue(unknown.getMessage().contains("names {val_loss}, but the logs hold only epoch and [accuracy, loss]"),
        unknown.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ModelCheckpoint.format("{loss:02d}", 1, logs(1, 1)));
  }

  @Test
  void monitorsKnowWhichWayIsBetter() {
    Monitor loss = new Monitor("val_loss", 0.1);
    assertTrue(loss.improves(0.5, 0.7));
    assertTrue(!loss.improves(0.65, 0.7), "within minDelta");
    Monitor accuracy = new Monitor("val_accuracy", 0);
    assertTrue(accuracy.improves(0.9, 0.8));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Monitor("val_auc", 0).value(logs(1, 1), "EarlyStopping"));
    assertTrue(e.getMessage().contains("(give validation data for val_ values)"), e.getMessage());
  }

  @Test
  void historyNamesWhatItHas() {
    History h = new History();
    h.onEpochEnd((Model) null, 0, logs(1, 0.5));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> h.get("val_loss"));
    assertTrue(e.getMessage().contains("History has no \"val_loss\"; it has [accuracy, loss]"), e.getMessage());
  }
}
