package dev.leibniz.tf;

import dev.leibniz.dsl.Variable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Sum;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The op vocabulary generated {@code _Graph} code calls, on one {@link TfGraph}: the forward ops
 * of the DSL and the building blocks of their derivatives, plus the few calls generated code
 * makes into the graph's state (reading a weight, adding to a weight's gradient, an input's
 * shape for {@code @Build}). Nothing else: a test holds this class's public methods to the ones
 * generated code calls.
 *
 * <p>Where the static shapes TensorFlow knows at graph-build time show that a reduction or
 * reshape of a gradient changes nothing, no op is added: the graph stays what a hand-written
 * one would be.
 */
public final class Tf {
  private final TfGraph graph;
  private final Ops ops;
  private final Nn nn;
  /** Whether weight gradients added through this view are dropped (see {@link #withoutWeightGradients}). */
  private final boolean dropsGradients;
  private Tf dropping;

  Tf(TfGraph graph) {
    this(graph, false);
  }

  private Tf(TfGraph graph, boolean dropsGradients) {
    this.graph = graph;
    this.ops = graph.ops();
    this.nn = new Nn(graph);
    this.dropsGradients = dropsGradients;
  }

  /**
   * This graph's vocabulary, except that weight gradients added through it are dropped: for a
   * backward whose input gradient is a value of the forward (an in-body {@code gradient(y, x)},
   * and a second-order method's first backward), not a training gradient of the weights.
   */
  public Tf withoutWeightGradients() {
    if (dropsGradients) {
      return this;
    }
    if (dropping == null) {
      dropping = new Tf(graph, true);
    }
    return dropping;
  }

  /** Convolutions, pools, and the ops that differ between training and inference. */
  public Nn nn() {
    return nn;
  }

  // ---------------------------------------------------------------- the graph's state, for generated code

  /** The static shape TensorFlow knows for {@code x}, for {@code @Build}. */
  public dev.leibniz.dsl.Shape shapeOf(Operand<?> x) {
    Shape s = x.shape();
    if (s.isUnknown()) {
      throw new IllegalArgumentException("the input's rank is unknown; give placeholders a shape");
    }
    return dev.leibniz.dsl.Shape.of(s.asArray());
  }

  /** The value of weight {@code v}; its variable is created on the first read in this graph. */
  public Operand<TFloat32> read(Variable v) {
    if (v == null) {
      throw new IllegalStateException("a @Weight field read by @Call is null: the layer's @Build did not create it"
          + " (for this configuration), so this @Call cannot read it");
    }
    return graph.read(v);
  }

  /** A sublayer a forward calls, from its field {@code field}: an error that names the field where it is null. */
  public <L> L sublayer(L layer, String field) {
    if (layer == null) {
      throw new IllegalStateException("the sublayer field '" + field + "' is null when its layer's @Call runs; set it"
          + " (a final field, assigned in the constructor or where it is declared)");
    }
    return layer;
  }

  /** For a weight read only inside a branch: its value, or null where @Build did not create it. */
  public Operand<TFloat32> readIfCreated(Variable v) {
    return v == null ? null : read(v);
  }

  /** Called by generated backward code: adds to the gradient of weight {@code v}. */
  public void addGradient(Variable v, Operand<TFloat32> gradient) {
    if (v == null || gradient == null || dropsGradients) {
      return; // a weight this configuration's @Build did not create, one with no gradient, or a value's backward
    }
    graph.addGradient(v, gradient);
  }

  // ---------------------------------------------------------------- recurrent loops

  /** A recurrent layer's step on the loop body's graph: its generated forward, given x_t and the states. */
  public interface Step {
    Forward call(Tf tf, Operand<TFloat32> x, List<Operand<TFloat32>> states);
  }

  /** The step's generated backward: the gradients of x_t and of the states, given those of its outputs (the new states). */
  public interface StepBackward {
    List<Operand<TFloat32>> backward(Tf tf, Forward step, List<Operand<TFloat32>> dOutputs);
  }

  /**
   * {@code step} run over the steps of {@code x} {@code [batch, steps, features]} from zero
   * states of {@code stateSizes}, as one loop op (see {@link Rnn}): the last output (the step's
   * first output) {@code [batch, units]}, or with {@code returnSequences} every step's {@code [batch, steps, units]}.
   */
  public Forward rnn(Operand<TFloat32> x, boolean returnSequences, int[] stateSizes, Step step) {
    return Rnn.forward(graph, x, null, stateSizes, null, returnSequences, step);
  }

  /**
   * {@link #rnn} over sequences with padding: {@code mask} {@code [batch, steps]} is 1 at real
   * steps; at the others every state (and the output) stays as it was, as Keras's masking.
   */
  public Forward rnn(Operand<TFloat32> x, Operand<TFloat32> mask, boolean returnSequences, int[] stateSizes,
      Step step) {
    return Rnn.forward(graph, x, mask, stateSizes, null, returnSequences, step);
  }

  /** {@link #rnn} from the states {@code initial} (Keras's {@code initial_state}), each {@code [batch, units]}. */
  public Forward rnn(Operand<TFloat32> x, boolean returnSequences, List<Operand<TFloat32>> initial, Step step) {
    return Rnn.forward(graph, x, null, null, initial, returnSequences, step);
  }

  /** {@link #rnn} over padding from the states {@code initial}. */
  public Forward rnn(Operand<TFloat32> x, Operand<TFloat32> mask, boolean returnSequences,
      List<Operand<TFloat32>> initial, Step step) {
    return Rnn.forward(graph, x, mask, null, initial, returnSequences, step);
  }

