package dev.leibniz.callbacks;

import dev.leibniz.Model;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The callbacks of one {@code fit}, {@code evaluate} or {@code predict}, called in order at each
 * event, as Keras 3's {@code CallbackList}: the user's callbacks, then the {@code History}, then
 * the progress output (which so prints what the others added to the logs). Epoch logs are one
 * map that each callback sees after the ones before it changed it.
 */
public final class CallbackList implements Callback {
  private final List<Callback> callbacks;
  private final boolean trainBatchHooks;
  private final boolean testBatchHooks;
  private final boolean predictBatchHooks;

  public CallbackList(List<Callback> callbacks) {
    this.callbacks = List.copyOf(callbacks);
    this.trainBatchHooks = overridden("onTrainBatchBegin", "onTrainBatchEnd");
    this.testBatchHooks = overridden("onTestBatchBegin", "onTestBatchEnd");
    this.predictBatchHooks = overridden("onPredictBatchBegin", "onPredictBatchEnd");
  }

  /** The user's callbacks with the ones every fit has: {@code history} (null: none), then {@code progress} (null when quiet). */
  public static CallbackList of(List<Callback> user, Callback history, Callback progress) {
    List<Callback> all = new ArrayList<>(user);
    if (history != null) {
      all.add(history);
    }
    if (progress != null) {
      all.add(progress);
    }
    return new CallbackList(all);
  }

  /** Whether some callback overrides one of these batch hooks (Keras's {@code _implements_train_batch_hooks}). */
  private boolean overridden(String... hooks) {
    for (Callback c : callbacks) {
      for (java.lang.reflect.Method m : c.getClass().getMethods()) {
        if (List.of(hooks).contains(m.getName()) && m.getDeclaringClass() != Callback.class) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether {@code fit} need call the training batch hooks at all. */
  public boolean hasTrainBatchHooks() {
    return trainBatchHooks;
  }

  public boolean hasTestBatchHooks() {
    return testBatchHooks;
  }

  public boolean hasPredictBatchHooks() {
    return predictBatchHooks;
  }

  private void each(Consumer<Callback> call) {
    callbacks.forEach(call);
  }

  @Override
  public void onTrainBegin(Model model) {
    each(c -> c.onTrainBegin(model));
  }

  @Override
  public void onTrainEnd(Model model) {
    each(c -> c.onTrainEnd(model));
  }

  @Override
  public void onEpochBegin(Model model, int epoch) {
    each(c -> c.onEpochBegin(model, epoch));
  }

  @Override
  public void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {
    each(c -> c.onEpochEnd(model, epoch, logs));
  }

  @Override
  public void onTrainBatchBegin(Model model, int batch) {
    each(c -> c.onTrainBatchBegin(model, batch));
  }

  @Override
  public void onTrainBatchEnd(Model model, int batch, Map<String, Double> logs) {
    each(c -> c.onTrainBatchEnd(model, batch, logs));
  }

  @Override
  public void onTestBegin(Model model) {
    each(c -> c.onTestBegin(model));
  }

  @Override
  public void onTestEnd(Model model, Map<String, Double> logs) {
    each(c -> c.onTestEnd(model, logs));
  }

  @Override
  public void onTestBatchBegin(Model model, int batch) {
    each(c -> c.onTestBatchBegin(model, batch));
  }

  @Override
  public void onTestBatchEnd(Model model, int batch, Map<String, Double> logs) {
    each(c -> c.onTestBatchEnd(model, batch, logs));
  }

  @Override
  public void onPredictBegin(Model model) {
    each(c -> c.onPredictBegin(model));
  }

  @Override
  public void onPredictEnd(Model model) {
    each(c -> c.onPredictEnd(model));
  }

  @Override
  public void onPredictBatchBegin(Model model, int batch) {
    each(c -> c.onPredictBatchBegin(model, batch));
  }

  @Override
  public void onPredictBatchEnd(Model model, int batch) {
    each(c -> c.onPredictBatchEnd(model, batch));
  }
}
