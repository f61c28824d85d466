package dev.leibniz.e2e;

import static dev.leibniz.dsl.Ops.*;

import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Padding;
import dev.leibniz.dsl.Tensor;

/** One static @Call per row of the gradient-check table: each op alone, broadcasting included. */
final class GradFns {
  private GradFns() {}

  @Call(order = 2) static Tensor addBroadcast(Tensor a, Tensor b) { return add(a, b); }
  @Call(order = 2) static Tensor subColumn(Tensor a, Tensor b) { return sub(a, b); }
  @Call(order = 2) static Tensor mulBroadcast(Tensor a, Tensor b) { return mul(a, b); }
  @Call(order = 2) static Tensor divBroadcast(Tensor a, Tensor b) { return div(a, b); }
  @Call(order = 2) static Tensor scalarSides(Tensor x) { return div(sub(2.0, mul(x, 1.5)), add(x, 3.0)); }
  @Call(order = 2) static Tensor negate(Tensor x) { return neg(x); }
  @Call(order = 2) static Tensor matmul2(Tensor a, Tensor b) { return matmul(a, b); }
  @Call(order = 2) static Tensor squared(Tensor x) { return square(x); }
  @Call(order = 2) static Tensor root(Tensor x) { return sqrt(x); }
  @Call(order = 2) static Tensor exponential(Tensor x) { return exp(x); }
  @Call(order = 2) static Tensor logarithm(Tensor x) { return log(x); }
  @Call(order = 2) static Tensor cube(Tensor x) { return pow(x, 3); }
  @Call(order = 2) static Tensor hyperbolic(Tensor x) { return tanh(x); }
  @Call(order = 2) static Tensor logistic(Tensor x) { return sigmoid(x); }
  @Call(order = 2) static Tensor rectified(Tensor x) { return relu(x); }
  @Call(order = 2) static Tensor softmaxWeighted(Tensor x, Tensor w) { return mul(softmax(x), w); }
  @Call(order = 2) static Tensor logSoftmaxWeighted(Tensor x, Tensor w) { return mul(logSoftmax(x), w); }
  @Call(order = 2) static Tensor sumAll(Tensor x) { return sum(square(x)); }
  @Call(order = 2) static Tensor sumRowsKeep(Tensor x) { return mul(sum(x, 1, true), x); }
  @Call(order = 2) static Tensor sumAxes(Tensor x) { return square(sum(x, new int[] {0, 2}, false)); }
  @Call(order = 2) static Tensor meanAll(Tensor x) { return mean(exp(x)); }
  @Call(order = 2) static Tensor meanColumns(Tensor x) { return square(mean(x, 0)); }
  @Call(order = 2) static Tensor reshaped(Tensor x) { return mul(reshape(x, 3, 4), reshape(x, -1, 4)); }
  @Call(order = 2) static Tensor transposed(Tensor x, Tensor y) { return matmul(transpose(x), y); }
  // A sequence's every step times a matrix: [2,3,4] x [4,2].
  @Call(order = 2) static Tensor stepwise(Tensor seq, Tensor w) { return square(matmul(seq, w)); }
  @Call(order = 2) static Tensor batchedProduct(Tensor a, Tensor b) { return square(matmul(a, b)); }
  @Call(order = 2) static Tensor causal(Tensor x) { return square(lowerTriangle(x)); }
  @Call(order = 2) static Tensor positioned(Tensor table, Tensor x) { return mul(x, square(firstRows(table, x))); }
  @Call(order = 2) static Tensor reversed(Tensor x) { return mul(reverse(x, 1), x); }
  // A layer on every step of a sequence (TimeDistributed): [2,3,4] as [6,4], x [4,2], back to [2,3,2].
  @Call(order = 2) static Tensor everyStep(Tensor seq, Tensor w) { return splitFirst(square(matmul(mergeFirst(seq), w)), seq); }
  // Attention's scores and heads: q k^T per (batch, head), heads split from and merged into features.
  @Call(order = 2) static Tensor scores(Tensor q, Tensor k) {
    Tensor qh = transpose(splitLast(q, 2, 2), 0, 2, 1, 3);
    Tensor kh = transpose(splitLast(k, 2, 2), 0, 2, 3, 1);
    return mergeLast(transpose(square(matmul(qh, kh)), 0, 2, 1, 3));
  }
  @Call(order = 2) static Tensor permuted(Tensor x) { return square(transpose(x, 1, 2, 0)); }
  @Call(order = 2) static Tensor withConstants(Tensor x) { return add(mul(x, ones(2, 3)), mul(zerosLike(x), onesLike(x))); }
  @Call(order = 2) static Tensor absolute(Tensor x) { return mul(abs(x), x); }
  @Call(order = 2) static Tensor maxMin(Tensor x) { return add(maximum(x, 0.1), mul(minimum(x, -0.1), x)); }
  // Inputs are at least 0.2 from zero: every one is outside [-0.1, 0.1] and inside [-5, 5], away from the kinks.
  @Call(order = 2) static Tensor clipped(Tensor x) { return add(mul(clip(x, -0.1, 0.1), x), square(clip(x, -5, 5))); }
  @Call(order = 2) static Tensor flattened(Tensor x) { return square(flatten(x)); }
  @Call(order = 2) static Tensor oneHotWeighted(Tensor labels, Tensor x) { return mul(oneHot(labels, x), square(x)); }
  @Call(order = 2) static Tensor usedTwice(Tensor x) { return mul(tanh(x), add(x, sigmoid(x))); }

