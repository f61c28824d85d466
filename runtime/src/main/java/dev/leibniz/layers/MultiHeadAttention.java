package dev.leibniz.layers;

import static dev.leibniz.dsl.Ops.add;
import static dev.leibniz.dsl.Ops.addWeight;
import static dev.leibniz.dsl.Ops.dropout;
import static dev.leibniz.dsl.Ops.expandDims;
import static dev.leibniz.dsl.Ops.lowerTriangle;
import static dev.leibniz.dsl.Ops.matmul;
import static dev.leibniz.dsl.Ops.mergeLast;
import static dev.leibniz.dsl.Ops.mul;
import static dev.leibniz.dsl.Ops.onesLike;
import static dev.leibniz.dsl.Ops.reshape;
import static dev.leibniz.dsl.Ops.softmax;
import static dev.leibniz.dsl.Ops.splitLast;
import static dev.leibniz.dsl.Ops.sub;
import static dev.leibniz.dsl.Ops.transpose;

import dev.leibniz.dsl.Build;
import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Init;
import dev.leibniz.dsl.Layer;
import dev.leibniz.dsl.Shape;
import dev.leibniz.dsl.Tensor;
import dev.leibniz.dsl.Variable;
import dev.leibniz.dsl.Weight;

/**
 * Keras's {@code MultiHeadAttention}: {@code query [batch, T, dq]} attends to {@code value
 * [batch, S, dv]} (the key is the value, Keras's default) with {@code numHeads} heads of
 * {@code keyDim}, back to {@code [batch, T, dq]}. Per head, {@code softmax(q k^T / sqrt(keyDim)) v}.
 *
 * <p>Weights in Keras's layout and order: query, key and value kernels {@code [d, numHeads,
 * keyDim]} (value: {@code valueDim}) with biases {@code [numHeads, keyDim]}, the output kernel
 * {@code [numHeads, valueDim, dq]} with bias {@code [dq]}; kernels Glorot-uniform over their input
 * and output units (as Keras's EinsumDense), biases zero. In a weights file they sit under the
 * layer's {@code query_dense}, {@code key_dense}, {@code value_dense} and {@code output_dense}.
 *
 * <p>Masks as Keras's: {@code masked(query, value, valueMask)} takes {@code [batch, S]}, 1 at real
 * steps and 0 at padding (what Keras derives from {@code Embedding(mask_zero=True)});
 * {@code attentionMasked(query, value, attentionMask)} takes Keras's {@code attention_mask}
 * {@code [batch, T, S]}; a masked
 * score gets -1e9 added before the softmax, as Keras's. {@link #withCausalMask()} lets step t
 * attend only to steps up to t (Keras's {@code use_causal_mask=True}). {@link #withDropout(double)}
 * drops attention weights in training steps (Keras's {@code dropout}; 0 by default).
 */
@Layer
public final class MultiHeadAttention {
  /** Keras's large negative number for float32 masks. */
  static final double MASKED = -1e9;

  final int numHeads;
  final int keyDim;
  final int valueDim;
  final boolean causal;
  final double scale;
  /** The rate at which training steps drop attention weights (Keras's {@code dropout}). */
  final double dropoutRate;

  @Weight Variable queryKernel;
  @Weight Variable queryBias;
  @Weight Variable keyKernel;
  @Weight Variable keyBias;
  @Weight Variable valueKernel;
  @Weight Variable valueBias;
  @Weight Variable outputKernel;
  @Weight Variable outputBias;

  public MultiHeadAttention(int numHeads, int keyDim, int valueDim, boolean causal) {
    this(numHeads, keyDim, valueDim, causal, 0.0);
  }

  private MultiHeadAttention(int numHeads, int keyDim, int valueDim, boolean causal, double dropoutRate) {
    if (numHeads <= 0 || keyDim <= 0 || valueDim <= 0) {
      throw new IllegalArgumentException("MultiHeadAttention needs positive numHeads, keyDim and valueDim, got "
          + numHeads + ", " + keyDim + " and " + valueDim);
    }
    if (!(dropoutRate >= 0 && dropoutRate < 1)) {
      throw new IllegalArgumentException("MultiHeadAttention's dropout rate must be in [0, 1), got " + dropoutRate);
    }
    this.dropoutRate = dropoutRate;
    this.numHeads = numHeads;
    this.keyDim = keyDim;
    this.valueDim = valueDim;
    this.causal = causal;
    this.scale = 1 / Math.sqrt(keyDim);
  }

  /** Keras's {@code MultiHeadAttention(num_heads, key_dim)}: values of {@code keyDim} per head, no causal mask. */
  public MultiHeadAttention(int numHeads, int keyDim) {
    this(numHeads, keyDim, keyDim, false);
  }

  /** This layer's configuration with the causal mask on (a new, unbuilt layer). */
  public MultiHeadAttention withCausalMask() {
    return new MultiHeadAttention(numHeads, keyDim, valueDim, true, dropoutRate);
  }

