package dev.leibniz.callbacks;

import dev.leibniz.Model;
import java.util.Map;

/**
 * Hooks into {@code fit}, {@code evaluate} and {@code predict}, as Keras 3's callbacks, with
 * Keras's names and order of calls. Epoch {@code logs} hold "loss", the metrics and their "val_"
 * forms for the epoch just ended; a callback may add entries (ReduceLROnPlateau adds
 * "learning_rate") that the callbacks after it, History among them, see. Batch {@code logs} hold
 * the running loss and metrics of the epoch so far, computed only when a callback reads them.
 * Call {@link Model#stopTraining()} to end training after the current batch.
 *
 * <p>As Keras does, {@code fit} calls the batch hooks only when some callback overrides them, so
 * that a training step pays nothing for hooks nobody listens to.
 */
public interface Callback {
  /**
   * Whether only the chief of a multi-worker cluster runs it ({@link Model#distribute}): true for
   * the callbacks that write logs (CSVLogger, TensorBoard), so that one worker writes them.
   */
  default boolean chiefOnly() {
    return false;
  }

  default void onTrainBegin(Model model) {}

  default void onTrainEnd(Model model) {}

  /** {@code epoch} counts from 0. */
  default void onEpochBegin(Model model, int epoch) {}

  /** {@code epoch} counts from 0. */
  default void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {}

  /** {@code batch} counts from 0 in each epoch. */
  default void onTrainBatchBegin(Model model, int batch) {}

  /** The running loss and metrics of the epoch, up to and with this batch. */
  default void onTrainBatchEnd(Model model, int batch, Map<String, Double> logs) {}

  /** Before {@code evaluate}, or before the validation at the end of each epoch of {@code fit}. */
  default void onTestBegin(Model model) {}

  /** The loss and metrics {@code evaluate} returns (without "val_"). */
  default void onTestEnd(Model model, Map<String, Double> logs) {}

  default void onTestBatchBegin(Model model, int batch) {}

  default void onTestBatchEnd(Model model, int batch, Map<String, Double> logs) {}

  default void onPredictBegin(Model model) {}

  default void onPredictEnd(Model model) {}

  default void onPredictBatchBegin(Model model, int batch) {}

  default void onPredictBatchEnd(Model model, int batch) {}

  /** A per-epoch hook: {@code Callback.atEpochEnd((model, epoch, logs) -> ...)}. */
  static Callback atEpochEnd(EpochHook hook) {
    return new Callback() {
      @Override
      public void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {
        hook.onEpochEnd(model, epoch, logs);
      }
    };
  }

  /** A per-batch hook: {@code Callback.atTrainBatchEnd((model, batch, logs) -> ...)}. */
  static Callback atTrainBatchEnd(BatchHook hook) {
    return new Callback() {
      @Override
      public void onTrainBatchEnd(Model model, int batch, Map<String, Double> logs) {
        hook.onBatchEnd(model, batch, logs);
      }
    };
  }

  @FunctionalInterface
  interface EpochHook {
    void onEpochEnd(Model model, int epoch, Map<String, Double> logs);
  }

  @FunctionalInterface
  interface BatchHook {
    void onBatchEnd(Model model, int batch, Map<String, Double> logs);
  }
}
