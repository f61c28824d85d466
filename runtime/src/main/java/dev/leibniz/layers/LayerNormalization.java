package dev.leibniz.layers;

import static dev.leibniz.dsl.Ops.add;
import static dev.leibniz.dsl.Ops.addWeight;
import static dev.leibniz.dsl.Ops.mean;
import static dev.leibniz.dsl.Ops.mul;
import static dev.leibniz.dsl.Ops.rsqrt;
import static dev.leibniz.dsl.Ops.square;
import static dev.leibniz.dsl.Ops.sub;

import dev.leibniz.dsl.Build;
import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Init;
import dev.leibniz.dsl.Layer;
import dev.leibniz.dsl.Shape;
import dev.leibniz.dsl.Tensor;
import dev.leibniz.dsl.Variable;
import dev.leibniz.dsl.Weight;

/**
 * Keras's {@code LayerNormalization} over the last axis: each sample's features to mean 0 and
 * variance 1 ({@code (x - mean) * rsqrt(variance + epsilon)}, epsilon 1e-3), then scaled by
 * gamma (ones) and shifted by beta (zeros), Keras's weights in Keras's order. The same in
 * training and inference.
 */
@Layer
public final class LayerNormalization {
  final double epsilon;
  @Weight Variable gamma;
  @Weight Variable beta;

  public LayerNormalization(double epsilon) {
    if (!(epsilon > 0)) {
      throw new IllegalArgumentException("LayerNormalization's epsilon is positive, got " + epsilon);
    }
    this.epsilon = epsilon;
  }

  public LayerNormalization() {
    this(1e-3);
  }

  @Build
  void build(Shape input) {
    if (input.rank() < 2 || input.last() < 0) {
      throw new IllegalArgumentException("LayerNormalization expects [batch, ..., features] with known features, got "
          + input);
    }
    gamma = addWeight("gamma", Shape.of(input.last()), Init.ONES);
    beta = addWeight("beta", Shape.of(input.last()), Init.ZEROS);
  }

  @Call(order = 2)
  public Tensor call(Tensor x) {
    Tensor centered = sub(x, mean(x, -1, true));
    Tensor variance = mean(square(centered), -1, true);
    return add(mul(mul(centered, rsqrt(add(variance, epsilon))), gamma), beta);
  }
}
