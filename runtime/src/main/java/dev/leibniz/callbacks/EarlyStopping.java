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
  private final String monitor;
  private final double minDelta;
  private final int patience;
  private final boolean restoreBestWeights;
  private final boolean higherIsBetter;
  private double best;
  private int wait;
  private int bestEpoch;
  private int stoppedEpoch = -1;
  private List<float[]> bestWeights;

  public EarlyStopping(String monitor, double minDelta, int patience, boolean restoreBestWeights) {
    this.monitor = monitor;
    this.minDelta = Math.abs(minDelta);
    this.patience = patience;
    this.restoreBestWeights = restoreBestWeights;
    String m = monitor.replaceFirst("^val_", "");
    this.higherIsBetter = m.contains("acc") || m.equals("auc") || m.equals("precision") || m.equals("recall");
  }

  /** Monitors "val_loss". */
  public EarlyStopping(int patience) {
    this("val_loss", 0, patience, false);
  }

  @Override
  public void onTrainBegin(Model model) {
    best = higherIsBetter ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    wait = 0;
    stoppedEpoch = -1;
    bestWeights = null;
  }

  @Override
  public void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {
    Double value = logs.get(monitor);
    if (value == null) {
      throw new IllegalArgumentException("EarlyStopping monitors \"" + monitor + "\", which this fit does not log;"
          + " it logs " + logs.keySet() + (monitor.startsWith("val_") ? " (give validation data for val_ values)" : ""));
    }
    boolean improved = higherIsBetter ? value - minDelta > best : value + minDelta < best;
    if (improved) {
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
