package dev.leibniz.callbacks;

import dev.leibniz.Model;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Keras's {@code BackupAndRestore}: at the end of every epoch, a checkpoint of the weights, the
 * optimizer's state (its slots, step count and learning rate) and the epoch in
 * {@code backupDir}; when {@code fit} starts and finds one (the last run died: a crash, a
 * SIGKILL, a preempted machine), it restores it and goes on from the epoch after the last one
 * completed, with the same shuffling and dropout draws, so it ends with the weights an
 * uninterrupted run would have. Each backup is written atomically: a crash mid-write leaves the
 * previous one intact. When training completes the backup is deleted (as Keras's
 * {@code delete_checkpoint=True}), unless {@code keepBackup} says otherwise.
 *
 * <p>Unlike Keras's, whose backup holds only the weights, the optimizer's state is restored too:
 * an Adam run resumes exactly.
 */
public final class BackupAndRestore implements Callback {
  static final String FILE = "backup.ckpt";
  private final Path dir;
  private final boolean deleteWhenDone;

  public BackupAndRestore(Path backupDir, boolean deleteWhenDone) {
    if (backupDir == null) {
      throw new IllegalArgumentException("BackupAndRestore needs a directory, got null");
    }
    if (Files.exists(backupDir) && !Files.isDirectory(backupDir)) {
      throw new IllegalArgumentException("BackupAndRestore's directory " + backupDir + " is a file; give a directory"
          + " (it is created if missing)");
    }
    this.dir = backupDir;
    this.deleteWhenDone = deleteWhenDone;
  }

  /** Deletes the backup when training completes. */
  public BackupAndRestore(Path backupDir) {
    this(backupDir, true);
  }

  /** The backup file (there while a run is unfinished). */
  public Path file() {
    return dir.resolve(FILE);
  }

  @Override
  public void onTrainBegin(Model model) {
    try {
      if (model.isChief()) { // every worker of a cluster restores the chief's backup; only the chief writes
        Files.createDirectories(dir);
      }
      if (Files.exists(file())) {
        model.resumeAt(model.loadCheckpoint(file()).epoch());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("BackupAndRestore cannot restore " + file(), e);
    }
  }

  @Override
  public void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {
    try {
      model.saveCheckpoint(file());
    } catch (IOException e) {
      throw new UncheckedIOException("BackupAndRestore could not back up epoch " + (epoch + 1) + " to " + file(), e);
    }
  }

  @Override
  public void onTrainEnd(Model model) {
    if (deleteWhenDone && model.isChief()) {
      try {
        Files.deleteIfExists(file());
      } catch (IOException e) {
        throw new UncheckedIOException("BackupAndRestore could not delete " + file() + " after training", e);
      }
    }
  }
}
