package dev.leibniz.dsl;

/**
 * How a weight starts. Random initializers draw from TensorFlow's stateless random ops, seeded
 * by the graph's seed and the weight's position, so a model starts the same on every run.
 */
public sealed interface Init {
  Init ZEROS = new Constant(0);
  Init ONES = new Constant(1);
  /** Keras's default for kernels: uniform in +-sqrt(6 / (fanIn + fanOut)). */
  Init GLOROT_UNIFORM = new GlorotUniform();
  /** Keras's {@code RandomUniform()} default: uniform in [-0.05, 0.05). */
  Init RANDOM_UNIFORM = new RandomUniform(-0.05, 0.05);
  /** Keras's {@code RandomNormal()} default: mean 0, standard deviation 0.05. */
  Init RANDOM_NORMAL = new RandomNormal(0, 0.05);

  /** Keras's {@code Orthogonal()}: the default for recurrent kernels (rows or columns orthonormal). */
  Init ORTHOGONAL = new Orthogonal(1);

  /**
   * Keras's LSTM bias with {@code unit_forget_bias}: a vector of 4 units, the second quarter (the
   * forget gate's) at 1 and the rest at 0, so that the stored bias is Keras's.
   */
  Init UNIT_FORGET_BIAS = new UnitForgetBias();

  static Init constant(double value) {
    return new Constant(value);
  }

  static Init uniform(double min, double max) {
    return new RandomUniform(min, max);
  }

  static Init normal(double mean, double stddev) {
    return new RandomNormal(mean, stddev);
  }

  record Constant(double value) implements Init {}

  record RandomUniform(double min, double max) implements Init {
    public RandomUniform {
      if (!(min < max)) {
        throw new IllegalArgumentException("uniform needs min < max, got [" + min + ", " + max + ")");
      }
    }
  }

  record RandomNormal(double mean, double stddev) implements Init {
    public RandomNormal {
      if (!(stddev > 0)) {
        throw new IllegalArgumentException("normal needs stddev > 0, got " + stddev);
      }
    }
  }

  /**
   * A random orthogonal matrix times {@code gain}, as Keras draws it: the Q of the QR
   * decomposition of a normal matrix, signs fixed by R's diagonal. A weight of rank above 2 is
   * treated as [product of the leading dimensions, last dimension].
   */
  record Orthogonal(double gain) implements Init {}

  record UnitForgetBias() implements Init {}

  /** Fan-in and fan-out are the first and last dimensions (the middle ones multiply both). */
  record GlorotUniform() implements Init {}
}
