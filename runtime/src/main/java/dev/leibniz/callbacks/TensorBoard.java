package dev.leibniz.callbacks;

import dev.leibniz.Model;
import dev.leibniz.tf.EventFileWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Keras's {@code TensorBoard} callback: event files that {@code tensorboard --logdir <dir>} shows,
 * laid out as Keras lays them out. Under {@code logDir}, the run {@code train/} gets
 * {@code epoch_<name>} for the loss, each metric and the learning rate, at step = epoch (from 0);
 * the run {@code validation/} gets the "val_" values under the same tags. With
 * {@link #updateFreq(int)}, {@code train/} also gets {@code batch_<name>} (the running values) every
 * that many batches, at step = batches trained in this fit; with {@link #histogramFreq(int)},
 * {@code <layer>/<weight>/histogram} every that many epochs. Each validation also writes
 * {@code evaluation_<name>_vs_iterations} to {@code validation/} at step = the optimizer's steps so
 * far, as Keras does. Each fit writes new files; files already there are never touched.
 */
public final class TensorBoard implements Callback {
  private final Path logDir;
  private int updateFreq;
  private int histogramFreq;
  private EventFileWriter train;
  private EventFileWriter validation;
  private long batches;

  public TensorBoard(Path logDir) {
    if (logDir == null) {
      throw new IllegalArgumentException("TensorBoard needs a log directory, got null");
    }
    this.logDir = logDir;
    checkDirectory();
  }

  /** Keras's {@code update_freq=n}: batch-level scalars every {@code batches} batches (0: epochs only, the default). */
  public TensorBoard updateFreq(int batches) {
    if (batches < 0) {
      throw new IllegalArgumentException("updateFreq is a number of batches, 0 or more, got " + batches);
    }
    this.updateFreq = batches;
    return this;
  }

  /** Keras's {@code histogram_freq}: weight histograms every {@code epochs} epochs (0: none, the default). */
  public TensorBoard histogramFreq(int epochs) {
    if (epochs < 0) {
      throw new IllegalArgumentException("histogramFreq is a number of epochs, 0 or more, got " + epochs);
    }
    this.histogramFreq = epochs;
    return this;
  }

  private void checkDirectory() {
    if (Files.exists(logDir) && !Files.isDirectory(logDir)) {
      throw new IllegalArgumentException("TensorBoard's log directory " + logDir + " is a file; give a directory"
          + " (it is created if missing)");
    }
  }

  @Override
  public boolean chiefOnly() {
    return true;
  }

  @Override
  public void onTrainBegin(Model model) {
    checkDirectory();
    try {
      Files.createDirectories(logDir.resolve("train"));
      Files.createDirectories(logDir.resolve("validation"));
    } catch (IOException e) {
      throw new UncheckedIOException("TensorBoard cannot create its log directories under " + logDir, e);
    }
    closeWriters(); // a fit before that did not end (it threw) left its writers open
    train = new EventFileWriter(logDir.resolve("train"));
    validation = new EventFileWriter(logDir.resolve("validation"));
    batches = 0;
  }

  @Override
  public void onTrainBatchEnd(Model model, int batch, Map<String, Double> logs) {
    batches++;
    if (updateFreq > 0 && batches % updateFreq == 0) {
      logs.forEach((name, value) -> train.scalar("batch_" + name, batches, value));
    }
  }

  @Override
  public void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {
    boolean rate = false;
    for (Map.Entry<String, Double> e : logs.entrySet()) {
      if (e.getKey().startsWith("val_")) {
        validation.scalar("epoch_" + e.getKey().substring(4), epoch, e.getValue());
      } else {
        train.scalar("epoch_" + e.getKey(), epoch, e.getValue());
        rate |= e.getKey().equals("learning_rate");
      }
    }
    if (!rate && model.hasOptimizer()) { // as Keras, the rate each epoch
      train.scalar("epoch_learning_rate", epoch, model.learningRate());
    }
    if (histogramFreq > 0 && epoch % histogramFreq == 0) {
      List<String> names = model.weightNames();
      List<float[]> values = model.getWeights();
      for (int i = 0; i < names.size(); i++) {
        train.histogram(names.get(i) + "/histogram", epoch, values.get(i));
      }
    }
    train.flush();
    validation.flush();
  }

  @Override
  public void onTestEnd(Model model, Map<String, Double> logs) {
    if (validation != null && model.hasOptimizer()) { // fit's validation (Keras writes these with an optimizer)
      long step = model.iterations();
      logs.forEach((name, value) -> validation.scalar("evaluation_" + name + "_vs_iterations", step, value));
    }
  }

  @Override
  public void onTrainEnd(Model model) {
    closeWriters();
  }

  private void closeWriters() {
    if (train != null) {
      train.close();
      validation.close();
      train = null;
      validation = null;
    }
  }
}
