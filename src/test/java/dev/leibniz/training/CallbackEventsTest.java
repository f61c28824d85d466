package dev.leibniz.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.FitOptions;
import dev.leibniz.History;
import dev.leibniz.Model;
import dev.leibniz.Sequential;
import dev.leibniz.callbacks.CSVLogger;
import dev.leibniz.callbacks.Callback;
import dev.leibniz.callbacks.TerminateOnNaN;
import dev.leibniz.data.Data;
import dev.leibniz.layers.Dense;
import dev.leibniz.losses.Losses;
import dev.leibniz.optimizers.SGD;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Callbacks at every level of fit, evaluate and predict, in Keras's order, and the callbacks that act per batch or write logs. */
class CallbackEventsTest {
  /** Records every event as Keras names it. */
  static final class Recorder implements Callback {
    final List<String> events = new ArrayList<>();
    final List<Map<String, Double>> batchLogs = new ArrayList<>();

    @Override public void onTrainBegin(Model m) { events.add("train_begin"); }
    @Override public void onTrainEnd(Model m) { events.add("train_end"); }
    @Override public void onEpochBegin(Model m, int e) { events.add("epoch_begin " + e); }
    @Override public void onEpochEnd(Model m, int e, Map<String, Double> logs) { events.add("epoch_end " + e + " " + logs.keySet()); }
    @Override public void onTrainBatchBegin(Model m, int b) { events.add("train_batch_begin " + b); }
    @Override public void onTrainBatchEnd(Model m, int b, Map<String, Double> logs) {
      events.add("train_batch_end " + b);
      batchLogs.add(Map.copyOf(logs));
    }
    @Override public void onTestBegin(Model m) { events.add("test_begin"); }
    @Override public void onTestEnd(Model m, Map<String, Double> logs) { events.add("test_end " + logs.keySet()); }
    @Override public void onTestBatchBegin(Model m, int b) { events.add("test_batch_begin " + b); }
    @Override public void onTestBatchEnd(Model m, int b, Map<String, Double> logs) { events.add("test_batch_end " + b); }
    @Override public void onPredictBegin(Model m) { events.add("predict_begin"); }
    @Override public void onPredictEnd(Model m) { events.add("predict_end"); }
    @Override public void onPredictBatchBegin(Model m, int b) { events.add("predict_batch_begin " + b); }
    @Override public void onPredictBatchEnd(Model m, int b) { events.add("predict_batch_end " + b); }
  }

  private static Model classifier() {
    Model model = Sequential.of(new Dense(2, "softmax"));
    model.compile(new SGD(0.1f), "sparse_categorical_crossentropy", "accuracy");
    return model;
  }

  @Test
  void everyLevelInKerasOrder() {
    Data[] train = TrainingTest.blobs(40, 1);
    Data[] val = TrainingTest.blobs(20, 2);
    Recorder r = new Recorder();
    try (Model model = classifier()) {
      model.fit(train[0], train[1], FitOptions.epochs(2).batchSize(16).validationData(val[0], val[1]).verbose(0)
          .callbacks(r));
      List<String> epoch = List.of("train_batch_begin 0", "train_batch_end 0", "train_batch_begin 1",
          "train_batch_end 1", "train_batch_begin 2", "train_batch_end 2", "test_begin", "test_batch_begin 0",
          "test_batch_end 0", "test_batch_begin 1", "test_batch_end 1", "test_end [accuracy, loss]");
      List<String> expected = new ArrayList<>(List.of("train_begin", "epoch_begin 0"));
      expected.addAll(epoch);
      expected.addAll(List.of("epoch_end 0 [accuracy, loss, val_accuracy, val_loss]", "epoch_begin 1"));
      expected.addAll(epoch);
      expected.addAll(List.of("epoch_end 1 [accuracy, loss, val_accuracy, val_loss]", "train_end"));
      assertEquals(expected, r.events);

      // batch logs: the running loss and metrics of the epoch; after its last batch, the epoch's
      Map<String, Double> last = r.batchLogs.get(5);
      History h = model.fit(train[0], train[1], FitOptions.epochs(1).batchSize(40).shuffle(false).verbose(0)
          .callbacks(r));
      assertEquals(h.last("loss"), r.batchLogs.get(6).get("loss"), 1e-9);
      assertEquals(h.last("accuracy"), r.batchLogs.get(6).get("accuracy"), 1e-9);
      assertEquals(List.of("accuracy", "loss"), List.copyOf(new java.util.TreeSet<>(last.keySet())));

      r.events.clear();
      model.evaluate(val[0], val[1], 16, r);
      assertEquals(List.of("test_begin", "test_batch_begin 0", "test_batch_end 0", "test_batch_begin 1",
          "test_batch_end 1", "test_end [accuracy, loss]"), r.events);
      r.events.clear();
      model.predict(val[0], 16, r);
      assertEquals(List.of("predict_begin", "predict_batch_begin 0", "predict_batch_end 0", "predict_batch_begin 1",
          "predict_batch_end 1", "predict_end"), r.events);
    }
  }

