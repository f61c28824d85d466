package dev.leibniz.optimizers;

import dev.leibniz.optimizers.schedules.LearningRateSchedule;
import java.util.Locale;

/** The optimizers by Keras name, with Keras's default learning rates. */
public final class Optimizers {
  private Optimizers() {}

  public static SGD sgd(float learningRate) {
    return new SGD(learningRate);
  }

  public static SGD sgd(float learningRate, float momentum, boolean nesterov) {
    return new SGD(learningRate, momentum, nesterov);
  }

  public static RMSprop rmsprop(float learningRate) {
    return new RMSprop(learningRate);
  }

  public static Adam adam(float learningRate) {
    return new Adam(learningRate);
  }

  public static Adagrad adagrad(float learningRate) {
    return new Adagrad(learningRate);
  }

  /** Keras's {@code Adagrad(learning_rate, initial_accumulator_value, epsilon)}. */
  public static Adagrad adagrad(float learningRate, float initialAccumulatorValue, float epsilon) {
    return new Adagrad(learningRate, initialAccumulatorValue, epsilon);
  }

  /** Keras's {@code AdamW}: Adam with decoupled weight decay 0.004. */
  public static AdamW adamw(float learningRate) {
    return new AdamW(learningRate);
  }

  /** SGD (no momentum) at a learning rate that follows {@code schedule}. */
  public static SGD sgd(LearningRateSchedule schedule) {
    return new SGD(schedule, 0, false);
  }

  /** RMSprop with Keras's defaults, at a learning rate that follows {@code schedule}. */
  public static RMSprop rmsprop(LearningRateSchedule schedule) {
    return new RMSprop(schedule, 0.9f, 0f, 1e-7f);
  }

  /** Adam with Keras's defaults, at a learning rate that follows {@code schedule}. */
  public static Adam adam(LearningRateSchedule schedule) {
    return new Adam(schedule, 0.9f, 0.999f, 1e-7f);
  }

  /** AdamW with Keras's defaults, at a learning rate that follows {@code schedule}. */
  public static AdamW adamw(LearningRateSchedule schedule) {
    return new AdamW(schedule, 0.004f, 0.9f, 0.999f, 1e-7f);
  }

  /** Adagrad with Keras's defaults, at a learning rate that follows {@code schedule}. */
  public static Adagrad adagrad(LearningRateSchedule schedule) {
    return new Adagrad(schedule, 0.1f, 1e-7f);
  }

  /** "sgd" (0.01), "rmsprop" (0.001), "adam" (0.001), "adamw" (0.001) or "adagrad" (0.001), with Keras's defaults. */
  public static Optimizer get(String name) {
    if (name == null) {
      throw new IllegalArgumentException("the optimizer's name is null; use a Keras name such as \"adam\"");
    }
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "sgd" -> sgd(0.01f);
      case "rmsprop" -> rmsprop(0.001f);
      case "adam" -> adam(0.001f);
      case "adamw" -> adamw(0.001f);
      case "adagrad" -> adagrad(0.001f);
      default -> throw new IllegalArgumentException("unknown optimizer \"" + name
          + "\"; expected one of [sgd, rmsprop, adam, adamw, adagrad]");
    };
  }
}
