package dev.leibniz.data;

import java.util.Arrays;
import java.util.Objects;
import dev.leibniz.tf.FeedTensor;

/**
 * Samples held flat, row-major, with the shape of one sample: what {@code fit}, {@code evaluate}
 * and {@code predict} take. Batches are copied out in one bulk copy per batch. Class labels
 * ({@link #labels}) are held as floats with an empty sample shape and remembered as labels, so
 * that their range can be checked against the model's classes.
 */
public final class Data {
  private final float[] values;
  private final long[] sampleShape;
  private final int sampleSize;
  private final int count;
  private final boolean labels;

  private Data(float[] values, long[] sampleShape, boolean labels, String what) {
    this(values, sampleShape, labels, what, true);
  }

  /** {@code checkFinite}: false only for values taken from a Data that was checked already. */
  private Data(float[] values, long[] sampleShape, boolean labels, String what, boolean checkFinite) {
    this.values = values;
    this.sampleShape = sampleShape.clone();
    long size = 1;
    for (long d : sampleShape) {
      if (d <= 0) {
        throw new IllegalArgumentException(what + ": sample dimensions must be positive, got " + Arrays.toString(sampleShape));
      }
      size *= d;
    }
    this.sampleSize = Math.toIntExact(size);
    if (values.length % sampleSize != 0) {
      throw new IllegalArgumentException(what + ": " + values.length + " values do not divide into samples of shape "
          + Arrays.toString(sampleShape) + " (" + sampleSize + " values each)");
    }
    this.count = values.length / sampleSize;
    this.labels = labels;
    for (int i = 0; checkFinite && i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        throw new IllegalArgumentException(what + " holds " + values[i] + " at sample " + i / sampleSize
            + " (value " + i % sampleSize + " of it); inputs and targets must be finite numbers");
      }
    }
  }

  /** Flat row-major values, {@code sampleShape} per sample (e.g. 28, 28 for images); the count follows. */
  public static Data of(float[] values, long... sampleShape) {
    if (values == null) {
      throw new IllegalArgumentException("no samples: the values are null");
    }
    return new Data(values, sampleShape, false, "data");
  }

  /** One row per sample. */
  public static Data of(float[][] rows) {
    if (rows == null) {
      throw new IllegalArgumentException("no samples: the array is null");
    }
    if (rows.length == 0) {
      throw new IllegalArgumentException("no samples: the array is empty");
    }
    int width = rows[0].length;
    float[] flat = new float[rows.length * width];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != width) {
        throw new IllegalArgumentException("rows must all have the same length: row 0 has " + width + ", row " + i
            + " has " + rows[i].length);
      }
      System.arraycopy(rows[i], 0, flat, i * width, width);
    }
    return new Data(flat, new long[] {width}, false, "data");
  }

  /** Class indices, one per sample (for sparse losses and accuracies). */
  public static Data labels(int[] labels) {
    if (labels == null) {
      throw new IllegalArgumentException("no labels: the array is null");
    }
    float[] values = new float[labels.length];
    for (int i = 0; i < labels.length; i++) {
      values[i] = labels[i];
    }
    return new Data(values, new long[0], true, "labels");
  }

  public int count() {
    return count;
  }

  public long[] sampleShape() {
    return sampleShape.clone();
  }

  public boolean isLabels() {
    return labels;
  }

  /** The values, flat (not a copy: do not change them). */
  public float[] values() {
    return values;
  }

  /** Sample {@code i}'s values. */
  public float[] sample(int i) {
    return Arrays.copyOfRange(values, i * sampleSize, (i + 1) * sampleSize);
  }

  /** Samples {@code from} (inclusive) to {@code to}. */
  public Data slice(int from, int to) {
    Objects.checkFromToIndex(from, to, count);
    return new Data(Arrays.copyOfRange(values, from * sampleSize, to * sampleSize), sampleShape, labels, "data", false);
  }

  /** The samples at {@code indices}, in that order (numpy's {@code x[indices]}): to shuffle or pick samples. */
  public Data take(int[] indices) {
    float[] out = new float[Math.multiplyExact(indices.length, sampleSize)];
    for (int i = 0; i < indices.length; i++) {
      Objects.checkIndex(indices[i], count);
      System.arraycopy(values, indices[i] * sampleSize, out, i * sampleSize, sampleSize);
    }
    return new Data(out, sampleShape, labels, "data", false);
  }

  /** The shape of {@code n} of these samples together: {@code [n, sampleShape...]}. */
  public long[] batchShape(int n) {
    long[] shape = new long[sampleShape.length + 1];
    shape[0] = n;
    System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
    return shape;
  }

  /** The samples {@code order[from..to)} as one tensor {@code [to - from, sampleShape...]}; the caller closes it. */
  public FeedTensor batch(int[] order, int from, int to) {
    int n = to - from;
    FeedTensor batch = FeedTensor.floats(batchShape(n));
    if (order == null) { // in order: one copy of the range, straight from the array into the tensor's memory
      return batch.write(0, values, from * sampleSize, n * sampleSize);
    }
    // shuffled: each sample straight into the tensor's memory, no array in between to collect
    return batch.gather(values, sampleSize, order, from, n);
  }

  /** Rows of flat samples, for results. */
  public float[][] rows() {
    float[][] out = new float[count][];
    for (int i = 0; i < count; i++) {
      out[i] = sample(i);
    }
    return out;
  }

  @Override
  public String toString() {
    return (labels ? "labels" : "data") + " of " + count + " samples of shape " + Arrays.toString(sampleShape);
  }
}
