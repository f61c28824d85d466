package dev.leibniz.examples;

import static dev.leibniz.dsl.Ops.abs;
import static dev.leibniz.dsl.Ops.add;
import static dev.leibniz.dsl.Ops.greater;
import static dev.leibniz.dsl.Ops.sum;

import dev.leibniz.FitOptions;
import dev.leibniz.History;
import dev.leibniz.Leibniz;
import dev.leibniz.Model;
import dev.leibniz.data.Data;
import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Layer;
import dev.leibniz.dsl.Tensor;
import dev.leibniz.layers.Dense;
import dev.leibniz.layers.GlobalAveragePooling1D;
import dev.leibniz.layers.LayerNormalization;
import dev.leibniz.layers.MultiHeadAttention;
import dev.leibniz.layers.PositionEmbedding;
import dev.leibniz.optimizers.Optimizers;
import java.util.Random;

/**
 * A Transformer encoder on the adding problem ("Deep Learning with TensorFlow 2 and Keras",
 * attention and Transformers): each sequence holds 50 to 200 steps of (value in [0, 1), marker),
 * two steps are marked (one in each half), and the target is the sum of their values: a
 * dependence across the whole sequence. Always predicting the mean scores a mean squared error
 * of 1/6 (0.167).
 *
 * <p>Sequences are padded with zeros to the longest; a step whose features are all 0 is padding
 * (Keras's {@code Masking(0.0)}): attention does not look at it and the pooling does not count
 * it. The model: a Dense projection to {@code d} plus learned positions, two encoder blocks
 * (self-attention, residual, LayerNormalization, feed-forward, residual, LayerNormalization, the
 * Keras example's block), a masked average over the steps ({@code GlobalAveragePooling1D.masked}), and Dense(1). Its graph is built for
 * steps of any count ({@code build(-1, 2)}): the same compiled model predicts on sequences of
 * other lengths.
 */
@dev.leibniz.dsl.Model
public final class AddingTransformer {
  /** One Transformer encoder block over [batch, steps, d], padding steps (0 in mask [batch, steps]) left out of attention. */
  @Layer
  public static final class EncoderBlock {
    final MultiHeadAttention attention;
    final LayerNormalization afterAttention = new LayerNormalization(1e-6);
    final Dense hidden;
    final Dense back;
    final LayerNormalization afterFeedForward = new LayerNormalization(1e-6);

    public EncoderBlock(int d, int heads, int feedForward) {
      this.attention = new MultiHeadAttention(heads, d / heads);
      this.hidden = new Dense(feedForward, "relu");
      this.back = new Dense(d);
    }

    @Call
    public Tensor call(Tensor x, Tensor mask) {
      Tensor h = afterAttention.call(add(x, attention.masked(x, x, mask)));
      return afterFeedForward.call(add(h, back.call(hidden.call(h))));
    }
  }

  public static final int MIN_LENGTH = 50;
  public static final int MAX_LENGTH = 200;

  final Dense embed;
  final PositionEmbedding positions;
  final EncoderBlock first;
  final EncoderBlock second;
  final GlobalAveragePooling1D pooling = new GlobalAveragePooling1D();
  final Dense out = new Dense(1);

  public AddingTransformer(int d, int heads, int maxLength) {
    this.embed = new Dense(d);
    this.positions = new PositionEmbedding(maxLength);
    this.first = new EncoderBlock(d, heads, 2 * d);
    this.second = new EncoderBlock(d, heads, 2 * d);
  }

  @Call
  public Tensor call(Tensor steps) {
    Tensor mask = greater(sum(abs(steps), 2), 0.0);
    Tensor h = embed.call(steps);
    h = add(h, positions.call(h));
    h = second.call(first.call(h, mask), mask);
    return out.call(pooling.masked(h, mask));
  }

  /** {@code n} sequences of {@code minLength} to {@code maxLength} steps, padded to maxLength, and their targets. */
  public static Data[] sequences(int n, int minLength, int maxLength, long seed) {
    Random r = new Random(seed);
    float[] x = new float[n * maxLength * 2];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      int length = minLength + r.nextInt(maxLength - minLength + 1);
      int a = r.nextInt(length / 2);
      int b = length / 2 + r.nextInt(length - length / 2);
      for (int t = 0; t < length; t++) {
        // Values in (0, 1]: a real step never has all features 0, which marks padding.
        x[(i * maxLength + t) * 2] = 1 - r.nextFloat();
      }
      x[(i * maxLength + a) * 2 + 1] = 1;
      x[(i * maxLength + b) * 2 + 1] = 1;
      y[i] = x[(i * maxLength + a) * 2] + x[(i * maxLength + b) * 2];
    }
    return new Data[] {Data.of(x, maxLength, 2), Data.of(y, 1)};
  }

  /**
   * What training reached: fit's history, the test set's mean squared error and the mean's, and
   * the error on sequences padded to another length (50 to 80 steps in 80), run by the same graph.
   */
  public record Result(History history, double testMse, double meanMse, double shorterMse) {}

  /** Trains on {@code n} sequences, tests on 1,000 others; batch 64, Adam(1e-3). */
  public static Result train(int n, int epochs, int minLength, int maxLength, boolean verbose) {
    Data[] train = sequences(n, minLength, maxLength, 1);
    Data[] test = sequences(1000, minLength, maxLength, 2);
    try (Model model = Leibniz.model(new AddingTransformer(32, 4, maxLength)).seed(7).build(-1, 2)) {
      model.compile(Optimizers.adam(1e-3f), "mse");
      History history = model.fit(train[0], train[1], FitOptions.epochs(epochs).batchSize(64)
          .validationData(test[0], test[1]).verbose(verbose ? 1 : 0));
      float[] predicted = model.predict(test[0], 250).values();
      Data[] shorter = sequences(500, 50, 80, 3);
      float[] predictedShorter = model.predict(shorter[0], 250).values();
      return new Result(history, mse(predicted, test[1].values()), meanMse(train[1].values(), test[1].values()),
          mse(predictedShorter, shorter[1].values()));
    }
  }

  static double mse(float[] predicted, float[] targets) {
    double s = 0;
    for (int i = 0; i < targets.length; i++) {
      s += (predicted[i] - targets[i]) * (predicted[i] - targets[i]);
    }
    return s / targets.length;
  }

  /** The error of always predicting the training targets' mean. */
  static double meanMse(float[] train, float[] test) {
    double mean = 0;
    for (float v : train) {
      mean += v / train.length;
    }
    float[] constant = new float[test.length];
    java.util.Arrays.fill(constant, (float) mean);
    return mse(constant, test);
  }

  public static void main(String[] args) {
    int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    Result r = train(10000, epochs, MIN_LENGTH, MAX_LENGTH, true);
    System.out.printf("adding problem, %d-%d steps: test mean squared error %.4f (always the mean: %.4f);"
        + " sequences of 50-80 steps through the same graph: %.4f%n", MIN_LENGTH, MAX_LENGTH, r.testMse(), r.meanMse(),
        r.shorterMse());
  }
}