  @Test
  void stopTrainingFromABatchEndsTheEpochAfterIt() {
    Data[] train = TrainingTest.blobs(64, 3);
    List<Integer> batches = new ArrayList<>();
    try (Model model = classifier()) {
      History h = model.fit(train[0], train[1], FitOptions.epochs(5).batchSize(8).verbose(0)
          .callbacks(Callback.atTrainBatchEnd((m, batch, logs) -> {
            batches.add(batch);
            if (batch == 2) {
              m.stopTraining();
            }
          })));
      assertEquals(List.of(0, 1, 2), batches);
      assertEquals(1, h.epochs(), "the epoch's end still runs, as Keras's");
    }
  }

  /** A linear regression at a learning rate that makes its weights overflow within the first epoch. */
  private static Model diverging() {
    Model model = Sequential.of(new Dense(1));
    model.compile(new SGD(1e6f), "mse");
    return model;
  }

  @Test
  void aNonFiniteLossStopsWithTerminateOnNaNAndIsAnErrorWithout() {
    Data[] blobs = TrainingTest.blobs(64, 4);
    Data[] train = {blobs[0], Data.of(blobs[1].values(), 1)}; // the class as a number to regress
    java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
    try (Model model = diverging()) {
      History h = model.fit(train[0], train[1], FitOptions.epochs(3).batchSize(2).shuffle(false).verbose(0)
          .callbacks(new TerminateOnNaN(new java.io.PrintStream(printed, true))));
      assertEquals(1, h.epochs(), "stopped in the first epoch, whose end still ran");
      assertTrue(!Double.isFinite(h.last("loss")), "loss " + h.last("loss"));
      assertTrue(printed.toString().strip().matches("Batch \\d+: Invalid loss, terminating training"), printed.toString());
    }
    try (Model model = diverging()) {
      ArithmeticException e = assertThrows(ArithmeticException.class, () -> model.fit(train[0], train[1],
          FitOptions.epochs(3).batchSize(2).shuffle(false).verbose(0)));
      assertTrue(e.getMessage().matches("the loss became (NaN|Infinity) at epoch 1, batch \\d+ of 32; .*TerminateOnNaN.*"),
          e.getMessage());
    }
  }

  @Test
  void csvLoggerWritesKerasRowsAndAppends(@TempDir Path dir) throws IOException {
    Data[] train = TrainingTest.blobs(32, 5);
    Path csv = dir.resolve("logs/training.csv");
    try (Model model = classifier()) {
      History h = model.fit(train[0], train[1], FitOptions.epochs(2).batchSize(8).verbose(0)
          .callbacks(new CSVLogger(csv)));
      List<String> lines = Files.readAllLines(csv);
      assertEquals("epoch,accuracy,loss,val_accuracy,val_loss", lines.get(0), "Keras adds val_ columns, NA");
      assertEquals(3, lines.size());
      String[] row = lines.get(2).split(",");
      assertEquals("1", row[0]);
      assertEquals(h.last("accuracy"), Double.parseDouble(row[1]), 0);
      assertEquals(h.last("loss"), Double.parseDouble(row[2]), 0);
      assertEquals("NA", row[3]);
      model.fit(train[0], train[1], FitOptions.epochs(1).batchSize(8).verbose(0)
          .callbacks(new CSVLogger(csv, ";", true)));
      lines = Files.readAllLines(csv);
      assertEquals(4, lines.size(), "appended, no second header: " + lines);
      assertTrue(lines.get(3).startsWith("0;"), lines.get(3));
      IllegalArgumentException directory = assertThrows(IllegalArgumentException.class, () -> model.fit(train[0],
          train[1], FitOptions.epochs(1).verbose(0).callbacks(new CSVLogger(dir))));
      assertTrue(directory.getMessage().contains("is a directory"), directory.getMessage());
    }
  }
}
