package dev.leibniz.examples;

import dev.leibniz.FitOptions;
import dev.leibniz.History;
import dev.leibniz.Model;
import dev.leibniz.Sequential;
import dev.leibniz.data.Data;
import dev.leibniz.layers.Bidirectional;
import dev.leibniz.layers.Dense;
import dev.leibniz.layers.LSTM;
import dev.leibniz.layers.Masking;
import dev.leibniz.optimizers.Optimizers;

/**
 * The adding problem of {@link AddingTransformer} (sequences of 50 to 200 steps of (value, marker),
 * padded with zeros to 200; predict the sum of the two marked values) with a bidirectional LSTM:
 * {@code Masking()} marks the padding, {@code Bidirectional(LSTM(units))} reads the real steps only
 * (each direction skips the padding, as Keras's), {@code Dense(1)}. One model for every length.
 */
public final class AddingLstm {
  private AddingLstm() {}

  public static Model model(int units) {
    return Sequential.of(new Masking(), new Bidirectional(new LSTM(units)), new Dense(1)).seed(7).build(-1, 2);
  }

  /**
   * Trains on {@code n} sequences, tests on 1,000 others; batch 64, Adam(1e-2). As LSTMs do on this
   * task, it sits at the mean's error for some epochs (5 of 10,000 sequences here), then drops.
   */
  public static AddingTransformer.Result train(int n, int epochs, int units, boolean verbose) {
    int min = AddingTransformer.MIN_LENGTH;
    int max = AddingTransformer.MAX_LENGTH;
    Data[] train = AddingTransformer.sequences(n, min, max, 1);
    Data[] test = AddingTransformer.sequences(1000, min, max, 2);
    try (Model model = model(units)) {
      model.compile(Optimizers.adam(1e-2f), "mse");
      History history = model.fit(train[0], train[1], FitOptions.epochs(epochs).batchSize(64)
          .validationData(test[0], test[1]).verbose(verbose ? 1 : 0));
      float[] predicted = model.predict(test[0], 250).values();
      Data[] shorter = AddingTransformer.sequences(500, 50, 80, 3);
      float[] predictedShorter = model.predict(shorter[0], 250).values();
      return new AddingTransformer.Result(history, AddingTransformer.mse(predicted, test[1].values()),
          AddingTransformer.meanMse(train[1].values(), test[1].values()),
          AddingTransformer.mse(predictedShorter, shorter[1].values()));
    }
  }

  public static void main(String[] args) {
    int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    AddingTransformer.Result r = train(10000, epochs, 32, true);
    System.out.printf("adding problem, bidirectional LSTM(32): test mean squared error %.4f (always the mean: %.4f);"
        + " sequences of 50-80 steps: %.4f%n", r.testMse(), r.meanMse(), r.shorterMse());
  }
}