  /** The backward of {@link #rnn}: the gradient of {@code x}; the step's weight gradients are added to the graph. */
  public Operand<TFloat32> rnnBackward(Forward rnn, Operand<TFloat32> dOutput, StepBackward step) {
    return Rnn.backward(graph, (Rnn.Loop) rnn, dOutput, step);
  }

  /**
   * The backward of {@link #rnn} given the gradients of its output and of its final states (null:
   * none): the gradients of {@code x} and of each initial state, in that order.
   */
  public Gradients rnnBackward(Forward rnn, Operand<TFloat32> dOutput, List<Operand<TFloat32>> dFinal,
      StepBackward step) {
    List<Operand<TFloat32>> grads = Rnn.backward(graph, (Rnn.Loop) rnn, dOutput, dFinal, step);
    return () -> grads;
  }

  // ---------------------------------------------------------------- arithmetic

  /**
   * {@code a + b}; where one is a vector as long as the other's last axis (a layer's bias), as
   * TensorFlow's BiasAdd, which its graph optimizer fuses into the MatMul or convolution before it
   * and whose gradient is one BiasAddGrad ({@link #unbroadcast}).
   */
  public Operand<TFloat32> add(Operand<TFloat32> a, Operand<TFloat32> b) {
    if (isBias(b, a)) {
      return ops.nn.biasAdd(a, b);
    }
    if (isBias(a, b)) {
      return ops.nn.biasAdd(b, a);
    }
    return ops.math.add(a, b);
  }

  /** True when {@code bias} is a vector of known length, and {@code x} of rank 2 or more has that length on its last axis. */
  private static boolean isBias(Operand<?> bias, Operand<?> x) {
    Shape b = bias.shape();
    Shape s = x.shape();
    return !b.isUnknown() && b.numDimensions() == 1 && b.size(0) >= 0 && !s.isUnknown() && s.numDimensions() >= 2
        && s.size(s.numDimensions() - 1) == b.size(0);
  }

  /**
   * {@code sum + g} for gradients, where null is a symbolic zero (a gradient nothing wrote, as
   * JAX's {@code add_tangents} treats {@code Zero}): no zeros tensor is built for it.
   */
  public Operand<TFloat32> accumulate(Operand<TFloat32> sum, Operand<TFloat32> g) {
    return sum == null ? g : g == null ? sum : add(sum, g);
  }

  /** {@code g}, or zeros shaped like {@code like} where g is a symbolic zero (null). */
  public Operand<TFloat32> orZerosLike(Operand<TFloat32> g, Operand<TFloat32> like) {
    return g != null ? g : ops.zerosLike(like);
  }

  public Operand<TFloat32> sub(Operand<TFloat32> a, Operand<TFloat32> b) {
    return ops.math.sub(a, b);
  }

  public Operand<TFloat32> mul(Operand<TFloat32> a, Operand<TFloat32> b) {
    return ops.math.mul(a, b);
  }

  public Operand<TFloat32> div(Operand<TFloat32> a, Operand<TFloat32> b) {
    return ops.math.div(a, b);
  }

  public Operand<TFloat32> neg(Operand<TFloat32> x) {
    return ops.math.neg(x);
  }

  /** Matrix product; a left operand of higher rank has its last axis multiplied by the matrix {@code b}. */
  public Operand<TFloat32> matmul(Operand<TFloat32> a, Operand<TFloat32> b) {
    return matmul(a, b, false, false);
  }

  /**
   * Matrices; a left operand of rank above 2 by a matrix (its last axis multiplied); or two of
   * the same rank above 2 (a matrix product per position of the leading axes).
   */
  public Operand<TFloat32> matmul(Operand<TFloat32> a, Operand<TFloat32> b, boolean transposeA, boolean transposeB) {
    int rank = rankOf(a);
    int rankB = rankOf(b);
    if (rank <= 2) {
      return ops.linalg.matMul(a, b, MatMul.transposeA(transposeA), MatMul.transposeB(transposeB));
    }
    if (rankB > 2) {
      return ops.train.batchMatMul(a, b, TFloat32.class, org.tensorflow.op.train.BatchMatMul.adjX(transposeA),
          org.tensorflow.op.train.BatchMatMul.adjY(transposeB));
    }
    Operand<TInt32> last = ops.constant(new int[] {-1, Math.toIntExact(lastDim(a))});
    Operand<TFloat32> product = ops.linalg.matMul(ops.reshape(a, last), b, MatMul.transposeA(false),
        MatMul.transposeB(transposeB));
    Operand<TInt32> leading = shapeSlice(ops, ops.shape(a), 0, rank - 1);
    Operand<TInt32> outer = shapeSlice(ops, ops.shape(product), 1, 1);
    long[] dims = java.util.Arrays.copyOf(a.shape().asArray(), rank);
    dims[rank - 1] = product.shape().get(1);
    return reshapeTo(product, dims, ops.concat(List.of(leading, outer), ops.constant(0)));
  }

  /**
   * a^T b shaped as {@code like} (the gradient of matmul's right operand): where like is a matrix
   * and a has more axes, contracted over every axis but the last ([..., k] and [..., m] to
   * [k, m]); otherwise a transposed product, batched where the operands are batches.
   */
  public Operand<TFloat32> matmulLeading(Operand<TFloat32> a, Operand<TFloat32> b, Operand<TFloat32> like) {
    if (rankOf(a) <= 2 || rankOf(like) > 2) {
      return matmul(a, b, true, false);
    }
    Operand<TFloat32> rowsA = ops.reshape(a, ops.constant(new int[] {-1, Math.toIntExact(lastDim(a))}));
    Operand<TFloat32> rowsB = ops.reshape(b, ops.constant(new int[] {-1, Math.toIntExact(lastDim(b))}));
    return ops.linalg.matMul(rowsA, rowsB, MatMul.transposeA(true), MatMul.transposeB(false));
  }

