package dev.leibniz.tf;

import java.util.Arrays;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Java arrays in and out of TensorFlow tensors in one bulk copy (no per-element loop): feed
 * flat {@code float[]} with a shape, read back flat.
 */
public final class Tensors {
  private Tensors() {}

  /** A fetched tensor's values, flat and row-major, with its shape. */
  public record Shaped(long[] shape, float[] values) {}

  /** A float tensor of {@code shape} holding {@code data} (row-major); the caller closes it. */
  public static TFloat32 of(float[] data, long... shape) {
    long size = Shape.of(shape).size();
    if (size != data.length) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + size
          + " values, got an array of " + data.length);
    }
    return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(data, true, false));
  }

  public static TFloat32 scalar(float value) {
    return TFloat32.scalarOf(value);
  }

  /** The values of a float tensor, flat and row-major. */
  public static float[] toFloats(Tensor t) {
    if (!(t instanceof TFloat32 f)) {
      throw new IllegalArgumentException("expected a float32 tensor, got " + t.dataType() + " " + t.shape());
    }
    float[] out = new float[Math.toIntExact(f.shape().size())];
    f.copyTo(DataBuffers.of(out, false, false));
    return out;
  }
}
