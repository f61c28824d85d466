package dev.leibniz.layers;

import static dev.leibniz.dsl.Ops.relu;
import static dev.leibniz.dsl.Ops.sigmoid;
import static dev.leibniz.dsl.Ops.softmax;
import static dev.leibniz.dsl.Ops.tanh;

import dev.leibniz.dsl.Activations;
import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Layer;
import dev.leibniz.dsl.Tensor;
import java.util.Objects;

/** Keras's {@code Activation}: applies one activation function; no weights. */
@Layer
public final class Activation {
  final Activations activation;

  public Activation(Activations activation) {
    this.activation = Objects.requireNonNull(activation, "activation");
  }

  /** By Keras name: "relu", "sigmoid", "tanh", "softmax", "linear". */
  public Activation(String activation) {
    this(Activations.of(activation));
  }

  public Activations activation() {
    return activation;
  }

  @Call(order = 2)
  public Tensor call(Tensor x) {
    Tensor y = x;
    if (activation == Activations.RELU) {
      y = relu(x);
    } else if (activation == Activations.SIGMOID) {
      y = sigmoid(x);
    } else if (activation == Activations.TANH) {
      y = tanh(x);
    } else if (activation == Activations.SOFTMAX) {
      y = softmax(x);
    }
    return y;
  }
}
