package dev.leibniz.tf;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_AllocateTensor;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteTensor;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_FLOAT;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_INT64;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_TensorData;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_TensorType;

import java.util.Arrays;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.tensorflow.Tensor;
import org.tensorflow.internal.c_api.TF_Tensor;

/**
 * A tensor to feed one step ({@link PreparedRun}): a batch's inputs or targets, the step's seed.
 * Its memory is TensorFlow's, allocated through the C API and written straight from Java arrays;
 * TensorFlow Java's {@code TFloat32} builds an n-dimensional array view and registers a native
 * deallocator for each tensor, which costs about 75 us per tensor before the JIT has compiled it
 * (a small model's whole step from a warm JVM costs 130 us). A tensor TensorFlow Java made (a
 * dataset's batch, fetched from its pipeline) can be fed too: {@link #of} takes it over. Close
 * each once its step has run; closing twice is harmless.
 */
public final class FeedTensor implements AutoCloseable {
  static {
    Natives.require(); // JavaCPP's pointers below need TensorFlow's native library loaded
  }

  private final long[] shape;
  private final long size;
  /** A TensorFlow Java tensor this one stands for (closed with it), or null where the memory is this one's own. */
  private final Tensor held;
  private TF_Tensor handle;

  private FeedTensor(TF_Tensor handle, long[] shape, Tensor held) {
    this.handle = handle;
    this.shape = shape;
    this.held = held;
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    this.size = n;
  }

  /** A float tensor of {@code shape}, its values not set: write every one before feeding it. */
  public static FeedTensor floats(long... shape) {
    long size = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("a tensor's shape has no unknown sizes, got " + Arrays.toString(shape));
      }
      size *= d;
    }
    return new FeedTensor(TF_AllocateTensor(TF_FLOAT, shape, shape.length, size * Float.BYTES), shape.clone(), null);
  }

  /** A float tensor of {@code shape} holding {@code values} (row-major). */
  public static FeedTensor floats(float[] values, long... shape) {
    FeedTensor t = floats(shape);
    if (t.size != values.length) {
      t.close();
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + t.size
          + " values, got an array of " + values.length);
    }
    return t.write(0, values, 0, values.length);
  }

  /** A vector of 64-bit integers (a random seed's two halves). */
  public static FeedTensor longs(long... values) {
    long[] shape = {values.length};
    TF_Tensor h = TF_AllocateTensor(TF_INT64, shape, 1, (long) values.length * Long.BYTES);
    new LongPointer(TF_TensorData(h)).put(values);
    return new FeedTensor(h, shape, null);
  }

  /** {@code tensor}, made by TensorFlow Java, to feed as it is; closing this closes it. */
  public static FeedTensor of(Tensor tensor) {
    return new FeedTensor(TfInternals.tensor(tensor), tensor.shape().asArray(), tensor);
  }

  /** Writes {@code count} values of {@code src} from {@code from} at flat position {@code at}; returns this tensor. */
  public FeedTensor write(long at, float[] src, int from, int count) {
    if (at < 0 || at + count > size) {
      throw new IndexOutOfBoundsException("values [" + at + ", " + (at + count) + ") of a tensor of " + size);
    }
    new FloatPointer(data()).position(at).put(src, from, count);
    return this;
  }

  /**
   * Writes rows {@code rows[from..from + count)} of {@code src} (rows of {@code rowSize} values) as
   * this tensor's first {@code count} rows, in that order: a shuffled batch; returns this tensor.
   */
  public FeedTensor gather(float[] src, int rowSize, int[] rows, int from, int count) {
    if ((long) count * rowSize > size) {
      throw new IndexOutOfBoundsException(count + " rows of " + rowSize + " values into a tensor of " + size);
    }
    FloatPointer memory = new FloatPointer(data());
    for (int i = 0; i < count; i++) {
      memory.position((long) i * rowSize).put(src, rows[from + i] * rowSize, rowSize);
    }
    return this;
  }

  /** The tensor's values, flat and row-major (a float tensor's). */
  public float[] values() {
    float[] out = new float[Math.toIntExact(size)];
    new FloatPointer(data()).get(out);
    return out;
  }

  /** A new float tensor holding rows {@code [from, to)} of this one (a worker's share of a batch). */
  public FeedTensor rows(long from, long to) {
    if (shape.length == 0 || from < 0 || from > to || to > shape[0]) {
      throw new IndexOutOfBoundsException("rows [" + from + ", " + to + ") of a " + this);
    }
    long rowSize = shape[0] == 0 ? 0 : size / shape[0];
    long[] part = shape.clone();
    part[0] = to - from;
    FeedTensor t = floats(part);
    new FloatPointer(t.data()).put(new FloatPointer(data()).position(from * rowSize).limit(to * rowSize));
    return t;
  }

  public long[] shape() {
    return shape.clone();
  }

  /** The size of the first dimension: a batch's samples. */
  public long rows() {
    return shape.length == 0 ? 1 : shape[0];
  }

  /** The C API's handle, for a run to feed. */
  TF_Tensor handle() {
    if (handle == null) {
      throw new IllegalStateException("this tensor is closed");
    }
    return handle;
  }

  private Pointer data() {
    return floatData(handle());
  }

  /** {@code t}'s memory where it holds floats (a tensor fed, a run's result); else an error naming its type. */
  static Pointer floatData(TF_Tensor t) {
    if (TF_TensorType(t) != TF_FLOAT) {
      throw new IllegalArgumentException("expected a float32 tensor, got "
          + org.tensorflow.proto.DataType.forNumber(TF_TensorType(t)));
    }
    return TF_TensorData(t);
  }

  @Override
  public void close() {
    if (handle == null) {
      return;
    }
    if (held != null) {
      held.close();
    } else {
      TF_DeleteTensor(handle);
    }
    handle = null;
  }

  @Override
  public String toString() {
    return "tensor of shape " + Arrays.toString(shape);
  }
}