  /** {@code count} entries of a run-time {@code shape} from {@code from} on: some of a tensor's dimensions. */
  static Operand<TInt32> shapeSlice(Ops ops, Operand<TInt32> shape, int from, int count) {
    return ops.slice(shape, ops.constant(new int[] {from}), ops.constant(new int[] {count}));
  }

  private static long lastDim(Operand<TFloat32> x) {
    long d = x.shape().get(x.shape().numDimensions() - 1);
    if (d < 0) {
      throw new IllegalArgumentException("matmul of a tensor of rank above 2 needs its last dimension known, got "
          + x.shape());
    }
    return d;
  }

  public Operand<TFloat32> square(Operand<TFloat32> x) {
    return ops.math.square(x);
  }

  public Operand<TFloat32> sqrt(Operand<TFloat32> x) {
    return ops.math.sqrt(x);
  }

  /** dy / (2 y) given y = sqrt(x), and 0 where dy is 0 (so sqrt(0) passes a zero gradient, not NaN). */
  public Operand<TFloat32> sqrtGrad(Operand<TFloat32> y, Operand<TFloat32> dy) {
    return ops.math.sqrtGrad(y, dy);
  }

  public Operand<TFloat32> rsqrt(Operand<TFloat32> x) {
    return ops.math.rsqrt(x);
  }

  /** -dy y^3 / 2 given y = rsqrt(x), and 0 where dy is 0. */
  public Operand<TFloat32> rsqrtGrad(Operand<TFloat32> y, Operand<TFloat32> dy) {
    return ops.math.rsqrtGrad(y, dy);
  }

  public Operand<TFloat32> exp(Operand<TFloat32> x) {
    return ops.math.exp(x);
  }

  public Operand<TFloat32> log(Operand<TFloat32> x) {
    return ops.math.log(x);
  }

  public Operand<TFloat32> pow(Operand<TFloat32> x, float exponent) {
    return ops.math.pow(x, ops.constant(exponent));
  }

  // ---------------------------------------------------------------- activations and their gradients

  public Operand<TFloat32> tanh(Operand<TFloat32> x) {
    return ops.math.tanh(x);
  }

  /** dy (1 - y^2), given y = tanh(x). */
  public Operand<TFloat32> tanhGrad(Operand<TFloat32> y, Operand<TFloat32> dy) {
    return ops.math.tanhGrad(y, dy);
  }

  public Operand<TFloat32> sigmoid(Operand<TFloat32> x) {
    return ops.math.sigmoid(x);
  }

  /**
   * dy y (1 - y), given y = sigmoid(x); where dy is a loss's seed past this activation
   * ({@link TfGraph#seedPastActivation}), the loss's own gradient of x.
   */
  public Operand<TFloat32> sigmoidGrad(Operand<TFloat32> y, Operand<TFloat32> dy) {
    Operand<TFloat32> past = graph.pastActivation(y, dy);
    return past != null ? past : ops.math.sigmoidGrad(y, dy);
  }

  /** log(1 + exp(x)). */
  public Operand<TFloat32> softplus(Operand<TFloat32> x) {
    return ops.math.softplus(x);
  }

  public Operand<TFloat32> relu(Operand<TFloat32> x) {
    return ops.nn.relu(x);
  }

  /** dy where x > 0, else 0. */
  public Operand<TFloat32> reluGrad(Operand<TFloat32> dy, Operand<TFloat32> x) {
    return ops.nn.reluGrad(dy, x);
  }

  /** x where x &gt; 0, else alpha x. */
  public Operand<TFloat32> leakyRelu(Operand<TFloat32> x, float alpha) {
    return ops.nn.leakyRelu(x, org.tensorflow.op.nn.LeakyRelu.alpha(alpha));
  }

  /** dy where x &gt; 0, else alpha dy. */
  public Operand<TFloat32> leakyReluGrad(Operand<TFloat32> dy, Operand<TFloat32> x, float alpha) {
    return ops.data.leakyReluGrad(dy, x, org.tensorflow.op.data.LeakyReluGrad.alpha(alpha));
  }

  public Operand<TFloat32> softmax(Operand<TFloat32> x) {
    return ops.nn.softmax(x);
  }

  /**
   * y (dy - sum(dy y)) over the last axis, given y = softmax(x); where dy is a loss's seed past
   * this activation ({@link TfGraph#seedPastActivation}), the loss's own gradient of x.
   */
  public Operand<TFloat32> softmaxGrad(Operand<TFloat32> y, Operand<TFloat32> dy) {
    Operand<TFloat32> past = graph.pastActivation(y, dy);
    return past != null ? past : mul(y, sub(dy, sum(mul(dy, y), new int[] {-1}, true)));
  }

  public Operand<TFloat32> logSoftmax(Operand<TFloat32> x) {
    return ops.nn.logSoftmax(x);
  }

  // ---------------------------------------------------------------- cross-entropies

  /** One fused cross-entropy: per-row losses, and the gradient of the logits it computed with them. */
  private record CrossEntropy(Operand<TFloat32> loss, Operand<TFloat32> backprop) {}

  private record CrossEntropyKey(Output<?> labels, Output<?> logits, boolean sparse) {}

  /** Each fused op once per (labels, logits): the forward builds it, the gradient reads its second output. */
  private final Map<CrossEntropyKey, CrossEntropy> crossEntropies = new HashMap<>();

  /** -sum(labels * logSoftmax(logits)) over the last axis. */
  public Operand<TFloat32> softmaxCrossEntropy(Operand<TFloat32> labels, Operand<TFloat32> logits) {
    return crossEntropy(labels, logits, false).loss();
  }

