package dev.leibniz.callbacks;

import dev.leibniz.Model;
import java.util.List;
import java.util.Map;

/**
 * Keras's {@code EarlyStopping}: stops training when {@code monitor} has not improved by more
 * than {@code minDelta} for {@code patience} epochs. "Improved" is lower for losses, higher for
 * accuracies, AUC, precision and recall (Keras's "auto" mode). With {@code restoreBestWeights}
 * the model gets back the weights of its best epoch when training stops.
 */
public final class EarlyStopping implements Callback {
  private final Monitor monitor;
  private final int patience;
  private final boolean restoreBestWeights;
  private double best;
  private int wait;
  private int bestEpoch;
  private int stoppedEpoch = -1;
  private List<float[]> bestWeights;

  public EarlyStopping(String monitor, double minDelta, int patience, boolean restoreBestWeights) {
    this.monitor = new Monitor(monitor, minDelta);
    this.patience = patience;
    this.restoreBestWeights = restoreBestWeights;
  }

  /** Monitors "val_loss". */
  public EarlyStopping(int patience) {
    this("val_loss", 0, patience, false);
  }

  @Override
  public void onTrainBegin(Model model) {
    monitor.check(model, "EarlyStopping");
    best = monitor.worst();
    wait = 0;
    stoppedEpoch = -1;
    bestWeights = null;
  }

  @Override
  public void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {
    double value = monitor.value(logs, "EarlyStopping");
    if (monitor.improves(value, best)) {
      best = value;
      bestEpoch = epoch;
      wait = 0;
      if (restoreBestWeights) {
        bestWeights = model.getWeights();
      }
      return;
    }
    wait++;
    if (wait >= patience) {
      stoppedEpoch = epoch;
      model.stopTraining();
      if (restoreBestWeights && bestWeights != null) {
        model.setWeights(bestWeights);
      }
    }
  }

  /** The epoch (from 0) at which training was stopped, or -1. */
  public int stoppedEpoch() {
    return stoppedEpoch;
  }

  public int bestEpoch() {
    return bestEpoch;
  }
}
