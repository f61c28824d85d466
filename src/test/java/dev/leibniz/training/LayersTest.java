package dev.leibniz.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.FitOptions;
import dev.leibniz.Functional;
import dev.leibniz.Functional.Symbol;
import dev.leibniz.Model;
import dev.leibniz.Sequential;
import dev.leibniz.data.Data;
import dev.leibniz.layers.BatchNormalization;
import dev.leibniz.layers.Conv2D;
import dev.leibniz.layers.Dense;
import dev.leibniz.layers.Dropout;
import dev.leibniz.layers.Dropout_Graph;
import dev.leibniz.layers.Embedding;
import dev.leibniz.layers.Flatten;
import dev.leibniz.layers.LSTM;
import dev.leibniz.layers.LSTM_Graph;
import dev.leibniz.layers.MaxPooling2D;
import dev.leibniz.layers.MultiHeadAttention;
import dev.leibniz.layers.SimpleRNN;
import dev.leibniz.layers.TimeDistributed;
import dev.leibniz.optimizers.Optimizers;
import dev.leibniz.tf.Tensors;
import dev.leibniz.tf.Tf;
import dev.leibniz.tf.TfGraph;
import dev.leibniz.tf.TfSession;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Tensor;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/** What the layers do in training and in inference, their shapes, and their errors. */
class LayersTest {
  /** Dropout(0.3) on 20,000 ones, with the training flag and step seed as fit feeds them. */
  private static float[] dropout(float training, long step) {
    try (Graph g = new Graph()) {
      TfGraph state = new TfGraph(g, 42);
      Tf tf = state.tf();
      Operand<TFloat32> x = tf.ones(new long[] {100, 200});
      Operand<TFloat32> y = Dropout_Graph.call(tf, new Dropout(0.3), x).output();
      try (TfSession session = new TfSession(state); TFloat32 t = Tensors.scalar(training);
          TInt64 seed = TInt64.vectorOf(42, step)) {
        Map<Operand<?>, Tensor> feeds = new HashMap<>();
        feeds.put(state.trainingFlag(), t);
        feeds.put(state.randomSeedFeed(), seed);
        return session.run(feeds, List.of(y)).get(0);
      }
    }
  }

  @Test
  void dropoutZeroesARateOfInputsInTrainingAndNothingInInference() {
    float[] train = dropout(1, 0);
    int zeros = 0;
    for (float v : train) {
      if (v == 0) {
        zeros++;
      } else {
        assertEquals(1 / 0.7f, v, 1e-6f, "kept values are scaled by 1 / (1 - rate)");
      }
    }
    double rate = zeros / (double) train.length;
    assertTrue(Math.abs(rate - 0.3) < 0.02, "dropped " + rate + " of the inputs, expected 0.3");
    float[] inference = dropout(0, 0);
    for (float v : inference) {
      assertEquals(1f, v);
    }
    assertArrayEquals(train, dropout(1, 0), "the same step draws the same mask");
    assertNotEquals(java.util.Arrays.toString(train), java.util.Arrays.toString(dropout(1, 1)),
        "another step draws another mask");
  }

