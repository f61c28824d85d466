package dev.leibniz.dsl;

/**
 * The op functions a {@link Call} body is written in ({@code import static
 * dev.leibniz.dsl.Ops.*}). They are read by the annotation processor, which generates the
 * graph and its gradient; calling one at run time is a mistake and says so.
 *
 * <p>Binary ops broadcast as NumPy does, and take a Java number on either side. Axes may be
 * negative, counting from the end.
 */
public final class Ops {
  private Ops() {}

  // ---- weights (in @Build, not in @Call)

  /** A trainable weight; assign it to a {@link Weight} field in {@link Build}. */
  public static Variable addWeight(String name, Shape shape, Init init) {
    return new Variable(name, shape, init, true, null, null);
  }

  /** A weight the optimizer does not change (a moving average, a frozen embedding). */
  public static Variable addWeight(String name, Shape shape, Init init, boolean trainable) {
    return new Variable(name, shape, init, trainable, null, null);
  }

  /**
   * A trainable weight projected by {@code constraint} after every optimizer step and penalized
   * by {@code regularizer} in the loss (either null: none), as Keras's {@code add_weight(...,
   * constraint=, regularizer=)}.
   */
  public static Variable addWeight(String name, Shape shape, Init init, Constraint constraint,
      Regularizer regularizer) {
    return new Variable(name, shape, init, true, constraint, regularizer);
  }

  // ---- arithmetic, broadcasting

  public static Tensor add(Tensor a, Tensor b) {
    throw outsideGraph("add");
  }

  public static Tensor add(Tensor a, double b) {
    throw outsideGraph("add");
  }

  public static Tensor add(double a, Tensor b) {
    throw outsideGraph("add");
  }

  public static Tensor sub(Tensor a, Tensor b) {
    throw outsideGraph("sub");
  }

  public static Tensor sub(Tensor a, double b) {
    throw outsideGraph("sub");
  }

  public static Tensor sub(double a, Tensor b) {
    throw outsideGraph("sub");
  }

  public static Tensor mul(Tensor a, Tensor b) {
    throw outsideGraph("mul");
  }

  public static Tensor mul(Tensor a, double b) {
    throw outsideGraph("mul");
  }

  public static Tensor mul(double a, Tensor b) {
    throw outsideGraph("mul");
  }

  public static Tensor div(Tensor a, Tensor b) {
    throw outsideGraph("div");
  }

  public static Tensor div(Tensor a, double b) {
    throw outsideGraph("div");
  }

  public static Tensor div(double a, Tensor b) {
    throw outsideGraph("div");
  }

  public static Tensor neg(Tensor x) {
    throw outsideGraph("neg");
  }

  // ---- linear algebra

  /** Matrix product of two rank-2 tensors: [n, k] x [k, m] -> [n, m]. */
  public static Tensor matmul(Tensor a, Tensor b) {
    throw outsideGraph("matmul");
  }

  // ---- elementwise functions

  public static Tensor square(Tensor x) {
    throw outsideGraph("square");
  }

  public static Tensor sqrt(Tensor x) {
    throw outsideGraph("sqrt");
  }

  /** 1 / sqrt(x); inf at 0. */
  public static Tensor rsqrt(Tensor x) {
    throw outsideGraph("rsqrt");
  }

  public static Tensor exp(Tensor x) {
    throw outsideGraph("exp");
  }

  /** Natural logarithm. */
  public static Tensor log(Tensor x) {
    throw outsideGraph("log");
  }

  /** {@code x} to a constant power (a literal, or a number field of the layer). */
  public static Tensor pow(Tensor x, double exponent) {
    throw outsideGraph("pow");
  }

  public static Tensor tanh(Tensor x) {
    throw outsideGraph("tanh");
  }

  public static Tensor sigmoid(Tensor x) {
    throw outsideGraph("sigmoid");
  }

  /** log(1 + exp(x)), computed stably for large |x|. */
  public static Tensor softplus(Tensor x) {
    throw outsideGraph("softplus");
  }

  public static Tensor relu(Tensor x) {
    throw outsideGraph("relu");
  }

  /** {@code x} where positive, else {@code alpha x} (Keras's LeakyReLU; its default slope is 0.3). */
  public static Tensor leakyRelu(Tensor x, double alpha) {
    throw outsideGraph("leakyRelu");
  }

