package dev.leibniz.parity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.FitOptions;
import dev.leibniz.Functional;
import dev.leibniz.Leibniz;
import dev.leibniz.Model;
import dev.leibniz.Sequential;
import dev.leibniz.data.Data;
import dev.leibniz.layers.Add;
import dev.leibniz.layers.Bidirectional;
import dev.leibniz.layers.BatchNormalization;
import dev.leibniz.layers.Concatenate;
import dev.leibniz.layers.Conv1D;
import dev.leibniz.layers.Conv2D;
import dev.leibniz.layers.Conv2DTranspose;
import dev.leibniz.layers.GlobalAveragePooling2D;
import dev.leibniz.layers.GlobalMaxPooling1D;
import dev.leibniz.layers.LayerNormalization;
import dev.leibniz.layers.LeakyReLU;
import dev.leibniz.layers.MaxPooling1D;
import dev.leibniz.layers.MultiHeadAttention;
import dev.leibniz.layers.GlobalAveragePooling1D;
import dev.leibniz.layers.UpSampling2D;
import dev.leibniz.layers.Dense;
import dev.leibniz.layers.Dropout;
import dev.leibniz.layers.Flatten;
import dev.leibniz.layers.Embedding;
import dev.leibniz.layers.GRU;
import dev.leibniz.layers.LSTM;
import dev.leibniz.layers.Masking;
import dev.leibniz.layers.MaxPooling2D;
import dev.leibniz.layers.SimpleRNN;
import dev.leibniz.layers.TimeDistributed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import dev.leibniz.optimizers.Optimizers;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Weights that move between Keras and Leibniz (weights.txt and the *.weights.h5 files Keras's
 * save_weights wrote): the same model built in Leibniz predicts what Keras predicted, from
 * Keras's get_weights() verbatim and from its weights file; what Leibniz writes reads back the
 * same; a file for another model is an error that says what it holds and changes nothing.
 */
class KerasWeightsTest {
  static final KerasFixture WEIGHTS = KerasFixture.read("weights.txt");

  static Stream<String> models() {
    return WEIGHTS.cases.stream().map(KerasFixture.Case::name);
  }

  /** The Leibniz model of each Keras model make_parity.py saved, built. */
  static Model model(String name) {
    return switch (name) {
      case "lstm" -> Sequential.of(new LSTM(4, 5), new Dense(2)).build(5, 3);
      case "gru" -> Sequential.of(new GRU(4, 5), new Dense(2)).build(5, 3);
      case "stacked_recurrent" -> Sequential.of(new SimpleRNN(3, 5, true), new LSTM(4, 5, true), new GRU(2, 5))
          .build(5, 3);
      case "convnet" -> Sequential.of(new Conv2D(3, 3, "relu"), new BatchNormalization(), new MaxPooling2D(2),
          new Flatten(), new Dropout(0.5), new Dense(2, "softmax")).build(8, 8, 2);
      case "functional" -> {
        Functional.Symbol a = Functional.input(3);
        Functional.Symbol b = Functional.input(3);
        Functional.Symbol d1 = Functional.apply(new Dense(2), a);
        Functional.Symbol d2 = Functional.apply(new Dense(2), b);
        Functional.Symbol joined = Functional.apply(new Concatenate(), Functional.apply(new Add(), d1, d2), d1);
        yield Functional.model(List.of(a, b), List.of(Functional.apply(new Dense(1), joined))).build(
            List.of(new long[] {3}, new long[] {3}));
      }
      case "sequence" -> Sequential.of(new Conv1D(4, 3, "relu"), new MaxPooling1D(2), new LayerNormalization(),
          new Dense(5, "tanh"), new GlobalMaxPooling1D(), new Dense(2)).build(10, 3);
      case "growing" -> Sequential.of(new Conv2DTranspose(3, 3, 2, dev.leibniz.dsl.Padding.SAME, "linear"),
          new LeakyReLU(0.2), new UpSampling2D(), new GlobalAveragePooling2D(), new Dense(2)).build(3, 3, 2);
      case "bidirectional" -> Sequential.of(new Bidirectional(new LSTM(4, 5, true)), new Bidirectional(new GRU(2, 5)),
          new Dense(2)).build(5, 3);
      case "attention" -> {
        Functional.Symbol x = Functional.input(6, 4);
        Functional.Symbol a = Functional.apply(new MultiHeadAttention(2, 3), x, x);
        Functional.Symbol b = Functional.apply(new MultiHeadAttention(3, 2, 4, true), a, a);
        Functional.Symbol pooled = Functional.apply(new GlobalAveragePooling1D(), Functional.apply(
            new LayerNormalization(), b));
        yield Functional.model(x, Functional.apply(new Dense(2), pooled)).build(6, 4);
      }
      case "masked_attention" -> Leibniz.model(new MaskedAttention()).build(List.of(new long[] {6, 4},
          new long[] {6}));
      // Any length: recurrent layers made without a length, built for [batch, -1, 3].
      case "any_length" -> Sequential.of(new Bidirectional(new LSTM(4, true)), new GRU(3), new Dense(2)).build(-1, 3);
      // Padding masks flow from Embedding(maskZero) and Masking into the recurrent layers and the pooling.
      case "masked_recurrent" -> Sequential.of(new Embedding(7, 3, true), new Bidirectional(new LSTM(4, true)),
          new Dense(3), new GRU(3), new Dense(2)).build(6);
      case "masking" -> Sequential.of(new Masking(), new SimpleRNN(3, true), new GlobalAveragePooling1D(),
          new Dense(2)).build(6, 2);
      case "masked_self_attention" -> {
        Functional.Symbol tokens = Functional.input(6);
        Functional.Symbol embedded = Functional.apply(new Embedding(7, 4, true), tokens);
        Functional.Symbol attended = Functional.apply(new MultiHeadAttention(2, 3), embedded, embedded);
        yield Functional.model(tokens, Functional.apply(new Dense(2), Functional.apply(new GlobalAveragePooling1D(),
            attended))).build(6);
      }
      case "masked_sequence_loss" -> Sequential.of(new Embedding(7, 4, true), new LSTM(5, true),
          new Dense(3, "softmax")).build(6);
      case "time_distributed" -> Sequential.of(new TimeDistributed(new Conv2D(3, 3, "relu")),
          new TimeDistributed(new Flatten()), new LSTM(4), new Dense(2)).build(4, 6, 6, 2);
      default -> throw new IllegalArgumentException(name);
    };
  }