  @Test
  void batchNormalizationMovesItsStatisticsInTrainingAndUsesThemInInference() {
    Random r = new Random(3);
    float[] x = new float[64 * 2];
    for (int i = 0; i < 64; i++) {
      x[2 * i] = (float) (5 + 2 * r.nextGaussian());
      x[2 * i + 1] = (float) (-1 + 0.5 * r.nextGaussian());
    }
    double[] mean = new double[2];
    double[] variance = new double[2];
    for (int i = 0; i < 64; i++) {
      for (int c = 0; c < 2; c++) {
        mean[c] += x[2 * i + c] / 64.0;
      }
    }
    for (int i = 0; i < 64; i++) {
      for (int c = 0; c < 2; c++) {
        variance[c] += Math.pow(x[2 * i + c] - mean[c], 2) / 64.0;
      }
    }
    try (Model model = Sequential.of(new BatchNormalization(0.75, 1e-3))) {
      model.compile(Optimizers.sgd(0.1f), "mse");
      Data data = Data.of(x, 2);
      model.fit(data, data, FitOptions.epochs(1).batchSize(64).shuffle(false).verbose(0));
      List<float[]> w = model.getWeights(); // gamma, beta, moving_mean, moving_variance
      for (int c = 0; c < 2; c++) {
        assertEquals(0.25 * mean[c], w.get(2)[c], 1e-4, "moving mean after one step, channel " + c);
        assertEquals(0.75 + 0.25 * variance[c], w.get(3)[c], 1e-3, "moving variance after one step, channel " + c);
      }
      float[] predicted = model.predict(data, 64).values();
      for (int i = 0; i < 64; i++) {
        for (int c = 0; c < 2; c++) {
          double expected = (x[2 * i + c] - w.get(2)[c]) / Math.sqrt(w.get(3)[c] + 1e-3) * w.get(0)[c] + w.get(1)[c];
          assertEquals(expected, predicted[2 * i + c], 1e-4 * Math.max(1, Math.abs(expected)),
              "inference uses the moving statistics");
        }
      }
      assertTrue(model.summary().contains("Non-trainable params: 4"), model.summary());
    }
  }

  @Test
  void embeddingLooksUpRowsAndRefusesIdsOutsideItsVocabulary() {
    try (Model model = Sequential.of(new Embedding(10, 3))) {
      model.build(new long[] {4});
      float[] table = model.getWeights().get(0);
      float[] out = model.predict(Data.of(new float[] {0, 9, 3, 3}, 4), 1).values();
      for (int t = 0; t < 4; t++) {
        int id = new int[] {0, 9, 3, 3}[t];
        assertArrayEquals(java.util.Arrays.copyOfRange(table, id * 3, id * 3 + 3),
            java.util.Arrays.copyOfRange(out, t * 3, t * 3 + 3));
      }
      var e = assertThrows(RuntimeException.class, () -> model.predict(Data.of(new float[] {0, 12, 1, 1}, 4), 1));
      assertTrue(e.getMessage().contains("12 is not in [0, 10)"), e.getMessage());
    }
  }

  @Test
  void convnetShapesAndKerasNamesInTheSummary() {
    try (Model model = Sequential.of(new Conv2D(4, 3, "relu"), new MaxPooling2D(2), new Flatten(), new Dense(2))) {
      model.build(new long[] {9, 9, 1});
      String summary = model.summary();
      assertTrue(summary.contains(" conv2d (Conv2D)                    (None, 7, 7, 4)                  40"), summary);
      assertTrue(summary.contains(" max_pooling2d (MaxPooling2D)       (None, 3, 3, 4)                   0"), summary);
      assertTrue(summary.contains("(None, 36)"), summary);
    }
  }

