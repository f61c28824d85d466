package dev.leibniz.callbacks;

import dev.leibniz.Model;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keras's {@code ModelCheckpoint}: saves a checkpoint ({@link Model#saveCheckpoint}: weights,
 * optimizer state, epoch) at the end of every epoch, or only when {@code monitor} improves.
 * The path may name the epoch and logged values as Keras's does:
 * {@code "ckpt-{epoch:02d}-{val_loss:.3f}.ckpt"} ({@code epoch} counts from 1). Each save is
 * atomic: a crash mid-save leaves the previous checkpoint intact.
 */
public final class ModelCheckpoint implements Callback {
  private static final Pattern FIELD = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?\\}");
  private final String path;
  private final Monitor monitor;
  private final boolean saveBestOnly;
  private double best;
  private Path lastSaved;

  /** Saves at the end of every epoch. */
  public ModelCheckpoint(Path path) {
    this(path, "val_loss", false);
  }

  /** With {@code saveBestOnly}, saves only in epochs where {@code monitor} beats its best so far. */
  public ModelCheckpoint(Path path, String monitor, boolean saveBestOnly) {
    this.path = path.toString();
    this.monitor = new Monitor(monitor, 0);
    this.saveBestOnly = saveBestOnly;
    this.best = this.monitor.worst();
  }

  @Override
  public void onTrainBegin(Model model) {
    if (saveBestOnly) {
      monitor.check(model, "ModelCheckpoint");
    }
  }

  @Override
  public void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {
    if (saveBestOnly) {
      double value = monitor.value(logs, "ModelCheckpoint");
      if (!monitor.improves(value, best)) {
        return;
      }
      best = value;
    }
    Path file = Path.of(format(path, epoch + 1, logs));
    try {
      model.saveCheckpoint(file);
    } catch (IOException e) {
      throw new UncheckedIOException("ModelCheckpoint could not save epoch " + (epoch + 1) + " to " + file, e);
    }
    lastSaved = file;
  }

  /** The last checkpoint written, or null. */
  public Path lastSaved() {
    return lastSaved;
  }

  /** {@code {epoch}}, {@code {epoch:03d}}, {@code {loss:.4f}}: Python's format fields, as Keras's file paths. */
  static String format(String pattern, int epoch, Map<String, Double> logs) {
    Matcher m = FIELD.matcher(pattern);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String key = m.group(1);
      String spec = m.group(2) == null ? "" : m.group(2);
      Object value;
      if (key.equals("epoch")) {
        value = epoch;
      } else if (logs.containsKey(key)) {
        value = logs.get(key);
      } else {
        throw new IllegalArgumentException("checkpoint path " + pattern + " names {" + key + "}, but the logs hold only"
            + " epoch and " + logs.keySet());
      }
      String text;
      try {
        text = spec.isEmpty() ? String.valueOf(value) : String.format("%" + spec, value);
      } catch (java.util.IllegalFormatException e) {
        throw new IllegalArgumentException("checkpoint path " + pattern + ": format \"" + spec + "\" does not fit "
            + key + " = " + value + " (use d for epoch, e.g. {epoch:02d}, and f for values, e.g. {loss:.4f})", e);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(text));
    }
    m.appendTail(out);
    return out.toString();
  }
}
