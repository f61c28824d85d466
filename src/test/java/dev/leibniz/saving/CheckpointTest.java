package dev.leibniz.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.FitOptions;
import dev.leibniz.History;
import dev.leibniz.Model;
import dev.leibniz.Sequential;
import dev.leibniz.callbacks.ModelCheckpoint;
import dev.leibniz.data.Data;
import dev.leibniz.layers.BatchNormalization;
import dev.leibniz.layers.Dense;
import dev.leibniz.layers.Dropout;
import dev.leibniz.optimizers.Optimizer;
import dev.leibniz.optimizers.Optimizers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Checkpoints: resuming equals not stopping, saves survive crashes, bad files are refused. */
class CheckpointTest {
  @TempDir
  Path temp;

  static final Data X = ExportTest.random(200, 4, 11);
  static final Data Y;

  static {
    int[] y = new int[200];
    for (int i = 0; i < y.length; i++) {
      float[] s = X.sample(i);
      y[i] = s[0] + 0.5f * s[1] * s[2] > 0 ? 1 : 0;
    }
    Y = Data.labels(y);
  }

  static Supplier<Optimizer> optimizer(String name) {
    switch (name) {
      case "sgd":
        return () -> Optimizers.sgd(0.05f, 0.9f, true);
      case "rmsprop":
        return () -> Optimizers.rmsprop(0.01f);
      case "adam":
        return () -> Optimizers.adam(0.01f);
      default:
        return () -> Optimizers.adagrad(0.1f);
    }
  }

  static Model model(Optimizer optimizer) {
    Model m = Sequential.of(new Dense(8, "tanh"), new Dense(2, "softmax")).seed(5);
    if (optimizer != null) {
      m.compile(optimizer, "sparse_categorical_crossentropy", "accuracy");
    }
    return m;
  }