  /**
   * TimeDistributed(Dense) is Dense on every step, which Dense on a sequence already is: from the
   * same weights, an epoch of training moves both to the same weights (so their backwards agree).
   */
  @Test
  void timeDistributedTrainsAsTheLayerOnEveryStep() {
    Random random = new Random(5);
    float[] x = new float[32 * 4 * 3];
    float[] y = new float[32 * 4 * 2];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextGaussian();
    }
    for (int i = 0; i < y.length; i++) {
      y[i] = (float) random.nextGaussian();
    }
    try (Model wrapped = Sequential.of(new TimeDistributed(new Dense(5, "tanh")), new Dense(2)).seed(2).build(4, 3);
        Model plain = Sequential.of(new Dense(5, "tanh"), new Dense(2)).seed(2).build(4, 3)) {
      List<float[]> initial = wrapped.getWeights();
      plain.setWeights(initial);
      for (Model m : List.of(wrapped, plain)) {
        m.compile(Optimizers.sgd(0.1f), "mse");
        m.fit(Data.of(x, 4, 3), Data.of(y, 4, 2), FitOptions.epochs(2).batchSize(8).shuffle(false).verbose(0));
      }
      List<float[]> a = wrapped.getWeights();
      List<float[]> b = plain.getWeights();
      for (int i = 0; i < a.size(); i++) {
        assertArrayEquals(b.get(i), a.get(i), 1e-5f, "weight " + i);
      }
      assertTrue(Math.abs(a.get(0)[0] - initial.get(0)[0]) > 1e-4, "training moved the weights");
    }
  }

  /** Attention dropout acts in training steps only: predict gives what the same weights without dropout give. */
  @Test
  void attentionDropoutIsOffInInference() {
    float[] x = new float[2 * 4 * 3];
    Random random = new Random(3);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextGaussian();
    }
    float[][] out = new float[2][];
    try (Model plain = attention(new MultiHeadAttention(2, 3));
        Model dropping = attention(new MultiHeadAttention(2, 3).withDropout(0.5))) {
      dropping.setWeights(plain.getWeights());
      out[0] = plain.predict(List.of(Data.of(x, 4, 3)), 8).get(0).values();
      out[1] = dropping.predict(List.of(Data.of(x, 4, 3)), 8).get(0).values();
    }
    assertArrayEquals(out[0], out[1], 1e-6f);
    assertThrows(IllegalArgumentException.class, () -> new MultiHeadAttention(2, 3).withDropout(1.0));
  }

  private static Model attention(MultiHeadAttention layer) {
    Symbol x = Functional.input(4, 3);
    return Functional.model(x, Functional.apply(layer, x, x)).seed(1).build(4, 3);
  }

  /** The loop is one op whatever the length: the forward and backward of LSTM(16) at 5 and at 500 steps are the same size. */
  @Test
  void recurrentGraphsDoNotGrowWithTheSequence() {
    int[] ops = new int[2];
    long[] lengths = {5, 500};
    for (int i = 0; i < 2; i++) {
      try (Graph g = new Graph()) {
        TfGraph graph = new TfGraph(g);
        LSTM lstm = new LSTM(16, true);
        LSTM_Graph.CallForward f = LSTM_Graph.call(graph.tf(), lstm, graph.placeholder("x", -1, lengths[i], 3));
        LSTM_Graph.callBackward(graph.tf(), lstm, f, f.output());
        for (var it = g.operations(); it.hasNext(); it.next()) {
          ops[i]++;
        }
      }
    }
    assertEquals(ops[0], ops[1], "ops at 5 and 500 steps");
  }

  /**
   * The LSTM step's backward does its arithmetic and nothing else: its values are proven to share
   * the sequence's batch, so no gradient is summed back to a shape (BroadcastGradientArgs, Sum),
   * and its four gates' gradients join into one concat rather than four pads and three adds.
   */
  @Test
  void theLstmBackwardStepHasNoShapeBookkeeping() {
    try (Graph g = new Graph()) {
      TfGraph graph = new TfGraph(g);
      LSTM lstm = new LSTM(16);
      LSTM_Graph.CallForward f = LSTM_Graph.call(graph.tf(), lstm, graph.placeholder("x", -1, -1, 3));
      LSTM_Graph.callBackward(graph.tf(), lstm, f, f.output());
      java.util.Map<String, Integer> byType = new java.util.TreeMap<>();
      for (var it = g.operations(); it.hasNext();) {
        byType.merge(it.next().type(), 1, Integer::sum);
      }
      for (String bookkeeping : List.of("BroadcastGradientArgs", "Sum", "Pad", "PadV2")) {
        assertEquals(0, byType.getOrDefault(bookkeeping, 0), bookkeeping + " in " + byType);
      }
    }
  }

  /**
   * The LSTM's loops carry only what changes: each weight (a variable's read) enters its loop once,
   * as a constant, not as a loop variable; and the forward writes a list at every step only for a
   * value its backward reads.
   */
  @Test
  void theLstmLoopsCarryOnlyWhatChangesAndSaveOnlyWhatIsRead() {
    try (Graph g = new Graph()) {
      TfGraph graph = new TfGraph(g);
      LSTM lstm = new LSTM(16);
      LSTM_Graph.CallForward f = LSTM_Graph.call(graph.tf(), lstm, graph.placeholder("x", -1, -1, 3));
      LSTM_Graph.callBackward(graph.tf(), lstm, f, f.output());
      int weightEnters = 0;
      int written = 0;
      int read = 0;
      for (var it = g.operations(); it.hasNext();) {
        GraphOperation op = (GraphOperation) it.next();
        if (op.type().equals("Enter") && op.input(0).op().type().equals("ReadVariableOp")) {
          weightEnters++;
          assertTrue(op.attributes().getAttrBool("is_constant"), op.name() + " carries a weight as a loop variable");
        }
        written += op.type().equals("TensorListSetItem") && op.name().startsWith("rnn/") ? 1 : 0;
        read += op.type().equals("TensorListGetItem") && op.numConsumers() > 0 ? 1 : 0;
      }
      assertTrue(weightEnters >= 3, "the kernel, recurrent kernel and bias enter the loops: " + weightEnters);
      assertEquals(read, written, "lists the forward writes per step, against those the backward reads");
    }
  }

  @Test
  void recurrentKernelsStartOrthogonalAndSequencesStack() {
    try (Model model = Sequential.of(new SimpleRNN(6, 5, true), new LSTM(3, 5))) {
      model.build(new long[] {5, 2});
      assertTrue(model.summary().contains("(None, 5, 6)"), model.summary());
      assertTrue(model.summary().contains("(None, 3)"), model.summary());
      List<float[]> w = model.getWeights(); // rnn kernel, recurrent kernel, bias; lstm kernel, recurrent kernel, bias
      assertOrthonormal(w.get(1), 6, 6, "SimpleRNN's recurrent kernel: columns");
      float[] lstm = w.get(4); // [3, 12]: more columns than rows, so its rows are orthonormal
      float[] transposed = new float[36];
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 12; j++) {
          transposed[j * 3 + i] = lstm[i * 12 + j];
        }
      }
      assertOrthonormal(transposed, 12, 3, "LSTM's recurrent kernel: rows");
      float[] out = model.predict(Data.of(new float[20], 5, 2), 2).values();
      assertEquals(2 * 3, out.length);
    }
  }

  /** The columns of a row-major {@code rows x cols} matrix are orthonormal. */
  private static void assertOrthonormal(float[] m, int rows, int cols, String what) {
    for (int a = 0; a < cols; a++) {
      for (int b = 0; b < cols; b++) {
        double dot = 0;
        for (int i = 0; i < rows; i++) {
          dot += m[i * cols + a] * m[i * cols + b];
        }
        assertEquals(a == b ? 1 : 0, dot, 1e-5, what + " (" + a + ", " + b + ")");
      }
    }
  }

  @Test
  void layersSayWhatInputTheyExpect() {
    try (Model flat = Sequential.of(new Conv2D(4, 3, "relu"))) {
      var e = assertThrows(IllegalArgumentException.class, () -> flat.build(new long[] {784}));
      assertTrue(e.getMessage().contains("Conv2D expects images [batch, height, width, channels]"), e.getMessage());
    }
    try (Model rnn = Sequential.of(new SimpleRNN(4, 5))) {
      var e = assertThrows(IllegalArgumentException.class, () -> rnn.build(new long[] {6, 2}));
      assertTrue(e.getMessage().contains("SimpleRNN was made for sequences of 5 steps, got shape [?, 6, 2]"),
          e.getMessage());
    }
    var rate = assertThrows(IllegalArgumentException.class, () -> new Dropout(1.0));
    assertEquals("Dropout rate must be in [0, 1), got 1.0", rate.getMessage());
  }

  @Test
  void dropoutIsOffInEvaluateAndPredict() {
    Symbol x = Functional.input(50);
    try (Model model = Functional.model(x, Functional.apply(new Dropout(0.5), x))) {
      model.compile(Optimizers.sgd(0.1f), "mse");
      float[] ones = new float[50 * 4];
      java.util.Arrays.fill(ones, 1f);
      Data data = Data.of(ones, 50);
      assertArrayEquals(ones, model.predict(data, 4).values());
      assertEquals(0.0, model.evaluate(data, data, 4).get("loss"), 1e-9);
    }
  }
}
