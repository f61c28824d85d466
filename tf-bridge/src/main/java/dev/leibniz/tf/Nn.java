package dev.leibniz.tf;

import dev.leibniz.dsl.Padding;
import dev.leibniz.dsl.Variable;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.Conv2d;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The neural-network ops of the vocabulary ({@code tf.nn()} in generated code): convolution,
 * pools and their gradients (NHWC), bias add, and what differs between training and inference:
 * the training flag, dropout masks and moving averages.
 */
public final class Nn {
  private final TfGraph graph;
  private final Ops ops;
  private int randomOps;

  Nn(TfGraph graph) {
    this.graph = graph;
    this.ops = graph.ops();
  }

  // ---------------------------------------------------------------- convolution

  /** [1, h, w, 1]: strides or a window over the spatial axes of NHWC. */
  private static List<Long> nhwc(long h, long w) {
    return List.of(1L, h, w, 1L);
  }

  public Operand<TFloat32> conv2d(Operand<TFloat32> x, Operand<TFloat32> kernel, long sh, long sw, Padding padding) {
    return ops.nn.conv2d(x, kernel, nhwc(sh, sw), padding.name(), Conv2d.dataFormat("NHWC"));
  }

  /**
   * The gradient of conv2d with respect to its input {@code like}, given the output's gradient.
   * Its padding is given as explicit sizes where the input's spatial size is known: TensorFlow's
   * oneDNN rewrite passes such an op by, and TensorFlow's own kernel computes it in about half the
   * time of the oneDNN 3.5 kernel TensorFlow Java 1.1.0 would pick (README, "Speed beside the peers").
   */
  public Operand<TFloat32> conv2dBackpropInput(Operand<TFloat32> like, Operand<TFloat32> kernel, Operand<TFloat32> dy,
      long sh, long sw, Padding padding) {
    List<Long> explicit = explicitPadding(like.shape(), kernel.shape(), sh, sw, padding);
    if (explicit == null) {
      return ops.nn.conv2dBackpropInput(ops.shape(like), kernel, dy, nhwc(sh, sw), padding.name());
    }
    return ops.nn.conv2dBackpropInput(ops.shape(like), kernel, dy, nhwc(sh, sw), "EXPLICIT",
        org.tensorflow.op.nn.Conv2dBackpropInput.explicitPaddings(explicit));
  }

  /**
   * {@code padding} as conv2d's explicit sizes per NHWC axis (before, after), as TensorFlow pads
   * for it: SAME puts the odd one after. Null where the input's or the kernel's spatial size is unknown.
   */
  static List<Long> explicitPadding(org.tensorflow.ndarray.Shape input, org.tensorflow.ndarray.Shape kernel, long sh,
      long sw, Padding padding) {
    if (input.numDimensions() != 4 || kernel.numDimensions() != 4) {
      return null;
    }
    long[] pads = new long[8];
    long[] strides = {sh, sw};
    for (int axis = 0; axis < 2; axis++) {
      long in = input.get(axis + 1);
      long k = kernel.get(axis);
      if (in < 0 || k < 0) {
        return null;
      }
      long total = padding == Padding.VALID ? 0
          : Math.max(((in + strides[axis] - 1) / strides[axis] - 1) * strides[axis] + k - in, 0);
      pads[2 + 2 * axis] = total / 2;
      pads[3 + 2 * axis] = total - total / 2;
    }
    return java.util.Arrays.stream(pads).boxed().toList();
  }

  /** The gradient of conv2d with respect to its kernel (shaped like {@code like}). */
  public Operand<TFloat32> conv2dBackpropFilter(Operand<TFloat32> x, Operand<TFloat32> like, Operand<TFloat32> dy,
      long sh, long sw, Padding padding) {
    return ops.nn.conv2dBackpropFilter(x, ops.shape(like), dy, nhwc(sh, sw), padding.name());
  }

  // ---------------------------------------------------------------- pools

  public Operand<TFloat32> maxPool(Operand<TFloat32> x, long ph, long pw, long sh, long sw, Padding padding) {
    return pool("MaxPool", List.of(x), ph, pw, sh, sw, padding);
  }

  /** The gradient of maxPool (input x, output y) given the output's gradient: dy routed to each window's max. */
  public Operand<TFloat32> maxPoolGrad(Operand<TFloat32> x, Operand<TFloat32> y, Operand<TFloat32> dy,
      long ph, long pw, long sh, long sw, Padding padding) {
    return pool("MaxPoolGrad", List.of(x, y, dy), ph, pw, sh, sw, padding);
  }

