package dev.leibniz;

import java.util.List;

/**
 * What {@link Model#gradients} returns, as Keras's GradientTape gives it in a custom training
 * loop: the batch's loss and the gradient of each trainable weight (in {@code getWeights} order,
 * trainable ones only), ready for {@link Model#applyGradients}.
 */
public record LossGradients(Model model, float loss, List<Value> gradients) {
  public LossGradients {
    gradients = List.copyOf(gradients);
  }
}
