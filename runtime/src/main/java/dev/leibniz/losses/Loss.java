package dev.leibniz.losses;

import dev.leibniz.tf.Forward;
import dev.leibniz.tf.FunctionGraph;
import dev.leibniz.tf.Tf;
import java.util.List;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A loss: a compiled DSL function of (targets, predictions) to a scalar, with its generated
 * gradient. {@code sparse} losses take class indices as targets ({@code int[]} labels).
 * Made by {@link Losses}.
 */
public final class Loss {
  private final String name;
  private final FunctionGraph function;
  private final boolean sparse;

  /** A loss from any static {@code @Call} function of (targets, predictions), e.g. {@code MyLosses_Graph.HUBER}. */
  public Loss(String name, FunctionGraph function, boolean sparse) {
    this.name = Objects.requireNonNull(name, "name");
    this.function = Objects.requireNonNull(function, "function");
    this.sparse = sparse;
    if (function.inputs() != 2) {
      throw new IllegalArgumentException("a loss takes (targets, predictions); " + function.name() + " takes "
          + function.inputs() + " inputs");
    }
  }

  /** The Keras name, e.g. "sparse_categorical_crossentropy". */
  public String name() {
    return name;
  }

  /** Whether targets are class indices rather than values shaped like the predictions. */
  public boolean sparse() {
    return sparse;
  }

  /** The loss value and the gradient of the predictions, as one piece of graph. */
  public record Built(Operand<TFloat32> value, Operand<TFloat32> dPredictions) {}

  /** Builds the loss of {@code predictions} and its backward, seeded with {@code seed} (dLoss). */
  public Built build(Tf tf, Operand<TFloat32> targets, Operand<TFloat32> predictions, Operand<TFloat32> seed) {
    Forward forward = function.call(tf, List.of(targets, predictions));
    List<Operand<TFloat32>> grads = function.backward(tf, forward, seed);
    return new Built(forward.output(), grads.get(1));
  }

  @Override
  public String toString() {
    return name;
  }
}