  @Call(order = 2) static Tensor inverseRoot(Tensor x) { return rsqrt(x); }
  @Call(order = 2) static Tensor smoothRelu(Tensor x) { return softplus(x); }
  @Call(order = 2) static Tensor maxMinTensors(Tensor a, Tensor b) { return mul(maximum(a, b), minimum(b, a)); }
  // Labels made a distribution: the fused kernel's gradient of the logits, softmax - labels, assumes one.
  @Call(order = 2) static Tensor crossEntropy(Tensor scores, Tensor logits) {
    return softmaxCrossEntropy(softmax(scores), logits);
  }
  @Call(order = 2) static Tensor sparseCrossEntropy(Tensor logits, Tensor labels) {
    return sparseSoftmaxCrossEntropy(labels, logits);
  }

  // ---- at kinks, ties and infinities (checked to first order: TensorFlow's conventions are the oracle)
  @Call(order = 2) static Tensor maxTensors(Tensor a, Tensor b) { return maximum(a, b); }
  @Call(order = 2) static Tensor minTensors(Tensor a, Tensor b) { return minimum(a, b); }
  @Call(order = 2) static Tensor clipUnit(Tensor x) { return clip(x, -1, 1); }
  @Call(order = 2) static Tensor guardedRoot(Tensor x) { return where(greater(x, 0.0), sqrt(x), 0.0); }
  @Call(order = 2) static Tensor absoluteAlone(Tensor x) { return abs(x); }
  @Call(order = 2) static Tensor maxAlone(Tensor x) { return max(x, 1); }

  // ---- convnets, selection, indexing, training mode
  @Call(order = 2) static Tensor convValid(Tensor x, Tensor k) { return conv2d(x, k); }
  @Call(order = 2) static Tensor convSameStrided(Tensor x, Tensor k) { return conv2d(x, k, 2, 1, Padding.SAME); }
  @Call(order = 2) static Tensor maxPooled(Tensor x) { return maxPool(x, 2); }
  @Call(order = 2) static Tensor maxed(Tensor x) { return add(square(max(x, 1)), max(x)); }
  @Call(order = 2) static Tensor maxPooledSame(Tensor x) { return square(maxPool(x, 3, 2, 2, 1, Padding.SAME)); }
  @Call(order = 2) static Tensor avgPooled(Tensor x) { return square(avgPool(x, 2)); }
  @Call(order = 2) static Tensor avgPooledSame(Tensor x) { return square(avgPool(x, 3, 3, 2, 2, Padding.SAME)); }
  @Call(order = 2) static Tensor biased(Tensor x, Tensor b) { return square(biasAdd(x, b)); }
  @Call(order = 2) static Tensor convTransposed(Tensor x, Tensor k) { return square(conv2dTranspose(x, k, 2, 2, Padding.SAME)); }
  @Call(order = 2) static Tensor convTransposedValid(Tensor x, Tensor k) { return conv2dTranspose(x, k, 2, 1, Padding.VALID); }
  @Call(order = 2) static Tensor upSampled(Tensor x) { return square(upSample2d(x, 2, 3)); }
  @Call(order = 2) static Tensor leaky(Tensor x) { return mul(leakyRelu(x, 0.2), x); }
  // The draw has no gradient: x * noise is linear in x with the noise as its slope.
  @Call(order = 2) static Tensor noisy(Tensor x) { return mul(x, randomNormal(x)); }
  @Call(order = 2) static Tensor droppedOut(Tensor x) { return mul(dropout(x, 0.4), x); }
  @Call(order = 2) static Tensor selected(Tensor a, Tensor b) { return where(greater(a, 0.0), square(a), mul(b, a)); }
  @Call(order = 2) static Tensor selectedLess(Tensor a) { return where(less(a, 0.0), 2.0, mul(a, a)); }
  @Call(order = 2) static Tensor gathered(Tensor params, Tensor ids) { return square(gather(params, ids)); }
  @Call(order = 2) static Tensor concatenated(Tensor a, Tensor b) { return mul(concat(a, b, 1), concat(b, a, -1)); }
  @Call(order = 2) static Tensor sliced(Tensor x) { return square(slice(x, 1, 1, 3)); }
  @Call(order = 2) static Tensor taken(Tensor x) { return mul(take(x, 1, 2), take(x, 1, 0)); }
  @Call(order = 2) static Tensor batchSliced(Tensor x) { return mul(slice(x, 0, 1, 3), take(x, 0, 0)); }
  // Slices of one tensor side by side, as an LSTM's gates: their gradients join into one concat
  // ([0,2) and [2,4) cover axis 1; the overlapping [1,3) is added); along the batch axis [0,1),
  // [1,2), [2,3) join and pad the fourth row.
  @Call(order = 2) static Tensor slicesJoined(Tensor x) {
    return add(square(slice(x, 1, 1, 3)), mul(sigmoid(slice(x, 1, 2, 4)), tanh(slice(x, 1, 0, 2))));
  }
  @Call(order = 2) static Tensor batchSlicesJoined(Tensor x) {
    return add(slice(x, 0, 0, 1), mul(slice(x, 0, 1, 2), slice(x, 0, 2, 3)));
  }
  @Call(order = 2) static Tensor expanded(Tensor x) { return mul(expandDims(x, 1), expandDims(x, -1)); }
  // Batch normalization in training (BatchNormalization's formula, without the moving statistics):
  // the gradient flows through the batch mean and variance.
  @Call(order = 2) static Tensor batchNormalized(Tensor x, Tensor gamma) {
    Tensor rows = mergeLeading(x);
    Tensor m = mean(rows, 0);
    Tensor v = mean(square(sub(rows, m)), 0);
    return mul(div(sub(x, m), sqrt(add(v, 0.001))), gamma);
  }
}