  static FitOptions epochs(int n) {
    return FitOptions.epochs(n).batchSize(32).verbose(0).seed(3);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sgd", "rmsprop", "adam", "adagrad"})
  void trainingResumedFromACheckpointContinuesAsIfNeverStopped(String name) throws Exception {
    Supplier<Optimizer> opt = optimizer(name);
    History whole;
    List<float[]> wholeWeights;
    try (Model a = model(opt.get())) {
      whole = a.fit(X, Y, epochs(4));
      wholeWeights = a.getWeights();
    }
    try (Model b = model(opt.get())) {
      ModelCheckpoint every = new ModelCheckpoint(temp.resolve("ckpt-{epoch:02d}.ckpt"));
      b.fit(X, Y, epochs(2).callbacks(every));
      assertEquals(temp.resolve("ckpt-02.ckpt"), every.lastSaved());
      assertTrue(Files.exists(temp.resolve("ckpt-01.ckpt")));
    }
    History resumed;
    try (Model c = model(opt.get())) { // a new process would start here: a fresh model, the file alone
      Checkpoint checkpoint = c.loadCheckpoint(temp.resolve("ckpt-02.ckpt"));
      assertEquals(2, checkpoint.epoch());
      assertEquals(2, c.epochsTrained());
      resumed = c.fit(X, Y, epochs(4).initialEpoch(checkpoint.epoch()));
      assertEquals(4, c.epochsTrained());
      List<float[]> weights = c.getWeights();
      for (int i = 0; i < weights.size(); i++) {
        assertArrayEquals(wholeWeights.get(i), weights.get(i), 1e-5f, name + ": weight " + i);
      }
    }
    List<Double> expected = whole.get("loss").subList(2, 4);
    List<Double> got = resumed.get("loss");
    assertEquals(2, got.size());
    for (int i = 0; i < 2; i++) {
      assertEquals(expected.get(i), got.get(i), 1e-6 * Math.abs(expected.get(i)) + 1e-7, name + " epoch " + (i + 3));
    }
    assertEquals(whole.get("accuracy").subList(2, 4), resumed.get("accuracy"));

    // The control: the same weights with a fresh optimizer do not give these losses, so the
    // optimizer state in the checkpoint is what made the resumed run exact.
    try (Model d = model(null)) {
      d.loadCheckpoint(temp.resolve("ckpt-02.ckpt")); // not compiled: weights only
      d.compile(opt.get(), "sparse_categorical_crossentropy", "accuracy");
      List<Double> fresh = d.fit(X, Y, epochs(4).initialEpoch(2)).get("loss");
      assertTrue(Math.abs(fresh.get(0) - expected.get(0)) > 1e-4, name + ": a fresh optimizer gave the same loss "
          + fresh.get(0));
    }
  }

  /** Dropout masks come from (seed, step) and moving statistics are weights: resuming stays exact with both. */
  @Test
  void resumingIsExactWithDropoutAndBatchNormalization() throws Exception {
    Supplier<Model> make = () -> {
      Model m = Sequential.of(new Dense(8, "tanh"), new Dropout(0.3), new BatchNormalization(), new Dense(2, "softmax"))
          .seed(5);
      m.compile(Optimizers.adam(0.01f), "sparse_categorical_crossentropy", "accuracy");
      return m;
    };
    List<Double> whole;
    try (Model a = make.get()) {
      whole = a.fit(X, Y, epochs(3)).get("loss");
    }
    Path file = temp.resolve("dropout.ckpt");
    try (Model b = make.get()) {
      b.fit(X, Y, epochs(1).callbacks(new ModelCheckpoint(file)));
    }
    try (Model c = make.get()) {
      List<Double> resumed = c.fit(X, Y, epochs(3).initialEpoch(c.loadCheckpoint(file).epoch())).get("loss");
      assertEquals(whole.get(1), resumed.get(0), 1e-6 * whole.get(1));
      assertEquals(whole.get(2), resumed.get(1), 1e-6 * whole.get(2));
    }
  }

  @Test
  void checkpointRestoresAnUnbuiltModelAndItsPredictions() throws Exception {
    Path file = temp.resolve("m.ckpt");
    float[] expected;
    try (Model a = model(Optimizers.adam(0.01f))) {
      a.fit(X, Y, epochs(2));
      expected = a.predict(X, 50).values();
      a.saveCheckpoint(file);
    }
    try (Model b = Sequential.of(new Dense(8, "tanh"), new Dense(2, "softmax"))) {
      assertFalse(b.isBuilt());
      b.loadCheckpoint(file);
      assertTrue(b.isBuilt());
      assertArrayEquals(expected, b.predict(X, 50).values());
    }
  }

  @Test
  void killedMidSaveLeavesThePreviousCheckpoint() throws Exception {
    Path file = temp.resolve("c.ckpt");
    String java = ProcessHandle.current().info().command().orElse("java");
    Random random = new Random(1);
    boolean killedMidWrite = false;
    for (int attempt = 0; attempt < 20 && !killedMidWrite; attempt++) {
      Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
          CheckpointWriter.class.getName(), file.toString()).redirectErrorStream(true).start();
      try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null && !line.equals("saving 2")) {
          assertTrue(line.startsWith("sav"), "the writer printed: " + line);
        }
        Thread.sleep(random.nextInt(40));
        p.destroyForcibly(); // SIGKILL: no finally blocks, no shutdown hooks
        p.waitFor();
      }
      killedMidWrite = !temporaries(file).isEmpty();
      Checkpoint c = Checkpoint.read(file);
      assertTrue(c.epoch() == 1 || c.epoch() == 2, "read version " + c.epoch());
      for (Checkpoint.Entry e : c.weights()) {
        for (float v : e.values()) {
          assertEquals(c.epoch(), v, "a mix of two versions in " + e.name());
        }
      }
    }
    assertTrue(killedMidWrite, "in 20 tries the writer was never killed in the middle of a save");
    // The next save removes what the dead process left.
    CheckpointWriter.version(9).write(file);
    assertEquals(List.of(), temporaries(file));
    assertEquals(9, Checkpoint.read(file).epoch());
  }

  private List<Path> temporaries(Path file) throws IOException {
    try (Stream<Path> s = Files.list(file.getParent())) {
      return s.filter(p -> p.getFileName().toString().startsWith("." + file.getFileName() + ".tmp-")).toList();
    }
  }

  @Test
  void aSaveThatFailsHalfwayLeavesThePreviousFile() throws Exception {
    Path file = temp.resolve("c.ckpt");
    CheckpointWriter.version(1).write(file);
    byte[] before = Files.readAllBytes(file);
    var e = assertThrows(IOException.class, () -> AtomicFiles.write(file, out -> {
      out.write(new byte[1 << 20]);
      throw new IOException("no space left on device (injected)");
    }));
    assertEquals("no space left on device (injected)", e.getMessage());
    assertArrayEquals(before, Files.readAllBytes(file));
    assertEquals(List.of(), temporaries(file));
    // and for directories (SavedModels)
    Path dir = Files.createDirectory(temp.resolve("model"));
    Files.writeString(dir.resolve("saved_model.pb"), "old");
    assertThrows(IOException.class, () -> AtomicFiles.writeDirectory(dir, d -> {
      Files.writeString(d.resolve("saved_model.pb"), "new, half");
      throw new IOException("injected");
    }));
    assertEquals("old", Files.readString(dir.resolve("saved_model.pb")));
    try (Stream<Path> s = Files.list(temp)) {
      assertEquals(List.of(file, dir), s.sorted().toList());
    }
  }

  /** A checkpoint of the test model after one epoch with Adam. */
  private Path adamCheckpoint() throws IOException {
    Path file = temp.resolve("c.ckpt");
    try (Model m = model(Optimizers.adam(0.01f))) {
      m.fit(X, Y, epochs(1));
      m.saveCheckpoint(file);
    }
    return file;
  }

  @Test
  void damagedCheckpointsAreRefusedWithTheReason() throws Exception {
    Path file = adamCheckpoint();
    byte[] good = Files.readAllBytes(file);
    try (Model m = model(Optimizers.adam(0.01f))) {
      var missing = assertThrows(NoSuchFileException.class, () -> m.loadCheckpoint(temp.resolve("none.ckpt")));
      assertTrue(missing.getMessage().contains("no checkpoint at this path"), missing.getMessage());

      Files.write(file, java.util.Arrays.copyOf(good, good.length / 2));
      var cut = assertThrows(IOException.class, () -> m.loadCheckpoint(file));
      assertTrue(cut.getMessage().contains("the file ends early"), cut.getMessage());

      byte[] flipped = good.clone();
      flipped[good.length / 2] ^= 0x10;
      Files.write(file, flipped);
      var crc = assertThrows(IOException.class, () -> m.loadCheckpoint(file));
      assertTrue(crc.getMessage().contains("its checksum does not match its content"), crc.getMessage());

      Files.writeString(file, "{\"weights\": []}");
      var foreign = assertThrows(IOException.class, () -> m.loadCheckpoint(file));
      assertTrue(foreign.getMessage().startsWith("not a Leibniz checkpoint"), foreign.getMessage());

      var dir = assertThrows(IOException.class, () -> m.loadCheckpoint(temp));
      assertTrue(dir.getMessage().contains("is a directory"), dir.getMessage());
      assertFalse(m.isBuilt(), "a refused checkpoint built the model");
    }
  }

  @Test
  void aCheckpointOfAnotherModelOrOptimizerIsRefused() throws Exception {
    Path file = adamCheckpoint();
    try (Model wider = Sequential.of(new Dense(9, "tanh"), new Dense(2, "softmax"))) {
      var e = assertThrows(IllegalArgumentException.class, () -> wider.loadCheckpoint(file));
      assertEquals("checkpoint " + file + " does not fit this model: kernel has shape [4, 8] there, [4, 9] in the"
          + " model", e.getMessage());
    }
    try (Model deeper = Sequential.of(new Dense(8, "tanh"), new Dense(8), new Dense(2, "softmax"))) {
      var e = assertThrows(IllegalArgumentException.class, () -> deeper.loadCheckpoint(file));
      assertTrue(e.getMessage().contains("its weights are [kernel, bias, kernel_1, bias_1], the model's are [kernel,"
          + " bias, kernel_1, bias_1, kernel_2, bias_2]"), e.getMessage());
    }
    try (Model sgd = model(Optimizers.sgd(0.1f, 0.9f, false))) {
      var e = assertThrows(IllegalArgumentException.class, () -> sgd.loadCheckpoint(file));
      assertEquals("checkpoint " + file + " holds the state of optimizer adam, but the model is compiled with sgd",
          e.getMessage());
    }
    try (Model other = model(Optimizers.adam(0.01f))) {
      other.build(new long[] {5});
      var e = assertThrows(IllegalArgumentException.class, () -> other.loadCheckpoint(file));
      assertTrue(e.getMessage().contains("built for samples of shape [5], got samples of shape [4]"), e.getMessage());
    }
  }

  @Test
  void modelCheckpointSavesOnlyImprovementsWhenAskedAndFormatsPaths() throws Exception {
    try (Model m = model(Optimizers.adam(0.01f))) {
      m.build(new long[] {4});
      ModelCheckpoint best = new ModelCheckpoint(temp.resolve("best-{epoch}-{loss:.2f}.ckpt"), "loss", true);
      double[] losses = {1.0, 0.5, 0.7, 0.4};
      for (int epoch = 0; epoch < losses.length; epoch++) {
        best.onEpochEnd(m, epoch, Map.of("loss", losses[epoch]));
      }
      try (Stream<Path> s = Files.list(temp)) {
        assertEquals(List.of("best-1-1.00.ckpt", "best-2-0.50.ckpt", "best-4-0.40.ckpt"),
            s.map(p -> p.getFileName().toString()).sorted().toList());
      }
      ModelCheckpoint accuracy = new ModelCheckpoint(temp.resolve("acc.ckpt"), "val_accuracy", true);
      var e = assertThrows(IllegalArgumentException.class, () -> accuracy.onEpochEnd(m, 0, Map.of("loss", 1.0)));
      assertEquals("ModelCheckpoint monitors \"val_accuracy\", which this fit does not log; it logs [loss] (give"
          + " validation data for val_ values)", e.getMessage());
      ModelCheckpoint unknown = new ModelCheckpoint(temp.resolve("x-{val_auc}.ckpt"));
      var u = assertThrows(IllegalArgumentException.class, () -> unknown.onEpochEnd(m, 0, Map.of("loss", 1.0)));
      assertTrue(u.getMessage().contains("names {val_auc}, but the logs hold only epoch and [loss]"), u.getMessage());
    }
  }
}