  /** softmax(logits) - labels: the fused kernel's own gradient output. */
  public Operand<TFloat32> softmaxCrossEntropyGrad(Operand<TFloat32> labels, Operand<TFloat32> logits) {
    return crossEntropy(labels, logits, false).backprop();
  }

  /** -logSoftmax(logits)[label] per row; labels are class indices held as floats. */
  public Operand<TFloat32> sparseSoftmaxCrossEntropy(Operand<TFloat32> labels, Operand<TFloat32> logits) {
    return crossEntropy(labels, logits, true).loss();
  }

  /** softmax(logits) - oneHot(labels). */
  public Operand<TFloat32> sparseSoftmaxCrossEntropyGrad(Operand<TFloat32> labels, Operand<TFloat32> logits) {
    return crossEntropy(labels, logits, true).backprop();
  }

  private CrossEntropy crossEntropy(Operand<TFloat32> labels, Operand<TFloat32> logits, boolean sparse) {
    return crossEntropies.computeIfAbsent(new CrossEntropyKey(labels.asOutput(), logits.asOutput(), sparse),
        k -> fusedCrossEntropy(labels, logits, sparse));
  }

  /** TensorFlow's kernels take [rows, classes]: other ranks are flattened to rows and back. */
  private CrossEntropy fusedCrossEntropy(Operand<TFloat32> labels, Operand<TFloat32> logits, boolean sparse) {
    int rank = rankOf(logits);
    boolean rows = rank == 2;
    Operand<TInt32> shape = ops.shape(logits);
    Operand<TFloat32> flatLogits = rows ? logits : ops.reshape(logits,
        ops.concat(List.of(ops.constant(new int[] {-1}), shapeSlice(ops, shape, rank - 1, 1)), ops.constant(0)));
    Operand<TFloat32> loss;
    Operand<TFloat32> backprop;
    if (sparse) {
      Operand<TInt64> classes = ops.dtypes.cast(rows ? labels : ops.reshape(labels, ops.constant(new int[] {-1})),
          TInt64.class);
      var op = ops.nn.sparseSoftmaxCrossEntropyWithLogits(flatLogits, classes);
      loss = op.loss();
      backprop = op.backprop();
    } else {
      Operand<TFloat32> flatLabels = rows ? labels : ops.reshape(labels, ops.shape(flatLogits));
      var op = ops.nn.softmaxCrossEntropyWithLogits(flatLogits, flatLabels);
      loss = op.loss();
      backprop = op.backprop();
    }
    if (rows) {
      return new CrossEntropy(loss, backprop);
    }
    long[] dims = logits.shape().asArray();
    Operand<TInt32> leading = shapeSlice(ops, shape, 0, rank - 1);
    return new CrossEntropy(reshapeTo(loss, java.util.Arrays.copyOf(dims, rank - 1), leading),
        reshapeTo(backprop, dims, shape));
  }

  /**
   * x reshaped to {@code dims} (-1 where unknown when the graph is built): to a constant target
   * where at most one dimension is unknown, else to {@code atRunTime}, with the known dimensions
   * kept in the static shape (which a run-time target would lose).
   */
  private Operand<TFloat32> reshapeTo(Operand<TFloat32> x, long[] dims, Operand<TInt32> atRunTime) {
    if (java.util.Arrays.stream(dims).filter(d -> d < 0).count() > 1) {
      return ops.ensureShape(ops.reshape(x, atRunTime), Shape.of(dims));
    }
    int[] target = new int[dims.length];
    for (int i = 0; i < dims.length; i++) {
      target[i] = (int) Math.max(dims[i], -1);
    }
    return ops.reshape(x, ops.constant(target));
  }

  // ---------------------------------------------------------------- reductions

  /** Sum of all elements. */
  public Operand<TFloat32> sum(Operand<TFloat32> x) {
    return sum(x, null, false);
  }

  /** Sum over {@code axes} (all when null). */
  public Operand<TFloat32> sum(Operand<TFloat32> x, int[] axes, boolean keepDims) {
    return ops.sum(x, axesOf(x, axes), Sum.keepDims(keepDims));
  }

  /** Maximum of all elements. */
  public Operand<TFloat32> max(Operand<TFloat32> x) {
    return max(x, null, false);
  }

  public Operand<TFloat32> max(Operand<TFloat32> x, int[] axes, boolean keepDims) {
    return ops.max(x, axesOf(x, axes), org.tensorflow.op.core.Max.keepDims(keepDims));
  }

  public Operand<TFloat32> mean(Operand<TFloat32> x) {
    return mean(x, null, false);
  }

  public Operand<TFloat32> mean(Operand<TFloat32> x, int[] axes, boolean keepDims) {
    return ops.math.mean(x, axesOf(x, axes), Mean.keepDims(keepDims));
  }

  /** The gradient of a sum: dy spread back over the reduced axes of x. */
  public Operand<TFloat32> sumGrad(Operand<TFloat32> dy, Operand<TFloat32> x) {
    return sumGrad(dy, x, null, false);
  }

  public Operand<TFloat32> sumGrad(Operand<TFloat32> dy, Operand<TFloat32> x, int[] axes, boolean keepDims) {
    int rank = rankOf(x);
    boolean[] reduced = reducedAxes(rank, axes);
    Operand<TFloat32> kept = keepDims || rank == 0 ? dy : withReducedAxes(dy, x, reduced);
    // where every reduced axis is of size 1, kept is in x's shape already: nothing to spread
    return reducedOnlyOnes(x.shape(), reduced) ? kept : broadcastLike(kept, x);
  }

  /** True when every axis of {@code x} that {@code reduced} marks has a static size of 1. */
  private static boolean reducedOnlyOnes(Shape x, boolean[] reduced) {
    for (int i = 0; i < reduced.length; i++) {
      if (reduced[i] && x.size(i) != 1) {
        return false;
      }
    }
    return true;
  }

