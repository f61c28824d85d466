package dev.leibniz;

import dev.leibniz.dsl.Shape;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.FloatNdArray;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A tensor value held in Java, as an eager tensor is in Keras: float32, any rank, immutable
 * (as TensorFlow's tensors; {@link Var} is the assignable kind). Made from Java arrays or by
 * {@link #ones}, {@link #zeros}, {@link #randomNormal}, {@link #randomUniform}; its math runs
 * TensorFlow's kernels (broadcasting as NumPy does), so results are TensorFlow's to the bit.
 * Compiled functions and models take and return values ({@link Function}, {@link Model#call}).
 *
 * <p>The elements live in a TensorFlow Java {@code FloatNdArray} on the Java heap;
 * {@link #toFloatArray} and the {@code toArray} forms copy them out.
 */
public final class Value {
  private final FloatNdArray data;

  private Value(FloatNdArray data) {
    this.data = data;
  }

  // ---------------------------------------------------------------- making values

  /** A scalar. */
  public static Value of(float value) {
    FloatNdArray a = NdArrays.ofFloats(org.tensorflow.ndarray.Shape.scalar());
    a.setFloat(value);
    return new Value(a);
  }

  public static Value of(float[] vector) {
    return new Value(StdArrays.ndCopyOf(vector));
  }

  public static Value of(float[][] matrix) {
    return new Value(StdArrays.ndCopyOf(matrix));
  }

  public static Value of(float[][][] array) {
    return new Value(StdArrays.ndCopyOf(array));
  }

  public static Value of(float[][][][] array) {
    return new Value(StdArrays.ndCopyOf(array));
  }

  /** {@code values} (row-major) in {@code shape}. */
  public static Value of(float[] values, long... shape) {
    long size = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    if (size != values.length || Arrays.stream(shape).anyMatch(d -> d < 0)) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + size + " values, got "
          + values.length);
    }
    return new Value(NdArrays.wrap(org.tensorflow.ndarray.Shape.of(shape), DataBuffers.of(values.clone(), true, false)));
  }

  public static Value ones(long... shape) {
    return fill(1, shape);
  }

  public static Value zeros(long... shape) {
    return fill(0, shape);
  }

  public static Value fill(float value, long... shape) {
    float[] values = new float[Math.toIntExact(Arrays.stream(shape).reduce(1, (a, b) -> a * b))];
    Arrays.fill(values, value);
    return of(values, shape);
  }

  private static final AtomicLong UNSEEDED = new AtomicLong(System.nanoTime());

  /** Normal draws, mean 0 and standard deviation 1 (Keras's {@code random.normal}); a new draw each call. */
  public static Value randomNormal(Shape shape) {
    return randomNormal(shape, 0, 1, UNSEEDED.incrementAndGet());
  }

  /** Normal draws from TensorFlow's stateless generator: the same {@code seed} gives the same values. */
  public static Value randomNormal(Shape shape, double mean, double stddev, long seed) {
    return Eager.run(ops -> ops.math.add(ops.math.mul(ops.random.statelessRandomNormal(ops.constant(shape.dims()),
        ops.constant(new long[] {seed, 0}), TFloat32.class), ops.constant((float) stddev)), ops.constant((float) mean)));
  }

  /** Uniform draws in [0, 1) (Keras's {@code random.uniform}); a new draw each call. */
  public static Value randomUniform(Shape shape) {
    return randomUniform(shape, 0, 1, UNSEEDED.incrementAndGet());
  }

  public static Value randomUniform(Shape shape, double min, double max, long seed) {
    return Eager.run(ops -> ops.math.add(ops.math.mul(ops.random.statelessRandomUniform(ops.constant(shape.dims()),
        ops.constant(new long[] {seed, 0}), TFloat32.class), ops.constant((float) (max - min))),
        ops.constant((float) min)));
  }

  // ---------------------------------------------------------------- reading

  public long[] shape() {
    return data.shape().asArray();
  }

  public int rank() {
    return data.rank();
  }

  public long size() {
    return data.size();
  }

  /** The element at {@code index} (one coordinate per axis). */
  public float get(long... index) {
    checkIndex(index);
    return data.getFloat(index);
  }

  /** The value of a scalar (or of a tensor of one element). */
  public float floatValue() {
    if (data.size() != 1) {
      throw new IllegalStateException("floatValue() is for one element; this value has shape " + shapeText());
    }
    return toFloatArray()[0];
  }

  /** The elements, row-major, in a new array. */
  public float[] toFloatArray() {
    float[] out = new float[Math.toIntExact(data.size())];
    data.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  /** A rank-2 value as rows. */
  public float[][] toMatrix() {
    requireRank(2, "toMatrix");
    return StdArrays.array2dCopyOf(data);
  }

  public float[][][] toArray3() {
    requireRank(3, "toArray3");
    return StdArrays.array3dCopyOf(data);
  }

  /** A new value equal to this one except {@code value} at {@code index} (values are immutable; see {@link Var}). */
  public Value with(float value, long... index) {
    checkIndex(index);
    FloatNdArray copy = NdArrays.ofFloats(data.shape());
    data.copyTo(copy);
    copy.setFloat(value, index);
    return new Value(copy);
  }

  // ---------------------------------------------------------------- math (TensorFlow's kernels, broadcasting)

  public Value add(Value other) {
    return binary(other, (ops, a, b) -> ops.math.add(a, b));
  }

  public Value add(double other) {
    return add(of((float) other));
  }

  public Value sub(Value other) {
    return binary(other, (ops, a, b) -> ops.math.sub(a, b));
  }

  public Value sub(double other) {
    return sub(of((float) other));
  }

  public Value mul(Value other) {
    return binary(other, (ops, a, b) -> ops.math.mul(a, b));
  }

  public Value mul(double other) {
    return mul(of((float) other));
  }

  public Value div(Value other) {
    return binary(other, (ops, a, b) -> ops.math.div(a, b));
  }

  public Value div(double other) {
    return div(of((float) other));
  }

  /** Matrix product of rank-2 values. */
  public Value matmul(Value other) {
    requireRank(2, "matmul");
    other.requireRank(2, "matmul");
    if (shape()[1] != other.shape()[0]) {
      throw new IllegalArgumentException("matmul of " + shapeText() + " and " + other.shapeText()
          + ": the inner dimensions differ");
    }
    return binary(other, (ops, a, b) -> ops.linalg.matMul(a, b));
  }

  public Value neg() {
    return unary((ops, a) -> ops.math.neg(a));
  }

  public Value square() {
    return unary((ops, a) -> ops.math.square(a));
  }

  public Value sqrt() {
    return unary((ops, a) -> ops.math.sqrt(a));
  }

  public Value exp() {
    return unary((ops, a) -> ops.math.exp(a));
  }

  public Value log() {
    return unary((ops, a) -> ops.math.log(a));
  }

  public Value abs() {
    return unary((ops, a) -> ops.math.abs(a));
  }

  public Value tanh() {
    return unary((ops, a) -> ops.math.tanh(a));
  }

  public Value sigmoid() {
    return unary((ops, a) -> ops.math.sigmoid(a));
  }

  public Value relu() {
    return unary((ops, a) -> ops.nn.relu(a));
  }

  /** 1 where this is greater than {@code other}, else 0. */
  public Value greater(double other) {
    return unary((ops, a) -> ops.dtypes.cast(ops.math.greater(a, ops.constant((float) other)), TFloat32.class));
  }

  /** Sum of all elements: a scalar. */
  public Value sum() {
    return unary((ops, a) -> ops.sum(a, ops.constant(allAxes())));
  }

  /** Mean of all elements: a scalar. */
  public Value mean() {
    return unary((ops, a) -> ops.math.mean(a, ops.constant(allAxes())));
  }

  /** The same elements in another shape (one dimension may be -1). */
  public Value reshape(long... shape) {
    return unary((ops, a) -> ops.reshape(a, ops.constant(shape)));
  }

  /** Reversed axes (for a matrix, the transpose). */
  public Value transpose() {
    int[] perm = new int[rank()];
    for (int i = 0; i < perm.length; i++) {
      perm[i] = perm.length - 1 - i;
    }
    return unary((ops, a) -> ops.linalg.transpose(a, ops.constant(perm)));
  }

  // ---------------------------------------------------------------- equality and printing

  @Override
  public boolean equals(Object o) {
    return o instanceof Value v && Arrays.equals(shape(), v.shape()) && Arrays.equals(toFloatArray(), v.toFloatArray());
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(shape()), Arrays.hashCode(toFloatArray()));
  }

  /**
   * As TensorFlow prints a tensor: {@code Value([[1.0],\n       [1.0]], shape=(2, 1), dtype=float32)},
   * the elements nested by axis, one row per line.
   */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("Value(");
    nested(out, toFloatArray(), shape(), 0, 0);
    return out + ", shape=" + shapeText() + ", dtype=float32)";
  }

  private static int nested(StringBuilder out, float[] values, long[] shape, int axis, int at) {
    if (axis == shape.length) {
      out.append(values[at]);
      return at + 1;
    }
    out.append('[');
    for (long i = 0; i < shape[axis]; i++) {
      if (i > 0) {
        out.append(axis == shape.length - 1 ? ", " : ",\n" + " ".repeat("Value(".length() + axis + 1));
      }
      at = nested(out, values, shape, axis + 1, at);
    }
    out.append(']');
    return at;
  }

  /** Keras's notation: (2, 1). */
  String shapeText() {
    return Summary.shape(shape());
  }

  // ---------------------------------------------------------------- plumbing for the runtime

  /** The elements as a tensor (the caller closes it). */
  TFloat32 tensor() {
    TFloat32 t = TFloat32.tensorOf(data.shape());
    data.copyTo(t);
    return t;
  }

  /** A value holding a copy of {@code t}'s elements. */
  static Value copyOf(TFloat32 t) {
    FloatNdArray copy = NdArrays.ofFloats(t.shape());
    t.copyTo(copy);
    return new Value(copy);
  }

  /** A value of {@code values} (not copied: the caller hands the array over) in {@code shape}. */
  static Value wrap(float[] values, long[] shape) {
    return new Value(NdArrays.wrap(org.tensorflow.ndarray.Shape.of(shape), DataBuffers.of(values, true, false)));
  }

  private int[] allAxes() {
    int[] axes = new int[rank()];
    for (int i = 0; i < axes.length; i++) {
      axes[i] = i;
    }
    return axes;
  }

  private void requireRank(int rank, String what) {
    if (rank() != rank) {
      throw new IllegalArgumentException(what + " needs a rank-" + rank + " value, got shape " + shapeText());
    }
  }

  private void checkIndex(long[] index) {
    long[] shape = shape();
    boolean ok = index.length == shape.length;
    for (int i = 0; ok && i < index.length; i++) {
      ok = index[i] >= 0 && index[i] < shape[i];
    }
    if (!ok) {
      throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " is outside shape " + shapeText());
    }
  }

  private interface Unary {
    Operand<TFloat32> apply(Ops ops, Operand<TFloat32> a);
  }

  private interface Binary {
    Operand<TFloat32> apply(Ops ops, Operand<TFloat32> a, Operand<TFloat32> b);
  }

  private Value unary(Unary op) {
    return Eager.run(ops -> op.apply(ops, Eager.constant(ops, this)));
  }

  private Value binary(Value other, Binary op) {
    Objects.requireNonNull(other, "other");
    return Eager.run(ops -> op.apply(ops, Eager.constant(ops, this), Eager.constant(ops, other)));
  }
}
