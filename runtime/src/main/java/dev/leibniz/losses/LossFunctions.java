package dev.leibniz.losses;

import static dev.leibniz.dsl.Ops.abs;
import static dev.leibniz.dsl.Ops.add;
import static dev.leibniz.dsl.Ops.clip;
import static dev.leibniz.dsl.Ops.div;
import static dev.leibniz.dsl.Ops.lessEqual;
import static dev.leibniz.dsl.Ops.log;
import static dev.leibniz.dsl.Ops.max;
import static dev.leibniz.dsl.Ops.maximum;
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
import static dev.leibniz.dsl.Ops.where;

import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Tensor;

/**
 * The losses, written in the DSL so that their gradients are generated like a model's
 * ({@code LossFunctions_Graph}). Each takes targets and predictions of shape
 * {@code [batch, ..., units]} and returns the loss of each row {@code [batch, ...]} (the mean over
 * the last axis, or the row's cross-entropy), as Keras's loss functions do; {@link Loss} reduces
 * them to Keras's "sum over batch size", with sample weights where given. Formulas follow Keras 3, with its epsilon of 1e-7 where
 * probabilities are clipped before a log.
 */
public final class LossFunctions {
  private LossFunctions() {}

  static final double EPSILON = 1e-7;
  static final double LOG_2 = Math.log(2);

  @Call
  static Tensor meanSquaredError(Tensor yTrue, Tensor yPred) {
    return mean(square(sub(yPred, yTrue)), -1);
  }

  /** Targets one-hot (or any distribution), predictions probabilities: renormalized, then clipped. */
  @Call
  static Tensor categoricalCrossentropy(Tensor yTrue, Tensor yPred) {
    Tensor p = clip(div(yPred, sum(yPred, -1, true)), EPSILON, 1 - EPSILON);
    return neg(sum(mul(yTrue, log(p)), -1));
  }

  /** Targets one-hot (or any distribution), predictions unnormalized log-probabilities (fused kernel). */
  @Call
  static Tensor categoricalCrossentropyFromLogits(Tensor yTrue, Tensor logits) {
    return softmaxCrossEntropy(yTrue, logits);
  }

  /**
   * Targets class indices {@code [batch]}, predictions probabilities {@code [batch, classes]}:
   * clipped, then normalized by the log-softmax of their logs (Keras's order).
   */
  @Call
  static Tensor sparseCategoricalCrossentropy(Tensor labels, Tensor yPred) {
    return sparseSoftmaxCrossEntropy(labels, log(clip(yPred, EPSILON, 1 - EPSILON)));
  }

  @Call
  static Tensor sparseCategoricalCrossentropyFromLogits(Tensor labels, Tensor logits) {
    return sparseSoftmaxCrossEntropy(labels, logits);
  }

  /** Targets 0 or 1, predictions probabilities (clipped to [1e-7, 1 - 1e-7]); mean over the last axis. */
  @Call
  static Tensor binaryCrossentropy(Tensor yTrue, Tensor yPred) {
    Tensor p = clip(yPred, EPSILON, 1 - EPSILON);
    Tensor perValue = add(mul(yTrue, log(p)), mul(sub(1, yTrue), log(sub(1, p))));
    return neg(mean(perValue, -1));
  }

  /** From logits x: softplus(x) - x z, stable for any x and smooth at 0 (TensorFlow's sigmoid form). */
  @Call
  static Tensor binaryCrossentropyFromLogits(Tensor yTrue, Tensor logits) {
    return mean(sub(softplus(logits), mul(logits, yTrue)), -1);
  }

  /** sum(t log(t / p)) over the last axis, both clipped to [1e-7, 1]. */
  @Call
  static Tensor klDivergence(Tensor yTrue, Tensor yPred) {
    Tensor t = clip(yTrue, EPSILON, 1);
    Tensor p = clip(yPred, EPSILON, 1);
    return sum(mul(t, log(div(t, p))), -1);
  }

  /** Minus the cosine of the angle between target and prediction rows (Keras's loss: -1 is best). */
  @Call
  static Tensor cosineSimilarity(Tensor yTrue, Tensor yPred) {
    return neg(sum(mul(l2Normalize(yTrue), l2Normalize(yPred)), -1));
  }

  /**
   * x / |x| over the last axis as Keras 3 computes it, x * min(rsqrt(sum(x^2)), 1 / 1e-7): a zero
   * row stays zero (a helper: private, so inlined, with no graph of its own).
   */
  @Call
  private static Tensor l2Normalize(Tensor x) {
    return mul(x, minimum(rsqrt(sum(square(x), -1, true)), 1 / EPSILON));
  }

  // ---- regression and margin losses (Keras 3's formulas; each a mean over the last axis, then the batch)

  @Call
  static Tensor meanAbsoluteError(Tensor yTrue, Tensor yPred) {
    return mean(abs(sub(yPred, yTrue)), -1);
  }

  /** 100 |t - p| / max(|t|, 1e-7). */
  @Call
  static Tensor meanAbsolutePercentageError(Tensor yTrue, Tensor yPred) {
    return mul(100, mean(abs(div(sub(yTrue, yPred), maximum(abs(yTrue), EPSILON))), -1));
  }

  /** Keras's Huber at its default delta of 1: e^2 / 2 where |e| <= 1, |e| - 1/2 beyond. */
  @Call
  static Tensor huber(Tensor yTrue, Tensor yPred) {
    Tensor error = sub(yPred, yTrue);
    Tensor absError = abs(error);
    return mean(where(lessEqual(absError, 1), mul(0.5, square(error)), sub(absError, 0.5)), -1);
  }

  /** log(cosh(e)) as Keras computes it, stable for large errors: e + softplus(-2 e) - log 2. */
  @Call
  static Tensor logCosh(Tensor yTrue, Tensor yPred) {
    Tensor error = sub(yPred, yTrue);
    return mean(sub(add(error, softplus(mul(-2, error))), LOG_2), -1);
  }

  /** max(1 - t p, 0); targets -1 or 1, or 0 or 1 (as Keras, all 0/1 targets are read as -1/1). */
  @Call
  static Tensor hinge(Tensor yTrue, Tensor yPred) {
    return mean(maximum(sub(1, mul(signedLabels(yTrue), yPred)), 0), -1);
  }

  @Call
  static Tensor squaredHinge(Tensor yTrue, Tensor yPred) {
    return mean(square(maximum(sub(1, mul(signedLabels(yTrue), yPred)), 0)), -1);
  }

  /** max(max((1 - t) p) - sum(t p) + 1, 0) per row: the best wrong class against the target's. */
  @Call
  static Tensor categoricalHinge(Tensor yTrue, Tensor yPred) {
    Tensor positive = sum(mul(yTrue, yPred), -1);
    Tensor negative = max(mul(sub(1, yTrue), yPred), -1);
    return maximum(add(sub(negative, positive), 1), 0);
  }

  /** p - t log(p + 1e-7). */
  @Call
  static Tensor poisson(Tensor yTrue, Tensor yPred) {
    return mean(sub(yPred, mul(yTrue, log(add(yPred, EPSILON)))), -1);
  }

  /** 2 t - 1 when every target is 0 or 1 (Keras's convert_binary_labels_to_hinge), else the targets. */
  @Call
  private static Tensor signedLabels(Tensor yTrue) {
    return where(lessEqual(max(abs(mul(yTrue, sub(1, yTrue)))), 0), sub(mul(2, yTrue), 1), yTrue);
  }
}