  /** Softmax over the last axis. */
  public static Tensor softmax(Tensor x) {
    throw outsideGraph("softmax");
  }

  /** Log of the softmax over the last axis, computed stably. */
  public static Tensor logSoftmax(Tensor x) {
    throw outsideGraph("logSoftmax");
  }

  // ---- piecewise: TensorFlow's kernels, and TensorFlow's derivatives at the kinks

  /** |x|; its derivative at 0 is 0 (sign(0)). */
  public static Tensor abs(Tensor x) {
    throw outsideGraph("abs");
  }

  /** -1, 0 or 1; no gradient. */
  public static Tensor sign(Tensor x) {
    throw outsideGraph("sign");
  }

  /** Elementwise maximum, broadcasting; at a tie the gradient goes to {@code a}. */
  public static Tensor maximum(Tensor a, Tensor b) {
    throw outsideGraph("maximum");
  }

  public static Tensor maximum(Tensor a, double b) {
    throw outsideGraph("maximum");
  }

  /** Elementwise minimum, broadcasting; at a tie the gradient goes to {@code a}. */
  public static Tensor minimum(Tensor a, Tensor b) {
    throw outsideGraph("minimum");
  }

  public static Tensor minimum(Tensor a, double b) {
    throw outsideGraph("minimum");
  }

  /**
   * {@code x} limited to {@code [lo, hi]} (TensorFlow's clip_by_value); the gradient passes where
   * {@code lo <= x <= hi}, bounds included, and is zero strictly outside.
   */
  public static Tensor clip(Tensor x, double lo, double hi) {
    throw outsideGraph("clip");
  }

  // ---- labels

  /**
   * One-hot rows for class indices: {@code labels} of shape [n] (integers held as floats) gives
   * [n, k], with k the last dimension of {@code like} (the predictions). Not differentiable in
   * either input (its gradients are zero).
   */
  public static Tensor oneHot(Tensor labels, Tensor like) {
    throw outsideGraph("oneHot");
  }

  // ---- cross-entropies (TensorFlow's fused kernels)

  /**
   * Per row, {@code -sum(labels * logSoftmax(logits))} over the last axis: {@code labels} a
   * distribution shaped like {@code logits}; the result has the logits' shape without its last
   * axis. Differentiable in both.
   */
  public static Tensor softmaxCrossEntropy(Tensor labels, Tensor logits) {
    throw outsideGraph("softmaxCrossEntropy");
  }

  /**
   * Per row, {@code -logSoftmax(logits)[label]}: {@code labels} class indices (integers held as
   * floats) shaped like {@code logits} without its last axis. An index outside [0, classes) is a
   * run-time error. Differentiable in the logits.
   */
  public static Tensor sparseSoftmaxCrossEntropy(Tensor labels, Tensor logits) {
    throw outsideGraph("sparseSoftmaxCrossEntropy");
  }

  // ---- reductions

  /** Sum of all elements: a scalar. */
  public static Tensor sum(Tensor x) {
    throw outsideGraph("sum");
  }

  public static Tensor sum(Tensor x, int axis) {
    throw outsideGraph("sum");
  }

  public static Tensor sum(Tensor x, int axis, boolean keepDims) {
    throw outsideGraph("sum");
  }

  /** Sum over several axes: {@code sum(x, new int[] {0, 1}, false)}. */
  public static Tensor sum(Tensor x, int[] axes, boolean keepDims) {
    throw outsideGraph("sum");
  }

  /** Maximum of all elements: a scalar. The gradient goes to the maximum, shared among ties. */
  public static Tensor max(Tensor x) {
    throw outsideGraph("max");
  }

  public static Tensor max(Tensor x, int axis) {
    throw outsideGraph("max");
  }

  public static Tensor max(Tensor x, int axis, boolean keepDims) {
    throw outsideGraph("max");
  }

  public static Tensor max(Tensor x, int[] axes, boolean keepDims) {
    throw outsideGraph("max");
  }

  /** Mean of all elements: a scalar. */
  public static Tensor mean(Tensor x) {
    throw outsideGraph("mean");
  }

  public static Tensor mean(Tensor x, int axis) {
    throw outsideGraph("mean");
  }

