package dev.leibniz.data;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;

/**
 * Samples a Java iterator makes, as Keras's {@code PyDataset}: a fresh iterator per pass, each
 * sample one flat array per component (inputs, then targets), so many per pass.
 */
final class GeneratorSource implements Source {
  final Supplier<? extends Iterator<float[][]>> samples;
  final long count;
  final List<long[]> shapes;
  private final int inputs;

  GeneratorSource(Supplier<? extends Iterator<float[][]>> samples, long count, List<long[]> inputShapes,
      List<long[]> targetShapes) {
    if (count < 1) {
      throw new IllegalArgumentException("a generator declares how many samples a pass gives (at least 1), got " + count);
    }
    if (inputShapes.isEmpty()) {
      throw new IllegalArgumentException("a generator's samples need at least one input");
    }
    this.samples = java.util.Objects.requireNonNull(samples, "samples");
    this.count = count;
    this.inputs = inputShapes.size();
    this.shapes = java.util.stream.Stream.concat(inputShapes.stream(), targetShapes.stream()).map(long[]::clone).toList();
  }

  /** Values per sample of component {@code i}. */
  int size(int i) {
    return Math.toIntExact(Arrays.stream(shapes.get(i)).reduce(1, Math::multiplyExact));
  }

  @Override
  public int inputs() {
    return inputs;
  }

  @Override
  public long count() {
    return count;
  }

  @Override
  public String diagnose() {
    return null;
  }

  @Override
  public String toString() {
    return "a generator of " + count + " samples";
  }
}
