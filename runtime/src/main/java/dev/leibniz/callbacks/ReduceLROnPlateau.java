package dev.leibniz.callbacks;

import dev.leibniz.Model;
import java.io.PrintStream;
import java.util.Map;

/**
 * Keras's {@code ReduceLROnPlateau}: when {@code monitor} has not improved by more than
 * {@code minDelta} for {@code patience} epochs, multiplies the learning rate by {@code factor}
 * (never below {@code minLr}), then waits {@code cooldown} epochs before counting again. Logs the
 * rate as "learning_rate". Keras's defaults: "val_loss", factor 0.1, patience 10, minDelta 1e-4,
 * cooldown 0, minLr 0; "better" is lower for losses, higher for accuracies (Keras's "auto").
 */
public final class ReduceLROnPlateau implements Callback {
  private final Monitor monitor;
  private final double factor;
  private final int patience;
  private final int cooldown;
  private final double minLr;
  private PrintStream verbose;
  private double best;
  private int wait;
  private int cooldownCounter;

  public ReduceLROnPlateau(String monitor, double factor, int patience, double minDelta, int cooldown, double minLr) {
    if (!(factor > 0 && factor < 1)) {
      throw new IllegalArgumentException("ReduceLROnPlateau's factor multiplies the rate down, so it is in (0, 1),"
          + " got " + factor);
    }
    if (patience < 0 || cooldown < 0) {
      throw new IllegalArgumentException("patience and cooldown are 0 or more epochs, got " + patience + " and "
          + cooldown);
    }
    if (!(minLr >= 0) || !Double.isFinite(minLr)) {
      throw new IllegalArgumentException("minLr must be 0 or a positive number, got " + minLr);
    }
    this.monitor = new Monitor(monitor, minDelta);
    this.factor = factor;
    this.patience = patience;
    this.cooldown = cooldown;
    this.minLr = minLr;
  }

  /** Monitors {@code monitor} with Keras's defaults but for the factor and patience. */
  public ReduceLROnPlateau(String monitor, double factor, int patience) {
    this(monitor, factor, patience, 1e-4, 0, 0);
  }

  /** Prints each reduction to {@code out} as Keras's {@code verbose=1} does. */
  public ReduceLROnPlateau verbose(PrintStream out) {
    this.verbose = out;
    return this;
  }

  @Override
  public void onTrainBegin(Model model) {
    monitor.check(model, "ReduceLROnPlateau");
    if (model.optimizer().schedule() != null) {
      throw new IllegalStateException("ReduceLROnPlateau cannot lower the rate of " + model.optimizer()
          + ", which follows a schedule of its own; use one or the other");
    }
    best = monitor.worst();
    wait = 0;
    cooldownCounter = 0;
  }

  @Override
  public void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {
    double rate = model.learningRate();
    logs.put("learning_rate", rate);
    double current = monitor.value(logs, "ReduceLROnPlateau");
    if (cooldownCounter > 0) {
      cooldownCounter--;
      wait = 0;
    }
    if (monitor.improves(current, best)) {
      best = current;
      wait = 0;
    } else if (cooldownCounter == 0 && ++wait >= patience) {
      if (rate > (float) minLr) {
        double lowered = Math.max(rate * factor, minLr);
        model.optimizer().setLearningRate(lowered);
        if (verbose != null) {
          verbose.println("\nEpoch " + (epoch + 1) + ": ReduceLROnPlateau reducing learning rate to " + lowered + ".");
        }
        cooldownCounter = cooldown;
        wait = 0;
      }
    }
  }
}