  static List<Data> inputs(String name) {
    List<Data> x = new ArrayList<>();
    for (KerasFixture.Array a : WEIGHTS.numbered(name + ".x")) {
      long[] sample = java.util.Arrays.copyOfRange(a.shape(), 1, a.shape().length);
      x.add(Data.of(a.values(), sample));
    }
    return x;
  }

  static float[] predict(Model m, String name) {
    return m.predict(inputs(name), 64).get(0).values();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void kerasGetWeightsVerbatimPredictAsKeras(String name) {
    try (Model m = model(name)) {
      m.setWeights(WEIGHTS.numbered(name + ".weight").stream().map(KerasFixture.Array::values).toList());
      LossParityTest.assertClose(WEIGHTS.get(name + ".predictions").values(), predict(m, name), name);
    }
  }

  /**
   * A loss over padded steps is the mean over the real steps only, and so is accuracy, as Keras's
   * evaluate gives them (a padding mask from Embedding(maskZero) reaching a per-step output).
   */
  @Test
  void aLossOverPaddedStepsIsTheMeanOverTheRealSteps() throws IOException {
    try (Model m = model("masked_sequence_loss")) {
      m.loadWeights(KerasFixture.DIR.resolve("masked_sequence_loss.weights.h5"));
      m.compile(Optimizers.adam(5e-2f), "sparse_categorical_crossentropy", "accuracy");
      float[] keras = WEIGHTS.get("masked_sequence_loss.evaluate").values();
      Map<String, Double> got = m.evaluate(inputs("masked_sequence_loss").get(0),
          Data.of(WEIGHTS.get("masked_sequence_loss.labels").values(), 6), 64);
      assertEquals(keras[0], got.get("loss"), 1e-5, "loss");
      assertEquals(keras[1], got.get("accuracy"), 1e-6, "accuracy");
      Data x = inputs("masked_sequence_loss").get(0);
      Data y = Data.of(WEIGHTS.get("masked_sequence_loss.labels").values(), 6);
      m.fit(x, y, dev.leibniz.FitOptions.epochs(60).batchSize(4).verbose(0));
      double after = m.evaluate(x, y, 64).get("loss");
      assertTrue(after < 0.5 * keras[0], "training on the real steps: loss " + keras[0] + " -> " + after);
    }
  }

  /** One graph, built once, runs 7 steps and then 3, each as Keras's model for sequences of any length does. */
  @Test
  void oneRecurrentModelPredictsEveryLengthAsKeras() throws IOException {
    try (Model m = model("any_length")) {
      m.loadWeights(KerasFixture.DIR.resolve("any_length.weights.h5"));
      LossParityTest.assertClose(WEIGHTS.get("any_length.predictions").values(), predict(m, "any_length"), "7 steps");
      KerasFixture.Array shortX = WEIGHTS.get("any_length.short.x");
      float[] shortPredictions = m.predict(List.of(Data.of(shortX.values(), 3, 3)), 64).get(0).values();
      LossParityTest.assertClose(WEIGHTS.get("any_length.short.predictions").values(), shortPredictions, "3 steps");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void kerasWeightsFileLoadsAndPredictsAsKeras(String name) throws IOException {
    try (Model m = model(name)) {
      m.loadWeights(KerasFixture.DIR.resolve(name + ".weights.h5"));
      TrainingParityTest.assertWeights(WEIGHTS.numbered(name + ".weight"), m.getWeights(), name + ": weights read");
      LossParityTest.assertClose(WEIGHTS.get(name + ".predictions").values(), predict(m, name), name);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void whatLeibnizWritesReadsBackTheSame(String name, @TempDir Path dir) throws IOException {
    Path file = dir.resolve("sub/trained.weights.h5");
    float[] expected;
    try (Model m = model(name)) {
      m.loadWeights(KerasFixture.DIR.resolve(name + ".weights.h5"));
      m.compile("sgd", "mse");
      List<Data> x = inputs(name);
      float[] before = predict(m, name);
      Data y = Data.of(new float[before.length], java.util.Arrays.copyOfRange(
          m.predict(x, 64).get(0).sampleShape(), 0, m.predict(x, 64).get(0).sampleShape().length));
      m.fit(x, List.of(y), FitOptions.epochs(1).batchSize(2).verbose(0));
      expected = predict(m, name);
      m.saveWeights(file);
    }
    try (Model fresh = model(name)) {
      fresh.loadWeights(file);
      assertArrayEquals(expected, predict(fresh, name), name + ": trained in Leibniz, written, read back");
    }
  }

  @Test
  void aFileForAnotherModelIsAnErrorThatChangesNothing() {
    try (Model gru = model("gru")) {
      List<float[]> before = gru.getWeights();
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> gru.loadWeights(KerasFixture.DIR.resolve("lstm.weights.h5")));
      assertTrue(e.getMessage().contains("no layers/gru/cell/vars"), e.getMessage());
      assertTrue(e.getMessage().contains("layers/lstm/cell/vars [3, 16] [4, 16] [16]"), e.getMessage());
      assertTrue(e.getMessage().contains("The model expects: layers/gru/cell/vars [3, 12] [4, 12] [2, 12]"),
          e.getMessage());
      for (int i = 0; i < before.size(); i++) {
        assertArrayEquals(before.get(i), gru.getWeights().get(i));
      }
    }
    try (Model lstm = Sequential.of(new LSTM(5, 5), new Dense(2)).build(5, 3)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> lstm.loadWeights(KerasFixture.DIR.resolve("lstm.weights.h5")));
      assertTrue(e.getMessage().contains("layers/lstm/cell/vars holds [3, 16] [4, 16] [16], lstm has [3, 20]"),
          e.getMessage());
    }
  }

  @Test
  void aFileNameIsKerassAndAMissingFileSaysSo(@TempDir Path dir) {
    try (Model m = model("lstm")) {
      assertThrows(IllegalArgumentException.class, () -> m.saveWeights(dir.resolve("w.h5")));
      assertThrows(java.nio.file.NoSuchFileException.class, () -> m.loadWeights(dir.resolve("none.weights.h5")));
    }
  }

  /** The LSTM's forget-gate bias is stored, as Keras stores it: a new layer's bias reads 0, 1, 0, 0 by quarters. */
  @Test
  void lstmBiasStartsAsKerassUnitForgetBias() {
    try (Model m = Sequential.of(new LSTM(2, 3)).build(3, 4)) {
      assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0, 0, 0}, m.getWeights().get(2));
    }
    Random unused = new Random(0);
    assertEquals(0, unused.nextInt(1));
  }
}
