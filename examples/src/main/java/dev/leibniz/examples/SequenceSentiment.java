package dev.leibniz.examples;

import dev.leibniz.FitOptions;
import dev.leibniz.Model;
import dev.leibniz.Sequential;
import dev.leibniz.data.Data;
import dev.leibniz.layers.Bidirectional;
import dev.leibniz.layers.Dense;
import dev.leibniz.layers.Embedding;
import dev.leibniz.layers.GRU;
import dev.leibniz.layers.LSTM;
import dev.leibniz.layers.SimpleRNN;
import dev.leibniz.optimizers.Optimizers;
import java.util.Random;

/**
 * Sentiment of generated "reviews": sequences of 12 token ids from a vocabulary of 20, where
 * tokens 1-4 are positive words, 5-8 negative ones and the rest neutral; a review is positive
 * when it has more positive than negative words. Embedding(20, 8), a recurrent layer of 16 units
 * over the 12 steps (SimpleRNN, LSTM, GRU, two LSTMs stacked, or a bidirectional LSTM), Dense(2, softmax); RMSprop. Each
 * reaches 90% test accuracy or more within 15 epochs of 2,000 reviews (BookModelsTest asserts it).
 */
public final class SequenceSentiment {
  public static final int VOCABULARY = 20;
  public static final int LENGTH = 12;

  private SequenceSentiment() {}

  /** {@code n} reviews (no ties) and their labels (1: positive). */
  public static Data[] reviews(int n, long seed) {
    Random r = new Random(seed);
    float[] x = new float[n * LENGTH];
    int[] y = new int[n];
    for (int i = 0; i < n; ) {
      int score = 0;
      for (int t = 0; t < LENGTH; t++) {
        int token = r.nextInt(VOCABULARY);
        x[i * LENGTH + t] = token;
        score += token >= 1 && token <= 4 ? 1 : token >= 5 && token <= 8 ? -1 : 0;
      }
      if (score != 0) {
        y[i++] = score > 0 ? 1 : 0;
      }
    }
    return new Data[] {Data.of(x, LENGTH), Data.labels(y)};
  }

  /** The recurrent part: one layer, two LSTMs stacked (the first returning its whole sequence), or an LSTM both ways. */
  public enum Kind { SIMPLE_RNN, LSTM, GRU, STACKED_LSTM, BIDIRECTIONAL_LSTM }

  public static Model model(Kind kind) {
    Embedding embedding = new Embedding(VOCABULARY, 8);
    Dense classes = new Dense(2, "softmax");
    return switch (kind) {
      case SIMPLE_RNN -> Sequential.of(embedding, new SimpleRNN(16, LENGTH), classes);
      case LSTM -> Sequential.of(embedding, new LSTM(16, LENGTH), classes);
      case GRU -> Sequential.of(embedding, new GRU(16, LENGTH), classes);
      case STACKED_LSTM -> Sequential.of(embedding, new LSTM(16, LENGTH, true), new LSTM(16, LENGTH), classes);
      case BIDIRECTIONAL_LSTM -> Sequential.of(embedding, new Bidirectional(new LSTM(16, LENGTH)), classes);
    };
  }

  /** Trains a model of {@code kind} and returns its test accuracy. */
  public static double train(Kind kind, int epochs, boolean verbose) {
    Data[] train = reviews(2000, 1);
    Data[] test = reviews(500, 2);
    try (Model model = model(kind)) {
      model.compile(Optimizers.rmsprop(3e-3f), "sparse_categorical_crossentropy", "accuracy");
      model.fit(train[0], train[1], FitOptions.epochs(epochs).batchSize(32).verbose(verbose ? 1 : 0));
      return model.evaluate(test[0], test[1], 100).get("accuracy");
    }
  }

  public static void main(String[] args) {
    for (Kind kind : Kind.values()) {
      System.out.printf("%s: test accuracy %.3f%n", kind, train(kind, 15, false));
    }
  }
}
