package dev.leibniz.callbacks;

import dev.leibniz.Model;
import java.io.PrintStream;
import java.util.Map;

/**
 * Keras's {@code LearningRateScheduler}: at the start of each epoch, sets the optimizer's learning
 * rate to {@code schedule(epoch, currentRate)} (a variable of the graph: nothing is rebuilt), and
 * logs the rate as "learning_rate". For a rate that changes every step, give the optimizer a
 * {@link dev.leibniz.optimizers.schedules.LearningRateSchedule} instead.
 */
public final class LearningRateScheduler implements Callback {
  /** The rate for an epoch (from 0), given the rate now. */
  @FunctionalInterface
  public interface Schedule {
    double rate(int epoch, double currentRate);
  }

  private final Schedule schedule;
  private final PrintStream verbose;

  public LearningRateScheduler(Schedule schedule) {
    this(schedule, null);
  }

  /** Prints each change to {@code out} as Keras's {@code verbose=1} does. */
  public LearningRateScheduler(Schedule schedule, PrintStream out) {
    if (schedule == null) {
      throw new IllegalArgumentException("LearningRateScheduler needs a schedule, got null");
    }
    this.schedule = schedule;
    this.verbose = out;
  }

  @Override
  public void onTrainBegin(Model model) {
    if (model.optimizer().schedule() != null) {
      throw new IllegalStateException("LearningRateScheduler cannot set the rate of " + model.optimizer()
          + ", which follows a schedule of its own; use one or the other");
    }
  }

  @Override
  public void onEpochBegin(Model model, int epoch) {
    double now = model.learningRate();
    double next = schedule.rate(epoch, now);
    if (!(next > 0) || !Double.isFinite(next)) {
      throw new IllegalArgumentException("the LearningRateScheduler's schedule gave " + next + " for epoch " + epoch
          + " (rate now " + now + "); a learning rate is a positive number");
    }
    model.optimizer().setLearningRate(next);
    if (verbose != null) {
      verbose.println("\nEpoch " + (epoch + 1) + ": LearningRateScheduler setting learning rate to " + next + ".");
    }
  }

  @Override
  public void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {
    logs.put("learning_rate", model.learningRate());
  }
}