  public static Tensor mean(Tensor x, int axis, boolean keepDims) {
    throw outsideGraph("mean");
  }

  public static Tensor mean(Tensor x, int[] axes, boolean keepDims) {
    throw outsideGraph("mean");
  }

  // ---- shapes

  /** Same elements in a new shape; one dimension may be -1, inferred from the size. */
  public static Tensor reshape(Tensor x, long... shape) {
    throw outsideGraph("reshape");
  }

  /** Keeps the first (batch) axis and flattens the others: [n, a, b, ...] -> [n, a * b * ...]. */
  public static Tensor flatten(Tensor x) {
    throw outsideGraph("flatten");
  }

  /** Keeps the last axis and merges the others: [a, b, ..., c] -> [a * b * ..., c] (per-channel statistics). */
  public static Tensor mergeLeading(Tensor x) {
    throw outsideGraph("mergeLeading");
  }

  /** The last axis split in two: [..., a * b] to [..., a, b] (attention's heads). */
  public static Tensor splitLast(Tensor x, int a, int b) {
    throw outsideGraph("splitLast");
  }

  /** The last two axes merged: [..., a, b] to [..., a * b]. */
  public static Tensor mergeLast(Tensor x) {
    throw outsideGraph("mergeLast");
  }

  /**
   * {@code x} with the entries above the diagonal of its last two axes set to 0 ({@code [..., i, j]}
   * kept where {@code j <= i}): {@code lowerTriangle(onesLike(scores))} is attention's causal mask.
   */
  public static Tensor lowerTriangle(Tensor x) {
    throw outsideGraph("lowerTriangle");
  }

  /**
   * The first rows of {@code table} ({@code [rows, ...]}), one per step of {@code like}
   * ({@code [batch, steps, ...]}): {@code [steps, ...]}, the steps counted when the graph runs. A
   * position embedding's rows for sequences of any length up to {@code rows}.
   */
  public static Tensor firstRows(Tensor table, Tensor like) {
    throw outsideGraph("firstRows");
  }

  /** {@code x} with its entries along {@code axis} in reverse order: a sequence read from its end. */
  public static Tensor reverse(Tensor x, int axis) {
    throw outsideGraph("reverse");
  }

  /** A new axis of size 1 at {@code axis} (negative: from the end of the result). */
  public static Tensor expandDims(Tensor x, int axis) {
    throw outsideGraph("expandDims");
  }

  /** Reverses the axes (for a matrix: the transpose). */
  public static Tensor transpose(Tensor x) {
    throw outsideGraph("transpose");
  }

  /** Permutes the axes: output axis i is input axis {@code perm[i]}. */
  public static Tensor transpose(Tensor x, int... perm) {
    throw outsideGraph("transpose");
  }

  // ---- selection and indexing

  /** Where {@code mask} is nonzero {@code a}, else {@code b} (broadcasting); the mask gets no gradient. */
  public static Tensor where(Tensor mask, Tensor a, Tensor b) {
    throw outsideGraph("where");
  }

  public static Tensor where(Tensor mask, Tensor a, double b) {
    throw outsideGraph("where");
  }

  public static Tensor where(Tensor mask, double a, Tensor b) {
    throw outsideGraph("where");
  }

  /** 1 where {@code a > b}, else 0 (broadcasting): a mask for {@link #where}, with no gradient. */
  public static Tensor greater(Tensor a, Tensor b) {
    throw outsideGraph("greater");
  }

  public static Tensor greater(Tensor a, double b) {
    throw outsideGraph("greater");
  }

  /** 1 where {@code a < b}, else 0. */
  public static Tensor less(Tensor a, Tensor b) {
    throw outsideGraph("less");
  }

  public static Tensor less(Tensor a, double b) {
    throw outsideGraph("less");
  }

  /** 1 where {@code a >= b}, else 0. */
  public static Tensor greaterEqual(Tensor a, Tensor b) {
    throw outsideGraph("greaterEqual");
  }

  public static Tensor greaterEqual(Tensor a, double b) {
    throw outsideGraph("greaterEqual");
  }

  /** 1 where {@code a <= b}, else 0. */
  public static Tensor lessEqual(Tensor a, Tensor b) {
    throw outsideGraph("lessEqual");
  }

