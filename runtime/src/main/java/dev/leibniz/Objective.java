package dev.leibniz;

import dev.leibniz.optimizers.Optimizer;
import dev.leibniz.tf.LayerGraph;
import java.util.List;
import java.util.Objects;

/**
 * One part of a custom training step (Keras's overridden {@code train_step}): a loss method of a
 * {@code @Model} object, minimized by an optimizer over the weights of some of its layers. A GAN
 * is two: the discriminator's loss over the discriminator's weights, the generator's over the
 * generator's. Each loss method is an instance {@code @Call} of the model, taking the same inputs
 * as its {@code call} (what fit feeds), generated as {@code <Model>_Graph.<METHOD_NAME>}; its
 * backward is generated like any other. See {@link Model#compile(Objective...)}.
 */
public record Objective(String name, LayerGraph<?> loss, Optimizer optimizer, List<Object> layers) {
  public Objective {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(loss, "loss");
    Objects.requireNonNull(optimizer, "optimizer");
    layers = List.copyOf(layers);
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("objective " + name + " trains no layer: name the layers whose weights it"
          + " moves");
    }
  }

  /** Minimize {@code loss} (logged as {@code name}) with {@code optimizer}, moving the weights of {@code layers} only. */
  public static Objective minimize(String name, LayerGraph<?> loss, Optimizer optimizer, Object... layers) {
    return new Objective(name, loss, optimizer, List.of(layers));
  }
}
