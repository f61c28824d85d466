package dev.leibniz.losses;

import static dev.leibniz.dsl.Ops.add;
import static dev.leibniz.dsl.Ops.clip;
import static dev.leibniz.dsl.Ops.div;
import static dev.leibniz.dsl.Ops.log;
import static dev.leibniz.dsl.Ops.mean;
import static dev.leibniz.dsl.Ops.minimum;
import static dev.leibniz.dsl.Ops.mul;
import static dev.leibniz.dsl.Ops.neg;
import static dev.leibniz.dsl.Ops.rsqrt;
import static dev.leibniz.dsl.Ops.softmaxCrossEntropy;
import static dev.leibniz.dsl.Ops.softplus;
import static dev.leibniz.dsl.Ops.sparseSoftmaxCrossEntropy;
import static dev.leibniz.dsl.Ops.square;
import static dev.leibniz.dsl.Ops.sub;
import static dev.leibniz.dsl.Ops.sum;

import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Tensor;

/**
 * The losses, written in the DSL so that their gradients are generated like a model's
 * ({@code LossFunctions_Graph}). Each takes targets and predictions of shape
 * {@code [batch, ...]} and returns the mean over the batch of the per-sample loss (Keras's
 * "sum over batch size" reduction). Formulas follow Keras 3, with its epsilon of 1e-7 where
 * probabilities are clipped before a log.
 */
public final class LossFunctions {
  private LossFunctions() {}

  static final double EPSILON = 1e-7;

  @Call
  static Tensor meanSquaredError(Tensor yTrue, Tensor yPred) {
    return mean(square(sub(yPred, yTrue)));
  }

  /** Targets one-hot (or any distribution), predictions probabilities: renormalized, then clipped. */
  @Call
  static Tensor categoricalCrossentropy(Tensor yTrue, Tensor yPred) {
    Tensor p = clip(div(yPred, sum(yPred, -1, true)), EPSILON, 1 - EPSILON);
    return neg(mean(sum(mul(yTrue, log(p)), -1)));
  }

  /** Targets one-hot (or any distribution), predictions unnormalized log-probabilities (fused kernel). */
  @Call
  static Tensor categoricalCrossentropyFromLogits(Tensor yTrue, Tensor logits) {
    return mean(softmaxCrossEntropy(yTrue, logits));
  }

  /**
   * Targets class indices {@code [batch]}, predictions probabilities {@code [batch, classes]}:
   * clipped, then normalized by the log-softmax of their logs (Keras's order).
   */
  @Call
  static Tensor sparseCategoricalCrossentropy(Tensor labels, Tensor yPred) {
    return mean(sparseSoftmaxCrossEntropy(labels, log(clip(yPred, EPSILON, 1 - EPSILON))));
  }

  @Call
  static Tensor sparseCategoricalCrossentropyFromLogits(Tensor labels, Tensor logits) {
    return mean(sparseSoftmaxCrossEntropy(labels, logits));
  }

  /** Targets 0 or 1, predictions probabilities (clipped to [1e-7, 1 - 1e-7]); mean over the last axis. */
  @Call
  static Tensor binaryCrossentropy(Tensor yTrue, Tensor yPred) {
    Tensor p = clip(yPred, EPSILON, 1 - EPSILON);
    Tensor perValue = add(mul(yTrue, log(p)), mul(sub(1, yTrue), log(sub(1, p))));
    return neg(mean(perValue));
  }

  /** From logits x: softplus(x) - x z, stable for any x and smooth at 0 (TensorFlow's sigmoid form). */
  @Call
  static Tensor binaryCrossentropyFromLogits(Tensor yTrue, Tensor logits) {
    return mean(sub(softplus(logits), mul(logits, yTrue)));
  }

  /** sum(t log(t / p)) over the last axis, both clipped to [1e-7, 1]. */
  @Call
  static Tensor klDivergence(Tensor yTrue, Tensor yPred) {
    Tensor t = clip(yTrue, EPSILON, 1);
    Tensor p = clip(yPred, EPSILON, 1);
    return mean(sum(mul(t, log(div(t, p))), -1));
  }

  /** Minus the cosine of the angle between target and prediction rows (Keras's loss: -1 is best). */
  @Call
  static Tensor cosineSimilarity(Tensor yTrue, Tensor yPred) {
    return neg(mean(sum(mul(l2Normalize(yTrue), l2Normalize(yPred)), -1)));
  }

  /**
   * x / |x| over the last axis as Keras 3 computes it, x * min(rsqrt(sum(x^2)), 1 / 1e-7): a zero
   * row stays zero (a helper: private, so inlined, with no graph of its own).
   */
  @Call
  private static Tensor l2Normalize(Tensor x) {
    return mul(x, minimum(rsqrt(sum(square(x), -1, true)), 1 / EPSILON));
  }
}
