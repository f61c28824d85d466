package dev.leibniz.dsl;

import java.util.Arrays;

/** A tensor shape; {@code -1} marks a dimension known only at run time (usually the batch). */
public final class Shape {
  public static final long UNKNOWN = -1;

  private final long[] dims;

  private Shape(long[] dims) {
    for (long d : dims) {
      if (d < UNKNOWN) {
        throw new IllegalArgumentException(
            "dimensions are sizes or -1 (unknown), got " + Arrays.toString(dims));
      }
    }
    this.dims = dims;
  }

  public static Shape of(long... dims) {
    return new Shape(dims.clone());
  }

  public static Shape scalar() {
    return new Shape(new long[0]);
  }

  public int rank() {
    return dims.length;
  }

  /** Dimension {@code i}; negative {@code i} counts from the end, as in Python. */
  public long dim(int i) {
    int at = i < 0 ? dims.length + i : i;
    if (at < 0 || at >= dims.length) {
      throw new IndexOutOfBoundsException("axis " + i + " of a rank-" + dims.length + " shape " + this);
    }
    return dims[at];
  }

  /** The last dimension: the feature size of a batch of vectors. */
  public long last() {
    if (dims.length == 0) {
      throw new IllegalStateException("a scalar shape has no last dimension");
    }
    return dims[dims.length - 1];
  }

  public long[] dims() {
    return dims.clone();
  }

  public boolean isFullyKnown() {
    return Arrays.stream(dims).allMatch(d -> d >= 0);
  }

  /** The number of elements, when every dimension is known. */
  public long size() {
    if (!isFullyKnown()) {
      throw new IllegalStateException("shape " + this + " has unknown dimensions");
    }
    return Arrays.stream(dims).reduce(1, (a, b) -> a * b);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Shape s && Arrays.equals(dims, s.dims);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(dims);
  }

  @Override
  public String toString() {
    return Arrays.toString(dims).replace("-1", "?");
  }
}