  /** The derivative of maxPoolGrad in its gradient input: g read back at each window's max. */
  public Operand<TFloat32> maxPoolGradGrad(Operand<TFloat32> x, Operand<TFloat32> y, Operand<TFloat32> g,
      long ph, long pw, long sh, long sw, Padding padding) {
    return pool("MaxPoolGradGrad", List.of(x, y, g), ph, pw, sh, sw, padding);
  }

  /**
   * TensorFlow's max pooling op {@code type} with its window and strides as attributes (the first
   * versions of the ops). TensorFlow Java's own builders make the V2 ops, whose window is a tensor:
   * TensorFlow's oneDNN rewrite does not take those, and MaxPoolGradV2 ran 7x slower than the
   * oneDNN MaxPoolGrad in the MNIST convnet's step.
   */
  private Operand<TFloat32> pool(String type, List<Operand<TFloat32>> inputs, long ph, long pw, long sh, long sw,
      Padding padding) {
    var scope = ops.scope();
    var builder = scope.env().opBuilder(type, scope.makeOpName(type), scope);
    inputs.forEach(i -> builder.addInput(i.asOutput()));
    return scope.apply(builder).setAttr("ksize", new long[] {1, ph, pw, 1}).setAttr("strides", new long[] {1, sh, sw, 1})
        .setAttr("padding", padding.name()).setAttr("data_format", "NHWC").build().output(0);
  }

  public Operand<TFloat32> avgPool(Operand<TFloat32> x, long ph, long pw, long sh, long sw, Padding padding) {
    return ops.nn.avgPool(x, nhwc(ph, pw), nhwc(sh, sw), padding.name());
  }

  /** The gradient of avgPool with respect to its input {@code like}: each dy spread over its window. */
  public Operand<TFloat32> avgPoolGrad(Operand<TFloat32> like, Operand<TFloat32> dy, long ph, long pw, long sh,
      long sw, Padding padding) {
    return ops.nn.avgPoolGrad(ops.shape(like), dy, nhwc(ph, pw), nhwc(sh, sw), padding.name());
  }

  /**
   * conv2d's input gradient as a layer (Keras's Conv2DTranspose): kernel [h, w, filters, in
   * channels]; the output is size x stride for SAME, (size - 1) stride + window for VALID.
   */
  public Operand<TFloat32> conv2dTranspose(Operand<TFloat32> x, Operand<TFloat32> kernel, long sh, long sw,
      Padding padding) {
    long[] k = kernel.shape().asArray();
    long[] in = x.shape().asArray();
    if (x.shape().isUnknown() || kernel.shape().isUnknown() || in[1] < 0 || in[2] < 0 || k[0] < 0 || k[1] < 0 || k[2] < 0) {
      throw new IllegalArgumentException("conv2dTranspose needs the input's spatial size and the kernel's shape known,"
          + " got " + x.shape() + " and " + kernel.shape());
    }
    boolean same = padding == Padding.SAME;
    int h = Math.toIntExact(same ? in[1] * sh : (in[1] - 1) * sh + k[0]);
    int w = Math.toIntExact(same ? in[2] * sw : (in[2] - 1) * sw + k[1]);
    Operand<TInt32> batch = Tf.shapeSlice(ops, ops.shape(x), 0, 1);
    Operand<TInt32> outShape = ops.concat(List.of(batch, ops.constant(new int[] {h, w, (int) k[2]})), ops.constant(0));
    return ops.nn.conv2dBackpropInput(outShape, kernel, x, nhwc(sh, sw), padding.name());
  }

  // ---------------------------------------------------------------- up-sampling

  /** Each pixel repeated sh x sw times (nearest neighbour): a reshape, a broadcast, a reshape. */
  public Operand<TFloat32> upSample2d(Operand<TFloat32> x, long sh, long sw) {
    long[] d = knownSpatial(x, "upSample2d");
    Operand<TFloat32> blocks = ops.reshape(x, ops.constant(new long[] {-1, d[1], 1, d[2], 1, d[3]}));
    Operand<TInt32> batch = Tf.shapeSlice(ops, ops.shape(x), 0, 1);
    Operand<TInt32> wide = ops.concat(List.of(batch, ops.constant(new int[] {(int) d[1], (int) sh, (int) d[2],
        (int) sw, (int) d[3]})), ops.constant(0));
    return ops.reshape(ops.broadcastTo(blocks, wide), ops.constant(new long[] {-1, d[1] * sh, d[2] * sw, d[3]}));
  }

