package dev.leibniz.layers;

import static dev.leibniz.dsl.Ops.add;
import static dev.leibniz.dsl.Ops.addWeight;
import static dev.leibniz.dsl.Ops.div;
import static dev.leibniz.dsl.Ops.mean;
import static dev.leibniz.dsl.Ops.mergeLeading;
import static dev.leibniz.dsl.Ops.movingAverage;
import static dev.leibniz.dsl.Ops.mul;
import static dev.leibniz.dsl.Ops.sqrt;
import static dev.leibniz.dsl.Ops.square;
import static dev.leibniz.dsl.Ops.sub;
import static dev.leibniz.dsl.Ops.training;
import static dev.leibniz.dsl.Ops.where;

import dev.leibniz.dsl.Build;
import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Init;
import dev.leibniz.dsl.Layer;
import dev.leibniz.dsl.Shape;
import dev.leibniz.dsl.Tensor;
import dev.leibniz.dsl.Variable;
import dev.leibniz.dsl.Weight;

/**
 * Keras's {@code BatchNormalization} over the last axis: in training steps it normalizes with
 * the batch's mean and (biased) variance and moves the moving statistics toward them
 * ({@code moving = momentum moving + (1 - momentum) batch}); in evaluate, predict and exported
 * models it uses the moving statistics. Then scales by gamma and shifts by beta. Written with
 * primitives, so its gradient (through the batch statistics) is generated.
 */
@Layer
public final class BatchNormalization {
  final double momentum;
  final double epsilon;

  @Weight Variable gamma;
  @Weight Variable beta;
  @Weight Variable movingMean;
  @Weight Variable movingVariance;

  public BatchNormalization(double momentum, double epsilon) {
    if (!(momentum >= 0 && momentum < 1) || !(epsilon > 0)) {
      throw new IllegalArgumentException("BatchNormalization needs momentum in [0, 1) and epsilon > 0, got "
          + momentum + " and " + epsilon);
    }
    this.momentum = momentum;
    this.epsilon = epsilon;
  }

  /** Keras's defaults: momentum 0.99, epsilon 0.001. */
  public BatchNormalization() {
    this(0.99, 1e-3);
  }

  @Build
  void build(Shape input) {
    if (input.rank() < 2 || input.last() < 0) {
      throw new IllegalArgumentException("BatchNormalization expects [batch, ..., channels] with known channels, got"
          + " shape " + input);
    }
    Shape channels = Shape.of(input.last());
    gamma = addWeight("gamma", channels, Init.ONES);
    beta = addWeight("beta", channels, Init.ZEROS);
    movingMean = addWeight("moving_mean", channels, Init.ZEROS, false);
    movingVariance = addWeight("moving_variance", channels, Init.ONES, false);
  }

  @Call
  public Tensor call(Tensor x) {
    Tensor rows = mergeLeading(x);
    Tensor batchMean = mean(rows, 0);
    Tensor batchVariance = mean(square(sub(rows, batchMean)), 0);
    Tensor inTraining = training();
    Tensor m = where(inTraining, movingAverage(movingMean, batchMean, momentum), movingMean);
    Tensor v = where(inTraining, movingAverage(movingVariance, batchVariance, momentum), movingVariance);
    return add(mul(div(sub(x, m), sqrt(add(v, epsilon))), gamma), beta);
  }
}
