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
    return new Variable(name, shape, init, true);
  }

  /** A weight the optimizer does not change (a moving average, a frozen embedding). */
  public static Variable addWeight(String name, Shape shape, Init init, boolean trainable) {
    return new Variable(name, shape, init, trainable);
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

  public static Tensor relu(Tensor x) {
    throw outsideGraph("relu");
  }

  /** Softmax over the last axis. */
  public static Tensor softmax(Tensor x) {
    throw outsideGraph("softmax");
  }

  /** Log of the softmax over the last axis, computed stably. */
  public static Tensor logSoftmax(Tensor x) {
    throw outsideGraph("logSoftmax");
  }

  // ---- piecewise (sugar over relu: derivatives, and derivatives of those, come for free)

  public static Tensor abs(Tensor x) {
    throw outsideGraph("abs");
  }

  /** Elementwise maximum, broadcasting. */
  public static Tensor maximum(Tensor a, Tensor b) {
    throw outsideGraph("maximum");
  }

  public static Tensor maximum(Tensor a, double b) {
    throw outsideGraph("maximum");
  }

  /** Elementwise minimum, broadcasting. */
  public static Tensor minimum(Tensor a, Tensor b) {
    throw outsideGraph("minimum");
  }

  public static Tensor minimum(Tensor a, double b) {
    throw outsideGraph("minimum");
  }

  /** {@code x} limited to {@code [lo, hi]}; the gradient is zero outside. */
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

  /** Reverses the axes (for a matrix: the transpose). */
  public static Tensor transpose(Tensor x) {
    throw outsideGraph("transpose");
  }

  /** Permutes the axes: output axis i is input axis {@code perm[i]}. */
  public static Tensor transpose(Tensor x, int... perm) {
    throw outsideGraph("transpose");
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

  public static Tensor onesLike(Tensor x) {
    throw outsideGraph("onesLike");
  }

  public static Tensor zerosLike(Tensor x) {
    throw outsideGraph("zerosLike");
  }

  private static UnsupportedOperationException outsideGraph(String op) {
    return new UnsupportedOperationException(
        op + "(...) was called directly. Op functions only describe a graph: put the code in a"
            + " @Call method of a @Layer or @Model (or a static @Call function) and use the"
            + " generated <Class>_Graph, or the model's fit/predict.");
  }
}