  /** The gradient of upSample2d: each block of dy summed back onto its pixel of {@code like}. */
  public Operand<TFloat32> upSample2dGrad(Operand<TFloat32> dy, Operand<TFloat32> like, long sh, long sw) {
    long[] d = knownSpatial(like, "upSample2d");
    Operand<TFloat32> blocks = ops.reshape(dy, ops.constant(new long[] {-1, d[1], sh, d[2], sw, d[3]}));
    return ops.sum(blocks, ops.constant(new int[] {2, 4}));
  }

  private static long[] knownSpatial(Operand<TFloat32> x, String op) {
    long[] d = x.shape().asArray();
    if (x.shape().isUnknown() || d.length != 4 || d[1] < 0 || d[2] < 0 || d[3] < 0) {
      throw new IllegalArgumentException(op + " needs [batch, height, width, channels] with all but the batch known,"
          + " got " + x.shape());
    }
    return d;
  }

  public Operand<TFloat32> biasAdd(Operand<TFloat32> x, Operand<TFloat32> bias) {
    return ops.nn.biasAdd(x, bias);
  }

  // ---------------------------------------------------------------- training and inference

  /** 1 in fit's training steps, else 0 ({@link TfGraph#trainingFlag}). */
  public Operand<TFloat32> training() {
    return graph.training();
  }

  /**
   * The multiplier of dropout: in training, 0 with probability {@code rate} and {@code 1 / (1 - rate)}
   * otherwise (a stateless draw from the step's seed, distinct per op); 1 in inference.
   */
  public Operand<TFloat32> dropoutMask(Operand<TFloat32> x, float rate) {
    if (!(rate >= 0 && rate < 1)) {
      throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + rate);
    }
    if (graph.isForExport()) {
      return ops.constant(1f); // inference only: no random op for converters to refuse
    }
    Operand<TInt64> opSeed = ops.math.add(graph.randomSeed(), ops.constant(new long[] {0, 1_000_003L * ++randomOps}));
    Operand<TFloat32> u = ops.random.statelessRandomUniform(ops.shape(x), opSeed, TFloat32.class);
    Operand<TFloat32> kept = ops.dtypes.cast(ops.math.greaterEqual(u, ops.constant(rate)), TFloat32.class);
    Operand<TFloat32> scaled = ops.math.mul(kept, ops.constant(1 / (1 - rate)));
    // training ? scaled : 1, without a branch: 1 + t (scaled - 1)
    return ops.math.add(ops.constant(1f), ops.math.mul(training(), ops.math.sub(scaled, ops.constant(1f))));
  }

  /** Returns {@code value}; adds {@code loss} to the losses the model sums into its own ({@link TfGraph#addedLosses}). */
  public Operand<TFloat32> addLoss(Operand<TFloat32> value, Operand<TFloat32> loss) {
    graph.addLoss(loss.shape().numDimensions() == 0 ? loss : ops.sum(loss, ops.range(ops.constant(0),
        ops.rank(loss), ops.constant(1))));
    return value;
  }

  /**
   * Standard normal draws shaped like {@code like}, from the step's seed and distinct per op (a
   * new draw every training step; in inference, the graph seed's).
   */
  public Operand<TFloat32> randomNormal(Operand<TFloat32> like) {
    return draw(ops.shape(like));
  }

  /** Standard normal draws of shape [batch of {@code batchOf}, sample...]. */
  public Operand<TFloat32> randomNormal(Operand<TFloat32> batchOf, long[] sample) {
    int[] dims = new int[sample.length];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = Math.toIntExact(sample[i]);
    }
    Operand<TInt32> batch = Tf.shapeSlice(ops, ops.shape(batchOf), 0, 1);
    return draw(ops.concat(List.of(batch, ops.constant(dims)), ops.constant(0)));
  }

  private Operand<TFloat32> draw(Operand<TInt32> shape) {
    Operand<TInt64> opSeed = ops.math.add(graph.randomSeed(), ops.constant(new long[] {0, 1_000_003L * ++randomOps}));
    return ops.random.statelessRandomNormal(shape, opSeed, TFloat32.class);
  }

  /**
   * Returns {@code value}; registers the update {@code moving = momentum moving + (1 - momentum) value}
   * that training steps run (see {@link TfGraph#updates()}).
   */
  public Operand<TFloat32> movingAverage(Variable moving, Operand<TFloat32> value, float momentum) {
    if (moving == null) {
      throw new IllegalStateException("movingAverage of a weight @Build did not create");
    }
    graph.read(moving);
    TfGraph.Weight w = graph.weight(moving);
    if (!graph.isForExport()) {
      // moving -= (1 - momentum) (moving - value)
      Operand<TFloat32> delta = ops.math.mul(ops.math.sub(w.value(), value), ops.constant(1 - momentum));
      graph.addUpdate(w.handle(), delta);
    }
    return value;
  }
}