  public static Tensor lessEqual(Tensor a, double b) {
    throw outsideGraph("lessEqual");
  }

  /**
   * Rows of {@code params} picked by {@code ids} (integers held as floats) along axis 0:
   * {@code params [n, d...]}, {@code ids [s...]} gives {@code [s..., d...]}. An embedding lookup.
   */
  public static Tensor gather(Tensor params, Tensor ids) {
    throw outsideGraph("gather");
  }

  /** Both tensors side by side along {@code axis}; the other dimensions must agree. */
  public static Tensor concat(Tensor a, Tensor b, int axis) {
    throw outsideGraph("concat");
  }

  /** Positions {@code begin} (inclusive) to {@code end} of {@code axis}, the other axes whole. */
  public static Tensor slice(Tensor x, int axis, int begin, int end) {
    throw outsideGraph("slice");
  }

  /** Position {@code index} of {@code axis}, which is dropped: {@code take(seq, 1, t)} is {@code seq[:, t]}. */
  public static Tensor take(Tensor x, int axis, int index) {
    throw outsideGraph("take");
  }

  // ---- convolutions and pools (NHWC: [batch, height, width, channels])

  /** 2-D convolution of {@code x [n, h, w, c]} with {@code kernel [kh, kw, c, filters]}. */
  public static Tensor conv2d(Tensor x, Tensor kernel, int strideH, int strideW, Padding padding) {
    throw outsideGraph("conv2d");
  }

  /** With strides 1 and no padding. */
  public static Tensor conv2d(Tensor x, Tensor kernel) {
    throw outsideGraph("conv2d");
  }

  /**
   * The transpose of conv2d (Keras's Conv2DTranspose): {@code x [n, h, w, c]} with
   * {@code kernel [kh, kw, filters, c]} gives {@code [n, h * stride, w * stride, filters]} for SAME,
   * {@code (h - 1) * stride + kh} for VALID.
   */
  public static Tensor conv2dTranspose(Tensor x, Tensor kernel, int strideH, int strideW, Padding padding) {
    throw outsideGraph("conv2dTranspose");
  }

  /** Each pixel repeated {@code size x size} times (Keras's UpSampling2D, nearest neighbour). */
  public static Tensor upSample2d(Tensor x, int size) {
    throw outsideGraph("upSample2d");
  }

  public static Tensor upSample2d(Tensor x, int sizeH, int sizeW) {
    throw outsideGraph("upSample2d");
  }

  /** Max over {@code poolH x poolW} windows moved by the strides. */
  public static Tensor maxPool(Tensor x, int poolH, int poolW, int strideH, int strideW, Padding padding) {
    throw outsideGraph("maxPool");
  }

  /** Max over {@code pool x pool} windows, stride {@code pool}, no padding (Keras's MaxPooling2D(pool)). */
  public static Tensor maxPool(Tensor x, int pool) {
    throw outsideGraph("maxPool");
  }

  /** Mean over windows; with SAME padding the mean counts only positions inside the input. */
  public static Tensor avgPool(Tensor x, int poolH, int poolW, int strideH, int strideW, Padding padding) {
    throw outsideGraph("avgPool");
  }

  public static Tensor avgPool(Tensor x, int pool) {
    throw outsideGraph("avgPool");
  }

  /** {@code x + bias} with {@code bias} over the last (channel) axis. */
  public static Tensor biasAdd(Tensor x, Tensor bias) {
    throw outsideGraph("biasAdd");
  }

  // ---- training and inference

  /**
   * Standard normal draws shaped like {@code like} (the reparameterization trick:
   * {@code add(mean, mul(std, randomNormal(mean)))}), new every training step; no gradient.
   */
  public static Tensor randomNormal(Tensor like) {
    throw outsideGraph("randomNormal");
  }

  /** Standard normal draws of shape {@code [batch of batchOf, sampleShape...]}: a GAN's latent codes. */
  public static Tensor randomNormal(Tensor batchOf, int... sampleShape) {
    throw outsideGraph("randomNormal");
  }

  /**
   * Returns {@code value}, and adds {@code loss} (summed if not a scalar) to the model's loss,
   * as Keras's {@code add_loss}: an activity regularizer, a VAE's KL term. fit, evaluate and
   * {@code Model.gradients} include it in the loss they report and differentiate.
   */
  public static Tensor addLoss(Tensor value, Tensor loss) {
    throw outsideGraph("addLoss");
  }