  /** This layer's configuration dropping attention weights at {@code rate} in training (a new, unbuilt layer). */
  public MultiHeadAttention withDropout(double rate) {
    return new MultiHeadAttention(numHeads, keyDim, valueDim, causal, rate);
  }

  @Build
  void build(Shape query, Shape value) {
    if (query.rank() != 3 || value.rank() != 3 || query.last() < 0 || value.last() < 0) {
      throw new IllegalArgumentException("MultiHeadAttention expects query [batch, T, features] and value [batch, S,"
          + " features] with known features, got " + query + " and " + value);
    }
    long dq = query.last();
    long dv = value.last();
    queryKernel = addWeight("query_kernel", Shape.of(dq, numHeads, keyDim), glorot(dq, numHeads * keyDim));
    queryBias = addWeight("query_bias", Shape.of(numHeads, keyDim), Init.ZEROS);
    keyKernel = addWeight("key_kernel", Shape.of(dv, numHeads, keyDim), glorot(dv, numHeads * keyDim));
    keyBias = addWeight("key_bias", Shape.of(numHeads, keyDim), Init.ZEROS);
    valueKernel = addWeight("value_kernel", Shape.of(dv, numHeads, valueDim), glorot(dv, numHeads * valueDim));
    valueBias = addWeight("value_bias", Shape.of(numHeads, valueDim), Init.ZEROS);
    outputKernel = addWeight("attention_output_kernel", Shape.of(numHeads, valueDim, dq),
        glorot(numHeads * valueDim, dq));
    outputBias = addWeight("attention_output_bias", Shape.of(dq), Init.ZEROS);
  }

  /** Glorot-uniform over a kernel's input and output units, as Keras's EinsumDense sets them. */
  private static Init glorot(long fanIn, long fanOut) {
    double limit = Math.sqrt(6.0 / (fanIn + fanOut));
    return Init.uniform(-limit, limit);
  }

  /** Every step of {@code query} attends to every step of {@code value} (earlier ones only with the causal mask). */
  @Call
  public Tensor call(Tensor query, Tensor value) {
    Tensor scores = scores(query, value);
    if (causal) {
      scores = add(scores, mul(sub(1.0, lowerTriangle(onesLike(scores))), MASKED));
    }
    return attend(scores, value);
  }

  /** As {@link #call(Tensor, Tensor)}, with the padding steps of {@code value} (0 in {@code valueMask [batch, S]}) masked. */
  @Call
  public Tensor masked(Tensor query, Tensor value, Tensor valueMask) {
    Tensor scores = scores(query, value);
    Tensor mask = expandDims(expandDims(valueMask, 1), 1);
    if (causal) {
      mask = mul(mask, lowerTriangle(onesLike(scores)));
    }
    return attend(add(scores, mul(sub(1.0, mask), MASKED)), value);
  }

  /**
   * As {@link #call(Tensor, Tensor)} with Keras's {@code attention_mask} {@code [batch, T, S]}: 1 where
   * query step t may attend to value step s, 0 where not (with the causal mask too, where set).
   */
  @Call
  public Tensor attentionMasked(Tensor query, Tensor value, Tensor attentionMask) {
    Tensor scores = scores(query, value);
    Tensor mask = expandDims(attentionMask, 1);
    if (causal) {
      mask = mul(mask, lowerTriangle(onesLike(scores)));
    }
    return attend(add(scores, mul(sub(1.0, mask), MASKED)), value);
  }

  /** Each head's scaled dot products [batch, heads, T, S]. */
  @Call
  Tensor scores(Tensor query, Tensor value) {
    Tensor q = mul(add(splitLast(matmul(query, reshape(queryKernel, -1, numHeads * keyDim)), numHeads, keyDim),
        queryBias), scale);
    Tensor k = add(splitLast(matmul(value, reshape(keyKernel, -1, numHeads * keyDim)), numHeads, keyDim), keyBias);
    return matmul(transpose(q, 0, 2, 1, 3), transpose(k, 0, 2, 3, 1));
  }

  /** The softmax of (masked) scores over the value's steps, the values it weighs, and the output projection. */
  @Call
  Tensor attend(Tensor scores, Tensor value) {
    Tensor v = add(splitLast(matmul(value, reshape(valueKernel, -1, numHeads * valueDim)), numHeads, valueDim),
        valueBias);
    Tensor weights = softmax(scores);
    if (dropoutRate > 0) {
      weights = dropout(weights, dropoutRate);
    }
    Tensor heads = matmul(weights, transpose(v, 0, 2, 1, 3));
    Tensor merged = mergeLast(transpose(heads, 0, 2, 1, 3));
    return add(matmul(merged, reshape(outputKernel, numHeads * valueDim, -1)), outputBias);
  }
}
