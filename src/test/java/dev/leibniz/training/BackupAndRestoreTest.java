package dev.leibniz.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.FitOptions;
import dev.leibniz.Model;
import dev.leibniz.Sequential;
import dev.leibniz.callbacks.BackupAndRestore;
import dev.leibniz.callbacks.Callback;
import dev.leibniz.data.Data;
import dev.leibniz.layers.Dense;
import dev.leibniz.layers.Dropout;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BackupAndRestore as it is meant to be used: a training process killed with SIGKILL in the
 * middle of an epoch, then started again with the same command, ends with exactly the weights
 * of a run that was never interrupted (Adam's moments, the dropout draws and the shuffling
 * included).
 */
class BackupAndRestoreTest {
  /** The child: 4 epochs with a backup; args: backup dir, weights out, epoch to hang in (-1: none). */
  public static void main(String[] args) throws IOException, InterruptedException {
    Path backup = Path.of(args[0]);
    int hangAt = Integer.parseInt(args[2]);
    Data[] data = TrainingTest.blobs(256, 13);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    try (Model model = Sequential.of(new Dense(16, "relu"), new Dropout(0.3), new Dense(2, "softmax"))) {
      model.compile("adam", "sparse_categorical_crossentropy", "accuracy");
      Callback hang = new Callback() {
        @Override
        public void onTrainBatchEnd(Model m, int batch, Map<String, Double> logs) {
          if (batch == 3 && hangAt >= 0 && m.epochsTrained() == hangAt) {
            out.println("MID-EPOCH " + (hangAt + 1));
            try {
              Thread.sleep(120_000); // until the parent kills it
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        }

        @Override
        public void onEpochBegin(Model m, int epoch) {
          out.println("EPOCH " + (epoch + 1));
        }
      };
      model.fit(data[0], data[1], FitOptions.epochs(4).batchSize(16).verbose(0)
          .callbacks(new BackupAndRestore(backup), hang));
      StringBuilder text = new StringBuilder();
      for (float[] w : model.getWeights()) {
        text.append(Arrays.toString(w)).append('\n');
      }
      Files.writeString(Path.of(args[1]), text);
    }
  }

  private static Process start(Path backup, Path weights, int hangAt) throws IOException {
    List<String> c = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), BackupAndRestoreTest.class.getName(), backup.toString(),
        weights.toString(), Integer.toString(hangAt)));
    ProcessBuilder b = new ProcessBuilder(c).redirectError(ProcessBuilder.Redirect.DISCARD);
    b.environment().put("TF_CPP_MIN_LOG_LEVEL", "3");
    return b.start();
  }

  /** Runs a child to its end; the epochs it started. */
  private static List<String> finish(Path backup, Path weights) throws Exception {
    Process p = start(backup, weights, -1);
    List<String> lines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      r.lines().forEach(lines::add);
    }
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), lines.toString());
    return lines;
  }

  @Test
  void aRunKilledMidEpochResumesToTheUninterruptedWeights(@TempDir Path dir) throws Exception {
    Path whole = dir.resolve("whole.txt");
    assertEquals(List.of("EPOCH 1", "EPOCH 2", "EPOCH 3", "EPOCH 4"), finish(dir.resolve("backup-whole"), whole));

    Path backup = dir.resolve("backup");
    Path resumed = dir.resolve("resumed.txt");
    Process doomed = start(backup, resumed, 2);
    try (BufferedReader r = new BufferedReader(new InputStreamReader(doomed.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null && !line.equals("MID-EPOCH 3")) {
        // epochs 1 and 2 complete, each backed up
      }
      assertEquals("MID-EPOCH 3", line);
      doomed.destroyForcibly(); // SIGKILL: no shutdown hook, no finally
      assertTrue(doomed.waitFor(30, TimeUnit.SECONDS));
    }
    assertEquals(137, doomed.exitValue(), "killed by SIGKILL");
    assertTrue(Files.exists(backup.resolve("backup.ckpt")), "the backup of epoch 2 is there");
    assertFalse(Files.exists(resumed));

    assertEquals(List.of("EPOCH 3", "EPOCH 4"), finish(backup, resumed), "went on after the last completed epoch");
    assertEquals(Files.readString(whole), Files.readString(resumed), "the same weights as the uninterrupted run");
    assertFalse(Files.exists(backup.resolve("backup.ckpt")), "deleted once training completed");
  }
}