  /**
   * dy (x reduced over {@code reduced}) with those axes back, of size 1: one Reshape to a constant
   * shape where at most one other axis of x is of unknown size, else to a shape read from x at run time.
   */
  private Operand<TFloat32> withReducedAxes(Operand<TFloat32> dy, Operand<TFloat32> x, boolean[] reduced) {
    Shape s = x.shape();
    int rank = reduced.length;
    long[] target = new long[rank];
    int unknown = 0;
    for (int i = 0; i < rank; i++) {
      target[i] = reduced[i] ? 1 : s.size(i);
      unknown += target[i] < 0 ? 1 : 0;
    }
    if (unknown <= 1) {
      return ops.reshape(dy, ops.constant(target));
    }
    Operand<TInt32> shapeX = ops.shape(x);
    List<Operand<TInt32>> dims = new ArrayList<>();
    for (int i = 0; i < rank; i++) {
      dims.add(reduced[i] ? ops.constant(new int[] {1}) : ops.slice(shapeX, ops.constant(new int[] {i}), ops.constant(new int[] {1})));
    }
    // ConcatV2 needs two or more pieces: a rank-1 shape is its one piece.
    return ops.reshape(dy, rank == 1 ? dims.get(0) : ops.concat(dims, ops.constant(0)));
  }

  /** The gradient of a mean: the gradient of the sum over the number of elements reduced. */
  public Operand<TFloat32> meanGrad(Operand<TFloat32> dy, Operand<TFloat32> x) {
    return meanGrad(dy, x, null, false);
  }

  /** As TensorFlow's: the sum's gradient divided by the count, a constant where the reduced axes' sizes are known. */
  public Operand<TFloat32> meanGrad(Operand<TFloat32> dy, Operand<TFloat32> x, int[] axes, boolean keepDims) {
    Operand<TFloat32> spread = sumGrad(dy, x, axes, keepDims);
    long count = reducedCount(x.shape(), reducedAxes(rankOf(x), axes));
    if (count == 1) {
      return spread;
    }
    Operand<TFloat32> divisor = count > 0 && count <= 1 << 24 ? ops.constant((float) count)
        : ops.math.div(ops.dtypes.cast(ops.size(x), TFloat32.class), ops.dtypes.cast(ops.size(dy), TFloat32.class));
    return ops.math.div(spread, divisor);
  }

  /** How many elements of x each result of the reduction sums: -1 where a reduced axis is of unknown size. */
  private static long reducedCount(Shape x, boolean[] reduced) {
    long count = 1;
    for (int i = 0; i < reduced.length; i++) {
      if (reduced[i]) {
        if (x.size(i) < 0) {
          return -1;
        }
        count *= x.size(i);
      }
    }
    return count;
  }

  private Operand<TInt32> axesOf(Operand<TFloat32> x, int[] axes) {
    if (axes != null) {
      return ops.constant(axes);
    }
    int rank = rankOf(x);
    int[] all = new int[rank];
    for (int i = 0; i < rank; i++) {
      all[i] = i;
    }
    return ops.constant(all);
  }

  private static boolean[] reducedAxes(int rank, int[] axes) {
    boolean[] reduced = new boolean[rank];
    if (axes == null) {
      java.util.Arrays.fill(reduced, true);
      return reduced;
    }
    for (int a : axes) {
      reduced[a < 0 ? a + rank : a] = true;
    }
    return reduced;
  }

  /** {@code axis} of {@code x}, counted from the front where given from the end. */
  private static int axisOf(Operand<?> x, int axis) {
    return axis < 0 ? axis + rankOf(x) : axis;
  }

  private static int rankOf(Operand<?> x) {
    Shape s = x.shape();
    if (s.isUnknown()) {
      throw new IllegalArgumentException("TensorFlow could not tell the rank of " + x + ", which this op needs when the graph is built");
    }
    return s.numDimensions();
  }

  // ---------------------------------------------------------------- shapes

  public Operand<TFloat32> reshape(Operand<TFloat32> x, long[] shape) {
    return ops.reshape(x, ops.constant(shape));
  }

  /** [n, a, b, ...] to [n, a * b * ...]; the batch axis may be unknown, the others are known. */
  public Operand<TFloat32> flatten(Operand<TFloat32> x) {
    long[] dims = x.shape().asArray();
    if (x.shape().isUnknown() || dims.length < 1) {
      throw new IllegalArgumentException("flatten needs a known rank of 1 or more, got shape " + x.shape());
    }
    long features = 1;
    for (int i = 1; i < dims.length; i++) {
      if (dims[i] < 0) {
        throw new IllegalArgumentException("flatten needs every dimension but the first known, got shape " + x.shape());
      }
      features *= dims[i];
    }
    if (dims.length == 2) {
      return x;
    }
    return ops.reshape(x, ops.constant(new long[] {-1, features}));
  }

  /** [a, b, ..., c] to [a * b * ..., c]; the last dimension must be known. */
  public Operand<TFloat32> mergeLeading(Operand<TFloat32> x) {
    long[] dims = x.shape().asArray();
    if (x.shape().isUnknown() || dims.length < 1 || dims[dims.length - 1] < 0) {
      throw new IllegalArgumentException("mergeLeading needs a known last dimension, got shape " + x.shape());
    }
    return dims.length == 2 ? x : ops.reshape(x, ops.constant(new long[] {-1, dims[dims.length - 1]}));
  }

