package dev.leibniz.examples;

import dev.leibniz.FitOptions;
import dev.leibniz.Leibniz;
import dev.leibniz.Model;
import dev.leibniz.data.Data;
import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Ops.WithStates;
import dev.leibniz.dsl.Tensor;
import dev.leibniz.layers.Dense;
import dev.leibniz.layers.Embedding;
import dev.leibniz.layers.LSTM;
import dev.leibniz.optimizers.Optimizers;
import java.util.List;
import java.util.Random;

/**
 * A sequence-to-sequence model ("Deep Learning with TensorFlow 2 and Keras", ch. 8; Keras's
 * "character-level recurrent sequence-to-sequence model"): an LSTM encoder reads a sequence of
 * digits and hands its final states {@code (h, c)} to an LSTM decoder, which writes the sequence
 * reversed one digit at a time. Training is teacher forcing: the decoder reads the target shifted
 * by one (a start token first) and predicts each next digit (sparse labels {@code [batch, steps]}).
 * Decoding is greedy: the decoder's input grows by the digit it chose, and the same model (its
 * decoder input built for any length) runs again.
 */
@dev.leibniz.dsl.Model
public final class Seq2SeqReversal {
  public static final int DIGITS = 10; // 0-9; the decoder's start token is 10
  public static final int LENGTH = 8;
  static final int START = DIGITS;

  final Embedding sourceEmbedding = new Embedding(DIGITS, 16);
  final Embedding targetEmbedding = new Embedding(DIGITS + 1, 16);
  final LSTM encoder = new LSTM(64);
  final LSTM decoder = new LSTM(64, true);
  final Dense digits = new Dense(DIGITS, "softmax");

  /** The next digit's probabilities at every step of {@code previous} (the decoder's input), given {@code source}. */
  @Call
  public Tensor call(Tensor source, Tensor previous) {
    WithStates read = encoder.withStates(sourceEmbedding.call(source));
    return digits.call(decoder.from(targetEmbedding.call(previous), read.h(), read.c()));
  }

  /** {@code n} random sequences: sources, decoder inputs (start, then the reversal but its last), and the reversals. */
  public static Data[] data(int n, long seed) {
    Random random = new Random(seed);
    float[] source = new float[n * LENGTH];
    float[] previous = new float[n * LENGTH];
    float[] target = new float[n * LENGTH];
    for (int i = 0; i < n; i++) {
      for (int t = 0; t < LENGTH; t++) {
        source[i * LENGTH + t] = random.nextInt(DIGITS);
      }
      for (int t = 0; t < LENGTH; t++) {
        target[i * LENGTH + t] = source[i * LENGTH + LENGTH - 1 - t];
        previous[i * LENGTH + t] = t == 0 ? START : target[i * LENGTH + t - 1];
      }
    }
    return new Data[] {Data.of(source, LENGTH), Data.of(previous, LENGTH), Data.of(target, LENGTH)};
  }

  /** The model, built for sources of {@link #LENGTH} digits and decoder inputs of any length. */
  public static Model model() {
    return Leibniz.model(new Seq2SeqReversal()).seed(5).build(List.of(new long[] {LENGTH}, new long[] {-1}));
  }

  /** Greedy decoding of each source: the reversal the model writes, one digit per run. */
  public static float[] decode(Model model, Data sources) {
    int n = sources.count();
    float[] written = new float[n * LENGTH];
    for (int t = 0; t < LENGTH; t++) {
      float[] previous = new float[n * (t + 1)];
      for (int i = 0; i < n; i++) {
        previous[i * (t + 1)] = START;
        System.arraycopy(written, i * LENGTH, previous, i * (t + 1) + 1, t);
      }
      float[] p = model.predict(List.of(sources, Data.of(previous, t + 1)), 256).get(0).values();
      for (int i = 0; i < n; i++) {
        int at = (i * (t + 1) + t) * DIGITS;
        int best = 0;
        for (int d = 1; d < DIGITS; d++) {
          best = p[at + d] > p[at + best] ? d : best;
        }
        written[i * LENGTH + t] = best;
      }
    }
    return written;
  }

  /** Trained model's share of test sequences decoded exactly, and of digits decoded right. */
  public record Result(double sequenceAccuracy, double digitAccuracy) {}

  public static Result train(int sequences, int epochs, boolean verbose) {
    Data[] train = data(sequences, 1);
    Data[] test = data(500, 2);
    try (Model model = model()) {
      model.compile(Optimizers.adam(3e-3f), "sparse_categorical_crossentropy");
      model.fit(List.of(train[0], train[1]), List.of(train[2]),
          FitOptions.epochs(epochs).batchSize(64).verbose(verbose ? 1 : 0));
      float[] written = decode(model, test[0]);
      float[] truth = test[2].values();
      int exact = 0;
      int right = 0;
      for (int i = 0; i < test[0].count(); i++) {
        boolean all = true;
        for (int t = 0; t < LENGTH; t++) {
          boolean ok = written[i * LENGTH + t] == truth[i * LENGTH + t];
          right += ok ? 1 : 0;
          all &= ok;
        }
        exact += all ? 1 : 0;
      }
      return new Result((double) exact / test[0].count(), (double) right / truth.length);
    }
  }

  public static void main(String[] args) {
    Result r = train(10_000, args.length > 0 ? Integer.parseInt(args[0]) : 8, true);
    System.out.printf("reversed exactly: %.3f of the test sequences (%.3f of the digits)%n", r.sequenceAccuracy(),
        r.digitAccuracy());
  }
}
