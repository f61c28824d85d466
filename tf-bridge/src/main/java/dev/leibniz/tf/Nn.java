package dev.leibniz.tf;

import dev.leibniz.dsl.Padding;
import dev.leibniz.dsl.Variable;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.Conv2d;
import org.tensorflow.op.nn.MaxPoolGradGrad;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The neural-network ops of the vocabulary ({@code tf.nn()} in generated code): convolution,
 * pools and their gradients (NHWC), bias add, and what differs between training and inference:
 * the training flag, dropout masks and moving averages.
 */
public final class Nn {
  private final Tf tf;
  private final Ops ops;
  private Operand<TFloat32> training;
  private Operand<TInt64> seed;
  private int randomOps;
  private final List<Op> updates = new ArrayList<>();

  Nn(Tf tf) {
    this.tf = tf;
    this.ops = tf.ops();
  }

  // ---------------------------------------------------------------- convolution

  /** [1, h, w, 1]: strides or a window over the spatial axes of NHWC. */
  private static List<Long> nhwc(long h, long w) {
    return List.of(1L, h, w, 1L);
  }

  public Operand<TFloat32> conv2d(Operand<TFloat32> x, Operand<TFloat32> kernel, long sh, long sw, Padding padding) {
    return ops.nn.conv2d(x, kernel, nhwc(sh, sw), padding.name(), Conv2d.dataFormat("NHWC"));
  }

  /** The gradient of conv2d with respect to its input {@code like}, given the output's gradient. */
  public Operand<TFloat32> conv2dBackpropInput(Operand<TFloat32> like, Operand<TFloat32> kernel, Operand<TFloat32> dy,
      long sh, long sw, Padding padding) {
    return ops.nn.conv2dBackpropInput(ops.shape(like), kernel, dy, nhwc(sh, sw), padding.name());
  }

  /** The gradient of conv2d with respect to its kernel (shaped like {@code like}). */
  public Operand<TFloat32> conv2dBackpropFilter(Operand<TFloat32> x, Operand<TFloat32> like, Operand<TFloat32> dy,
      long sh, long sw, Padding padding) {
    return ops.nn.conv2dBackpropFilter(x, ops.shape(like), dy, nhwc(sh, sw), padding.name());
  }

  // ---------------------------------------------------------------- pools

  private Operand<TInt32> window(long h, long w) {
    return ops.constant(new int[] {1, Math.toIntExact(h), Math.toIntExact(w), 1});
  }

  public Operand<TFloat32> maxPool(Operand<TFloat32> x, long ph, long pw, long sh, long sw, Padding padding) {
    return ops.nn.maxPool(x, window(ph, pw), window(sh, sw), padding.name());
  }

  /** The gradient of maxPool (input x, output y) given the output's gradient: dy routed to each window's max. */
  public Operand<TFloat32> maxPoolGrad(Operand<TFloat32> x, Operand<TFloat32> y, Operand<TFloat32> dy,
      long ph, long pw, long sh, long sw, Padding padding) {
    return ops.nn.maxPoolGrad(x, y, dy, window(ph, pw), window(sh, sw), padding.name());
  }

  /** The derivative of maxPoolGrad in its gradient input: g read back at each window's max. */
  public Operand<TFloat32> maxPoolGradGrad(Operand<TFloat32> x, Operand<TFloat32> y, Operand<TFloat32> g,
      long ph, long pw, long sh, long sw, Padding padding) {
    return ops.nn.maxPoolGradGrad(x, y, g, window(ph, pw), window(sh, sw), padding.name(),
        MaxPoolGradGrad.dataFormat("NHWC"));
  }

  public Operand<TFloat32> avgPool(Operand<TFloat32> x, long ph, long pw, long sh, long sw, Padding padding) {
    return ops.nn.avgPool(x, nhwc(ph, pw), nhwc(sh, sw), padding.name());
  }

  /** The gradient of avgPool with respect to its input {@code like}: each dy spread over its window. */
  public Operand<TFloat32> avgPoolGrad(Operand<TFloat32> like, Operand<TFloat32> dy, long ph, long pw, long sh,
      long sw, Padding padding) {
    return ops.nn.avgPoolGrad(ops.shape(like), dy, nhwc(ph, pw), nhwc(sh, sw), padding.name());
  }

  public Operand<TFloat32> biasAdd(Operand<TFloat32> x, Operand<TFloat32> bias) {
    return ops.nn.biasAdd(x, bias);
  }

  // ---------------------------------------------------------------- training and inference

  /**
   * 1 in training steps, 0 otherwise: a placeholder named "training" that defaults to 0, so
   * evaluate, predict and exported models need not feed it.
   */
  public Operand<TFloat32> training() {
    if (training == null) {
      training = ops.withName("training").placeholderWithDefault(ops.constant(0f), Shape.scalar());
    }
    return training;
  }

  /** The flag's placeholder if any op of the graph reads it, else null. */
  public Operand<TFloat32> trainingFlag() {
    return training;
  }

  /**
   * The seed of this step's random ops: a placeholder named "random_seed" ([2] int64) that
   * defaults to the graph seed; fit feeds (seed, step) so each step draws new masks and a
   * resumed run draws the same ones.
   */
  public Operand<TInt64> randomSeed() {
    if (seed == null) {
      seed = ops.withName("random_seed").placeholderWithDefault(ops.constant(new long[] {tf.seed(), 0}),
          Shape.of(2));
    }
    return seed;
  }

  /** The seed placeholder if any op of the graph reads it, else null. */
  public Operand<TInt64> randomSeedFeed() {
    return seed;
  }

  /**
   * The multiplier of dropout: in training, 0 with probability {@code rate} and {@code 1 / (1 - rate)}
   * otherwise (a stateless draw from the step's seed, distinct per op); 1 in inference.
   */
  public Operand<TFloat32> dropoutMask(Operand<TFloat32> x, float rate) {
    if (!(rate >= 0 && rate < 1)) {
      throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + rate);
    }
    Operand<TInt64> opSeed = ops.math.add(randomSeed(), ops.constant(new long[] {0, 1_000_003L * ++randomOps}));
    Operand<TFloat32> u = ops.random.statelessRandomUniform(ops.shape(x), opSeed, TFloat32.class);
    Operand<TFloat32> kept = ops.dtypes.cast(ops.math.greaterEqual(u, ops.constant(rate)), TFloat32.class);
    Operand<TFloat32> scaled = ops.math.mul(kept, ops.constant(1 / (1 - rate)));
    // training ? scaled : 1, without a branch: 1 + t (scaled - 1)
    return ops.math.add(ops.constant(1f), ops.math.mul(training(), ops.math.sub(scaled, ops.constant(1f))));
  }

  /**
   * Returns {@code value}; registers the update {@code moving = momentum moving + (1 - momentum) value}
   * that training steps run (see {@link #updates()}).
   */
  public Operand<TFloat32> movingAverage(Variable moving, Operand<TFloat32> value, float momentum) {
    if (moving == null) {
      throw new IllegalStateException("movingAverage of a weight @Build did not create");
    }
    tf.read(moving);
    Tf.Weight w = tf.weight(moving);
    if (!tf.isForExport()) {
      // moving -= (1 - momentum) (moving - value)
      Operand<TFloat32> delta = ops.math.mul(ops.math.sub(w.value(), value), ops.constant(1 - momentum));
      updates.add(ops.assignSubVariableOp(w.handle(), delta));
    }
    return value;
  }

  /** The state updates a training step runs besides the optimizer's (moving averages). */
  public List<Op> updates() {
    return List.copyOf(updates);
  }
}