  /** [a, b, ...] to [a * b, ...]. */
  public Operand<TFloat32> mergeFirst(Operand<TFloat32> x) {
    int rank = rankOf(x);
    long[] in = x.shape().asArray();
    long[] dims = java.util.Arrays.copyOfRange(in, 1, rank);
    dims[0] = in[0] < 0 || in[1] < 0 ? -1 : in[0] * in[1];
    Operand<TInt32> shape = ops.shape(x);
    Operand<TInt32> first = ops.reshape(ops.prod(shapeSlice(ops, shape, 0, 2), ops.constant(0)),
        ops.constant(new int[] {1}));
    return reshapeTo(x, dims, ops.concat(List.of(first, shapeSlice(ops, shape, 2, rank - 2)), ops.constant(0)));
  }

  /** [a * b, ...] to [a, b, ...], a and b the first two dimensions of {@code like}. */
  public Operand<TFloat32> splitFirst(Operand<TFloat32> y, Operand<TFloat32> like) {
    int rank = rankOf(y);
    long[] in = y.shape().asArray();
    long[] dims = new long[rank + 1];
    dims[0] = like.shape().size(0);
    dims[1] = like.shape().size(1);
    System.arraycopy(in, 1, dims, 2, rank - 1);
    Operand<TInt32> split = ops.concat(List.of(shapeSlice(ops, ops.shape(like), 0, 2),
        shapeSlice(ops, ops.shape(y), 1, rank - 1)), ops.constant(0));
    return reshapeTo(y, dims, split);
  }

  /** [..., a * b] to [..., a, b]. */
  public Operand<TFloat32> splitLast(Operand<TFloat32> x, long a, long b) {
    int rank = rankOf(x);
    long[] dims = java.util.Arrays.copyOf(x.shape().asArray(), rank + 1);
    dims[rank - 1] = a;
    dims[rank] = b;
    Operand<TInt32> leading = shapeSlice(ops, ops.shape(x), 0, rank - 1);
    Operand<TInt32> heads = ops.constant(new int[] {Math.toIntExact(a), Math.toIntExact(b)});
    Operand<TInt32> split = ops.concat(List.of(leading, heads), ops.constant(0));
    return reshapeTo(x, dims, split);
  }

  /** [..., a, b] to [..., a * b]. */
  public Operand<TFloat32> mergeLast(Operand<TFloat32> x) {
    int rank = rankOf(x);
    long[] in = x.shape().asArray();
    long[] dims = java.util.Arrays.copyOf(in, rank - 1);
    dims[rank - 2] = in[rank - 2] < 0 || in[rank - 1] < 0 ? -1 : in[rank - 2] * in[rank - 1];
    Operand<TInt32> shape = ops.shape(x);
    Operand<TInt32> leading = shapeSlice(ops, shape, 0, rank - 2);
    Operand<TInt32> last = ops.reshape(ops.prod(shapeSlice(ops, shape, rank - 2, 2), ops.constant(0)),
        ops.constant(new int[] {1}));
    return reshapeTo(x, dims, ops.concat(List.of(leading, last), ops.constant(0)));
  }

  /** {@code x} with its entries along {@code axis} in reverse order. */
  public Operand<TFloat32> reverse(Operand<TFloat32> x, int axis) {
    return ops.reverse(x, ops.constant(new int[] {axis}));
  }

  /** {@code x} with the entries above the diagonal of its last two axes zeroed. */
  public Operand<TFloat32> lowerTriangle(Operand<TFloat32> x) {
    return ops.linalg.bandPart(x, ops.constant(-1L), ops.constant(0L));
  }

  /** {@code x} with a new axis of size 1 at {@code axis}. */
  public Operand<TFloat32> expandDims(Operand<TFloat32> x, int axis) {
    return ops.expandDims(x, ops.constant(axis));
  }

  /** One-hot rows of {@code labels} (class indices held as floats), as wide as the last axis of {@code like}. */
  public Operand<TFloat32> oneHot(Operand<TFloat32> labels, Operand<TFloat32> like) {
    long[] dims = like.shape().asArray();
    if (like.shape().isUnknown() || dims.length == 0) {
      throw new IllegalArgumentException("oneHot needs predictions of known rank 1 or more, got shape " + like.shape());
    }
    int last = dims.length - 1;
    Operand<TInt32> depth = dims[last] >= 0
        ? ops.constant((int) dims[last])
        : ops.gather(ops.shape(like), ops.constant(last), ops.constant(0));
    return ops.oneHot(ops.dtypes.cast(labels, TInt32.class), depth, ops.constant(1f), ops.constant(0f));
  }

  /** {@code a} in the run-time shape of {@code like}. */
  public Operand<TFloat32> reshapeLike(Operand<TFloat32> a, Operand<TFloat32> like) {
    if (sameStaticShape(a, like)) {
      return a;
    }
    return ops.reshape(a, ops.shape(like));
  }

  /** Reverses the axes. */
  public Operand<TFloat32> transpose(Operand<TFloat32> x) {
    int rank = rankOf(x);
    int[] perm = new int[rank];
    for (int i = 0; i < rank; i++) {
      perm[i] = rank - 1 - i;
    }
    return transpose(x, perm);
  }

  public Operand<TFloat32> transpose(Operand<TFloat32> x, int[] perm) {
    return ops.linalg.transpose(x, ops.constant(perm));
  }

  /** {@code g} summed over the axes along which {@code like} was broadcast, in the shape of like. */
  public Operand<TFloat32> unbroadcast(Operand<TFloat32> g, Operand<TFloat32> like) {
    if (sameStaticShape(g, like) || symbolic.same(g, like)) {
      return g;
    }
    if (isBias(like, g)) { // a bias's gradient: the sum over every axis but the last, one fused kernel
      return ops.nn.biasAddGrad(g);
    }
    // r0: the axes to sum over for the first shape given, the one that was broadcast.
    var args = ops.broadcastGradientArgs(ops.shape(like), ops.shape(g));
    return ops.reshape(ops.sum(g, args.r0()), ops.shape(like));
  }