  /** 1 in the training steps of {@code fit}, 0 in evaluate, predict and exported models. */
  public static Tensor training() {
    throw outsideGraph("training");
  }

  /**
   * In training steps, zeroes each element with probability {@code rate} and scales the rest by
   * {@code 1 / (1 - rate)}; elsewhere {@code x} unchanged (Keras's Dropout). A new mask every step.
   */
  public static Tensor dropout(Tensor x, double rate) {
    throw outsideGraph("dropout");
  }

  /**
   * Returns {@code value}; in training steps also moves the non-trainable weight {@code moving}
   * toward it: {@code moving = momentum * moving + (1 - momentum) * value} (batch normalization's
   * moving statistics). Gradients pass to {@code value}.
   */
  public static Tensor movingAverage(Tensor moving, Tensor value, double momentum) {
    throw outsideGraph("movingAverage");
  }

  // ---- constants

  /** A scalar constant, for where a Java number cannot stand on its own. */
  public static Tensor scalar(double value) {
    throw outsideGraph("scalar");
  }

  public static Tensor ones(long... shape) {
    throw outsideGraph("ones");
  }

  public static Tensor zeros(long... shape) {
    throw outsideGraph("zeros");
  }

  /**
   * {@code [a, b, ...]} to {@code [a * b, ...]}: a batch of sequences as one batch of their steps,
   * to run a layer on every step (Keras's {@code TimeDistributed}); {@link #splitFirst} undoes it.
   */
  public static Tensor mergeFirst(Tensor x) {
    throw outsideGraph("mergeFirst");
  }

  /** {@code [a * b, ...]} to {@code [a, b, ...]}, where a and b are the first two dimensions of {@code like}. */
  public static Tensor splitFirst(Tensor y, Tensor like) {
    throw outsideGraph("splitFirst");
  }

  public static Tensor onesLike(Tensor x) {
    throw outsideGraph("onesLike");
  }

  public static Tensor zerosLike(Tensor x) {
    throw outsideGraph("zerosLike");
  }

  // ---------------------------------------------------------------- gradients inside a body

  /**
   * The gradient of the sum of {@code y} with respect to {@code x}, as a tensor of this body
   * (Keras's {@code tape.gradient(y, x)} inside an outer tape): the processor writes it from the
   * generated backwards of what lies between them, and differentiates it again for this method's
   * own backward, so a loss may contain it (WGAN-GP's gradient penalty). Layers called between
   * {@code x} and {@code y} need {@code @Call(order = 2)} (the built-in ones that have it are
   * listed in the README); weight gradients of this inner backward are not training gradients and
   * are dropped. Take it at the top level of the body, not inside {@code if} or {@code for}.
   */
  public static Tensor gradient(Tensor y, Tensor x) {
    throw outsideGraph("gradient");
  }

  // ---------------------------------------------------------------- recurrent loops

  /** A recurrent step with one state: the new state (also the output) from {@code x_t} and the previous state. */
  @FunctionalInterface
  public interface Step1 {
    Tensor step(Tensor x, Tensor state);
  }

  /**
   * A recurrent step with two states ({@code h} and {@code c}): a record of the two new states,
   * the first of which is the output.
   */
  @FunctionalInterface
  public interface Step2 {
    Record step(Tensor x, Tensor h, Tensor c);
  }

  /**
   * Keras's {@code backend.rnn}: the layer's own {@code @Call} method {@code step} run over the
   * steps of {@code x} {@code [batch, steps, features]}, from zero states, as one loop in the
   * graph (its size does not grow with the length, and one graph runs any length). Returns the
   * last output {@code [batch, stateSize]}, or with {@code returnSequences} every step's
   * {@code [batch, steps, stateSize]}. The backward is the step's generated backward, run from
   * the last step to the first. Write it {@code rnn(this::step, x, returnSequences, units)}.
   */
  public static Tensor rnn(Step1 step, Tensor x, boolean returnSequences, int stateSize) {
    throw outsideGraph("rnn");
  }

  /** {@link #rnn(Step1, Tensor, boolean, int)} for a step with two states, as an LSTM's {@code h} and {@code c}. */
  public static Tensor rnn(Step2 step, Tensor x, boolean returnSequences, int hSize, int cSize) {
    throw outsideGraph("rnn");
  }

