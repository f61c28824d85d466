package dev.leibniz.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * One feature of a {@code tf.train.Example} record, as {@code tf.io.FixedLenFeature}: its name, its
 * kind and the shape of one sample's value. Floats and integers reach the model as float32
 * (integers, such as class labels, converted); bytes stay strings, for a map such as
 * {@link TextVectorization} to turn into numbers.
 */
public record Feature(String name, Kind kind, long[] shape) {
  /**
   * How the record stores the values: {@code float_list}, {@code int64_list}, {@code bytes_list} (a
   * string), or {@code RAW_FLOAT}: one {@code bytes_list} entry holding the sample's floats as
   * little-endian float32 bytes, read with {@code tf.io.decode_raw}: parsed as one string, not float by float.
   */
  public enum Kind { FLOAT, INT64, BYTES, RAW_FLOAT }

  public Feature {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    shape = shape.clone();
    for (long d : shape) {
      if (d < 1) {
        throw new IllegalArgumentException("feature " + name + ": dimensions must be positive, got " + Arrays.toString(shape));
      }
    }
  }

  /** A {@code float_list} feature of {@code shape} per sample (e.g. 784, or 28, 28, 1). */
  public static Feature floats(String name, long... shape) {
    return new Feature(name, Kind.FLOAT, shape);
  }

  /** An {@code int64_list} feature of {@code shape} per sample; with no shape, one integer, such as a class label. */
  public static Feature ints(String name, long... shape) {
    return new Feature(name, Kind.INT64, shape);
  }

  /**
   * Floats of {@code shape} per sample stored as raw bytes (little-endian float32 in one
   * {@code bytes_list} entry, as {@code tf.io.serialize}-style pipelines write them for
   * {@code decode_raw}): the fastest of the kinds to read. {@link TfRecords#writeRaw} writes them.
   */
  public static Feature rawFloats(String name, long... shape) {
    return new Feature(name, Kind.RAW_FLOAT, shape);
  }

  /** A {@code bytes_list} feature holding one string per sample (a sentence, an encoded image). */
  public static Feature bytes(String name) {
    return new Feature(name, Kind.BYTES, new long[0]);
  }

  /** Values per sample. */
  long size() {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Feature f && f.name.equals(name) && f.kind == kind && Arrays.equals(f.shape, shape);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, kind, Arrays.hashCode(shape));
  }

  @Override
  public String toString() {
    return name + " (" + kind.name().toLowerCase(java.util.Locale.ROOT) + " " + Arrays.toString(shape) + ")";
  }
}
