package dev.leibniz.optimizers;

import dev.leibniz.optimizers.schedules.LearningRateSchedule;

/**
 * Keras's {@code AdamW}: {@link Adam} with decoupled weight decay, {@code w -= lr * weightDecay * w}
 * before each Adam update. Keras defaults: learning rate 0.001, weight decay 0.004, betas 0.9 and
 * 0.999, epsilon 1e-7.
 */
public final class AdamW extends Adam {
  public AdamW(float learningRate, float weightDecay, float beta1, float beta2, float epsilon) {
    super(Rate.of(learningRate), beta1, beta2, epsilon);
    withWeightDecay(weightDecay);
  }

  /** With a learning rate that follows {@code schedule}. */
  public AdamW(LearningRateSchedule schedule, float weightDecay, float beta1, float beta2, float epsilon) {
    super(Rate.of(schedule), beta1, beta2, epsilon);
    withWeightDecay(weightDecay);
  }

  public AdamW(float learningRate) {
    this(learningRate, 0.004f, 0.9f, 0.999f, 1e-7f);
  }

  @Override
  public String name() {
    return "adamw";
  }
}