  /**
   * {@link #rnn(Step1, Tensor, boolean, int)} over padded sequences: {@code mask}
   * {@code [batch, steps]} is 1 at real steps and 0 at padding, where the states (and the output)
   * stay what they were, as Keras's masking (Embedding(mask_zero=True), Masking).
   */
  public static Tensor rnn(Step1 step, Tensor x, Tensor mask, boolean returnSequences, int stateSize) {
    throw outsideGraph("rnn");
  }

  /** {@link #rnn(Step1, Tensor, Tensor, boolean, int)} for a step with two states. */
  public static Tensor rnn(Step2 step, Tensor x, Tensor mask, boolean returnSequences, int hSize, int cSize) {
    throw outsideGraph("rnn");
  }

  /** {@link #rnn(Step1, Tensor, boolean, int)} from the state {@code h0} (Keras's {@code initial_state}) instead of zeros. */
  public static Tensor rnn(Step1 step, Tensor x, boolean returnSequences, Tensor h0) {
    throw outsideGraph("rnn");
  }

  /** {@link #rnn(Step2, Tensor, boolean, int, int)} from the states {@code h0} and {@code c0} (a seq2seq decoder's). */
  public static Tensor rnn(Step2 step, Tensor x, boolean returnSequences, Tensor h0, Tensor c0) {
    throw outsideGraph("rnn");
  }

  /** Over padding, from the state {@code h0}. */
  public static Tensor rnn(Step1 step, Tensor x, Tensor mask, boolean returnSequences, Tensor h0) {
    throw outsideGraph("rnn");
  }

  /** Over padding, from the states {@code h0} and {@code c0}. */
  public static Tensor rnn(Step2 step, Tensor x, Tensor mask, boolean returnSequences, Tensor h0, Tensor c0) {
    throw outsideGraph("rnn");
  }

  /** What {@code rnnStates} returns for a step with one state: the output and the final state (Keras's {@code return_state}). */
  public record WithState(Tensor output, Tensor h) {}

  /** What {@code rnnStates} returns for a step with two states: the output and the final {@code h} and {@code c}. */
  public record WithStates(Tensor output, Tensor h, Tensor c) {}

  /**
   * {@link #rnn(Step1, Tensor, boolean, int)} that also returns the final state (Keras's
   * {@code return_state=True}), e.g. a seq2seq encoder's: {@code WithState s = rnnStates(...);}
   * then {@code s.output()}, {@code s.h()}. Gradients flow into both.
   */
  public static WithState rnnStates(Step1 step, Tensor x, boolean returnSequences, int stateSize) {
    throw outsideGraph("rnnStates");
  }

  /** {@link #rnnStates(Step1, Tensor, boolean, int)} for a step with two states. */
  public static WithStates rnnStates(Step2 step, Tensor x, boolean returnSequences, int hSize, int cSize) {
    throw outsideGraph("rnnStates");
  }

  /** From the state {@code h0}, also returning the final state. */
  public static WithState rnnStates(Step1 step, Tensor x, boolean returnSequences, Tensor h0) {
    throw outsideGraph("rnnStates");
  }

  /** From the states {@code h0} and {@code c0}, also returning the final states. */
  public static WithStates rnnStates(Step2 step, Tensor x, boolean returnSequences, Tensor h0, Tensor c0) {
    throw outsideGraph("rnnStates");
  }

  /** Over padding, also returning the final state. */
  public static WithState rnnStates(Step1 step, Tensor x, Tensor mask, boolean returnSequences, int stateSize) {
    throw outsideGraph("rnnStates");
  }

  /** Over padding, also returning the final states. */
  public static WithStates rnnStates(Step2 step, Tensor x, Tensor mask, boolean returnSequences, int hSize, int cSize) {
    throw outsideGraph("rnnStates");
  }

  private static UnsupportedOperationException outsideGraph(String op) {
    return new UnsupportedOperationException(
        op + "(...) was called directly. Op functions only describe a graph: put the code in a"
            + " @Call method of a @Layer or @Model (or a static @Call function) and use the"
            + " generated <Class>_Graph, or the model's fit/predict.");
  }
}
