package dev.leibniz.callbacks;

import dev.leibniz.Model;
import java.util.Map;

/**
 * Hooks into {@code fit}, as Keras's callbacks. {@code logs} hold "loss", the metrics and their
 * "val_" forms for the epoch just ended. Call {@link Model#stopTraining()} to end training
 * after the current epoch.
 */
public interface Callback {
  default void onTrainBegin(Model model) {}

  /** {@code epoch} counts from 0. */
  default void onEpochBegin(Model model, int epoch) {}

  /** {@code epoch} counts from 0. */
  default void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {}

  default void onTrainEnd(Model model) {}

  /** A per-epoch hook: {@code Callback.atEpochEnd((model, epoch, logs) -> ...)}. */
  static Callback atEpochEnd(EpochHook hook) {
    return new Callback() {
      @Override
      public void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {
        hook.onEpochEnd(model, epoch, logs);
      }
    };
  }

  @FunctionalInterface
  interface EpochHook {
    void onEpochEnd(Model model, int epoch, Map<String, Double> logs);
  }
}