  /** {@code a} broadcast to the run-time shape of {@code like}. */
  public Operand<TFloat32> broadcastLike(Operand<TFloat32> a, Operand<TFloat32> like) {
    if (sameStaticShape(a, like) || symbolic.same(a, like)) {
      return a;
    }
    return ops.broadcastTo(a, ops.shape(like));
  }

  /** True when both shapes are fully known and equal (so reshaping one to the other is a no-op). */
  private static boolean sameStaticShape(Operand<?> a, Operand<?> b) {
    Shape sa = a.shape();
    Shape sb = b.shape();
    return !sa.isUnknown() && !sb.isUnknown() && !sa.hasUnknownDimension() && sa.equals(sb);
  }

  // ---------------------------------------------------------------- selection and indexing

  /** Where {@code mask} is nonzero {@code a}, else {@code b}, broadcasting all three. */
  public Operand<TFloat32> where(Operand<TFloat32> mask, Operand<TFloat32> a, Operand<TFloat32> b) {
    return ops.select(ops.math.notEqual(mask, ops.constant(0f)), a, b);
  }

  /** 1 where a &gt; b, else 0. */
  public Operand<TFloat32> greater(Operand<TFloat32> a, Operand<TFloat32> b) {
    return ops.dtypes.cast(ops.math.greater(a, b), TFloat32.class);
  }

  /** 1 where a &lt; b, else 0. */
  public Operand<TFloat32> less(Operand<TFloat32> a, Operand<TFloat32> b) {
    return ops.dtypes.cast(ops.math.less(a, b), TFloat32.class);
  }

  /** 1 where a &gt;= b, else 0. */
  public Operand<TFloat32> greaterEqual(Operand<TFloat32> a, Operand<TFloat32> b) {
    return ops.dtypes.cast(ops.math.greaterEqual(a, b), TFloat32.class);
  }

  /** 1 where a &lt;= b, else 0. */
  public Operand<TFloat32> lessEqual(Operand<TFloat32> a, Operand<TFloat32> b) {
    return ops.dtypes.cast(ops.math.lessEqual(a, b), TFloat32.class);
  }

  // ---------------------------------------------------------------- piecewise

  public Operand<TFloat32> abs(Operand<TFloat32> x) {
    return ops.math.abs(x);
  }

  public Operand<TFloat32> sign(Operand<TFloat32> x) {
    return ops.math.sign(x);
  }

  public Operand<TFloat32> maximum(Operand<TFloat32> a, Operand<TFloat32> b) {
    return ops.math.maximum(a, b);
  }

  public Operand<TFloat32> minimum(Operand<TFloat32> a, Operand<TFloat32> b) {
    return ops.math.minimum(a, b);
  }

  public Operand<TFloat32> clip(Operand<TFloat32> x, float lo, float hi) {
    return ops.clipByValue(x, ops.constant(lo), ops.constant(hi));
  }

  /** g where lo &lt;= x &lt;= hi, else 0: TensorFlow's gradient of clip_by_value. */
  public Operand<TFloat32> clipGrad(Operand<TFloat32> g, Operand<TFloat32> x, float lo, float hi) {
    var outside = ops.math.logicalOr(ops.math.less(x, ops.constant(lo)), ops.math.greater(x, ops.constant(hi)));
    return ops.select(outside, ops.constant(0f), g);
  }

  /** Rows of {@code params} (axis 0) at {@code ids}, integers held as floats. */
  public Operand<TFloat32> gather(Operand<TFloat32> params, Operand<TFloat32> ids) {
    return ops.gather(params, ops.dtypes.cast(ids, TInt32.class), ops.constant(0));
  }

  /** The gradient of gather for its params ({@code like}): g summed into the rows it came from. */
  public Operand<TFloat32> gatherGrad(Operand<TFloat32> g, Operand<TFloat32> ids, Operand<TFloat32> like) {
    Operand<TInt32> rows = ops.gather(ops.shape(like), ops.constant(0), ops.constant(0));
    return ops.math.unsortedSegmentSum(g, ops.dtypes.cast(ids, TInt32.class), rows);
  }

  /**
   * a and b side by side along {@code axis}. A concat of a concat along the same axis that nothing
   * else reads yet is one op of all their pieces (the gradients of an LSTM's four gates join so:
   * one concat, not three); the inner one, unread, never runs.
   */
  public Operand<TFloat32> concat(Operand<TFloat32> a, Operand<TFloat32> b, int axis) {
    int at = a.shape().isUnknown() ? axis : axisOf(a, axis);
    List<Operand<TFloat32>> parts = new ArrayList<>(concatPieces(a, at));
    parts.addAll(concatPieces(b, at));
    Operand<TFloat32> out = ops.concat(parts, ops.constant(at));
    concats.put(out.asOutput(), new Concat(at, parts));
    return out;
  }

  private record Concat(int axis, List<Operand<TFloat32>> pieces) {}

  /** What is proven of run-time shapes beyond the static ones (a recurrent step's values share its batch). */
  private final SymbolicShapes symbolic = new SymbolicShapes();

  SymbolicShapes symbolic() {
    return symbolic;
  }

  /** The pieces of each concat built here, by its output. */
  private final Map<Output<?>, Concat> concats = new HashMap<>();

  private List<Operand<TFloat32>> concatPieces(Operand<TFloat32> x, int axis) {
    Concat c = concats.get(x.asOutput());
    boolean unread = x.op() instanceof org.tensorflow.GraphOperation op && op.numConsumers() == 0;
    return c != null && c.axis() == axis && unread ? c.pieces() : List.of(x);
  }

