package dev.leibniz.e2e;

import java.util.List;
import org.tensorflow.TensorFlow;

/**
 * Gradients TensorFlow's Python side defines and its C++ registry (what {@code Graph.addGradients}
 * uses) lacks, registered for the oracle checks. Leibniz adds a bias with BiasAdd, whose C++
 * gradient is BiasAddGrad, which has none of its own there; Python's {@code _BiasAddGradGrad}
 * (nn_grad.py) broadcasts the incoming gradient back over the input's shape, as this does.
 */
public final class OracleGradients {
  private OracleGradients() {}

  static {
    TensorFlow.registerCustomGradient("BiasAddGrad", (tf, op, grads) -> List.of(
        tf.broadcastTo(grads.get(0), tf.shape(op.input(0)))));
  }

  /** Registers them (once per JVM: the first call runs the registration). */
  public static void register() {}
}
