package dev.leibniz.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
  void progressFirstThenTheUsersThenHistory() {
    List<String> calls = new ArrayList<>();
    Callback progress = Callback.atEpochEnd((m, e, l) -> calls.add("progress"));
    Callback user = Callback.atEpochEnd((m, e, l) -> calls.add("user"));
    History history = new History();
    CallbackList list = CallbackList.of(List.of(user), progress, history);
    list.onEpochEnd(null, 0, logs(0.5, 0.9));
    assertEquals(List.of("progress", "user"), calls);
    assertEquals(List.of(0.5), history.get("loss"));
    assertEquals(1, history.epochs());
  }

  @Test
  void callbacksSeeLogsTheyCannotChange() {
    Callback mutating = Callback.atEpochEnd((m, e, l) -> l.put("loss", 0.0));
    assertThrows(UnsupportedOperationException.class,
        () -> CallbackList.of(List.of(mutating), null, new History()).onEpochEnd(null, 0, logs(1, 0)));
  }

  @Test
  void oneProgressLinePerEpochAsKeras() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ProgressLogger p = new ProgressLogger(new PrintStream(bytes, true, StandardCharsets.UTF_8), 5, 177);
    p.onEpochBegin(null, 0);
    p.onEpochEnd(null, 0, logs(0.4023, 0.8858));
    String line = bytes.toString(StandardCharsets.UTF_8).strip();
    assertTrue(line.matches("Epoch 1/5 - 177/177 - \\d+s - \\d+ms/step - accuracy: 0\\.8858 - loss: 0\\.4023"), line);
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