  /** The piece of {@code g} (the gradient of concat(a, b)) over a (part 0) or b (part 1). */
  public Operand<TFloat32> concatPart(Operand<TFloat32> g, Operand<TFloat32> a, Operand<TFloat32> b, int axis,
      int part) {
    int at = axisOf(g, axis);
    Operand<TInt32> ax = ops.constant(new int[] {at});
    Operand<TInt32> one = ops.constant(new int[] {1});
    Operand<TInt32> sizes = ops.concat(List.of(ops.slice(ops.shape(a), ax, one), ops.slice(ops.shape(b), ax, one)),
        ops.constant(0));
    return ops.splitV(g, sizes, ops.constant(at), 2L).output().get(part);
  }

  /** Positions [begin, end) of {@code axis}. */
  public Operand<TFloat32> slice(Operand<TFloat32> x, int axis, long begin, long end) {
    int rank = rankOf(x);
    int a = axisOf(x, axis);
    int[] from = new int[rank]; // int32: TensorFlow's own Slice gradient expects it
    int[] size = new int[rank];
    java.util.Arrays.fill(size, -1);
    from[a] = Math.toIntExact(begin);
    size[a] = Math.toIntExact(end - begin);
    return ops.slice(x, ops.constant(from), ops.constant(size));
  }

  /** Position {@code index} of {@code axis}, the axis dropped. */
  public Operand<TFloat32> take(Operand<TFloat32> x, int axis, long index) {
    int a = axisOf(x, axis);
    return ops.squeeze(slice(x, a, index, index + 1), org.tensorflow.op.core.Squeeze.axis(List.of((long) a)));
  }

  /** The gradient of slice: g padded with zeros back to the shape of {@code like} along {@code axis}. */
  public Operand<TFloat32> sliceGrad(Operand<TFloat32> g, Operand<TFloat32> like, int axis, long begin, long end) {
    int rank = rankOf(like);
    int a = axisOf(like, axis);
    long total = like.shape().get(a);
    if (begin == 0 && end == total) {
      return g; // the slice was the whole axis (the joined gradients of slices that cover it)
    }
    int[][] pads = new int[rank][2];
    pads[a][0] = Math.toIntExact(begin);
    if (total >= 0) {
      pads[a][1] = Math.toIntExact(total - end);
      return ops.pad(g, ops.constant(pads), ops.constant(0f));
    }
    // The axis's size is known only at run time (the batch axis): pad after by size - end.
    pads[a][1] = Math.toIntExact(-end);
    int[][] at = new int[rank][2];
    at[a][1] = 1;
    Operand<TInt32> size = ops.gather(ops.shape(like), ops.constant(a), ops.constant(0));
    return ops.pad(g, ops.math.add(ops.constant(pads), ops.math.mul(ops.constant(at), size)), ops.constant(0f));
  }

  /** table's first like.shape[axis] entries along its axis 0 (counted when the graph runs). */
  public Operand<TFloat32> firstRows(Operand<TFloat32> table, Operand<TFloat32> like, int axis) {
    int rank = rankOf(table);
    Operand<TInt32> n = shapeSlice(ops, ops.shape(like), axis, 1);
    int[] rest = new int[rank - 1];
    java.util.Arrays.fill(rest, -1);
    long[] dims = table.shape().asArray();
    dims[0] = like.shape().isUnknown() ? -1 : like.shape().get(axis);
    Operand<TInt32> size = ops.concat(List.of(n, ops.constant(rest)), ops.constant(0));
    Operand<TFloat32> rows = ops.slice(table, ops.constant(new int[rank]), size);
    return reshapeTo(rows, dims, ops.shape(rows));
  }

  /** The gradient of firstRows: g padded with zero rows to the table's count of rows. */
  public Operand<TFloat32> firstRowsGrad(Operand<TFloat32> g, Operand<TFloat32> table) {
    int rank = rankOf(table);
    Operand<TInt32> missing = ops.math.sub(shapeSlice(ops, ops.shape(table), 0, 1),
        shapeSlice(ops, ops.shape(g), 0, 1));
    Operand<TInt32> first = ops.concat(List.of(ops.constant(new int[] {0}), missing), ops.constant(0));
    Operand<TInt32> pads = ops.reshape(first, ops.constant(new int[] {1, 2}));
    if (rank > 1) {
      pads = ops.concat(List.of(pads, ops.constant(new int[rank - 1][2])), ops.constant(0));
    }
    Operand<TFloat32> padded = ops.pad(g, pads, ops.constant(0f));
    return reshapeTo(padded, table.shape().asArray(), ops.shape(table));
  }

  /** The gradient of take: g with the axis put back, zero elsewhere along it. */
  public Operand<TFloat32> takeGrad(Operand<TFloat32> g, Operand<TFloat32> like, int axis, long index) {
    int a = axisOf(like, axis);
    return sliceGrad(ops.expandDims(g, ops.constant(a)), like, a, index, index + 1);
  }

  // ---------------------------------------------------------------- constants

  public Operand<TFloat32> scalar(float value) {
    return ops.constant(value);
  }

  public Operand<TFloat32> ones(long[] shape) {
    return ops.fill(ops.constant(shape), ops.constant(1f));
  }

  public Operand<TFloat32> zeros(long[] shape) {
    return ops.fill(ops.constant(shape), ops.constant(0f));
  }

  public Operand<TFloat32> onesLike(Operand<TFloat32> x) {
    // Filled from x's shape, as tf.ones_like: TensorFlow's graph gradients (the tests' oracle) know Fill, not OnesLike.
    return ops.fill(ops.shape(x), ops.constant(1f));
  }

  /** Null for null: the gradient slot of a weight this configuration did not create. */
  public Operand<TFloat32> zerosLike(Operand<TFloat32> x) {
    return x == null ? null : ops.zerosLike(x);
  }

}
