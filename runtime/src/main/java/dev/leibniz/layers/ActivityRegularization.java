package dev.leibniz.layers;

import static dev.leibniz.dsl.Ops.abs;
import static dev.leibniz.dsl.Ops.add;
import static dev.leibniz.dsl.Ops.addLoss;
import static dev.leibniz.dsl.Ops.mean;
import static dev.leibniz.dsl.Ops.mul;
import static dev.leibniz.dsl.Ops.square;
import static dev.leibniz.dsl.Ops.sum;

import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Layer;
import dev.leibniz.dsl.Regularizer;
import dev.leibniz.dsl.Tensor;
import java.util.Objects;

/**
 * Keras's {@code ActivityRegularization(l1, l2)}: passes its input through and adds
 * {@code (l1 * sum(|x|) + l2 * sum(x^2)) / batchSize} to the loss (Keras 3 divides an activity
 * penalty by the batch size), its gradient generated like the rest. What
 * {@code Dense.activityRegularizer} puts after the layer's activation.
 */
@Layer
public final class ActivityRegularization {
  final double l1;
  final double l2;

  public ActivityRegularization(double l1, double l2) {
    this(new Regularizer(l1, l2));
  }

  public ActivityRegularization(Regularizer regularizer) {
    Objects.requireNonNull(regularizer, "regularizer");
    this.l1 = regularizer.l1();
    this.l2 = regularizer.l2();
  }

  @Call(order = 2)
  public Tensor call(Tensor x) {
    // the mean over the batch axis, summed: the sum over the batch size
    Tensor penalty = add(mul(l1, sum(mean(abs(x), 0))), mul(l2, sum(mean(square(x), 0))));
    return addLoss(x, penalty);
  }
}
