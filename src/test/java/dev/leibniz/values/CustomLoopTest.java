package dev.leibniz.values;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.leibniz.FitOptions;
import dev.leibniz.LossGradients;
import dev.leibniz.Model;
import dev.leibniz.Sequential;
import dev.leibniz.Value;
import dev.leibniz.dsl.Shape;
import dev.leibniz.layers.Dense;
import dev.leibniz.layers.Dropout;
import dev.leibniz.losses.Losses;
import dev.leibniz.optimizers.Optimizers;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A training loop of one's own (listing 3.21's shape): the model's loss and weight gradients
 * for a batch, applied by an optimizer, make the same steps as fit.
 */
class CustomLoopTest {
  static final int N = 64;
  static final Value X = Value.randomNormal(Shape.of(N, 5), 0, 1, 1);
  static final Value Y = Value.of(labels(), N);

  static float[] labels() {
    float[] y = new float[N];
    for (int i = 0; i < N; i++) {
      y[i] = i % 3;
    }
    return y;
  }

  static Model model() {
    return Sequential.of(new Dense(8, "tanh"), new Dense(3, "softmax")).seed(3).build(5);
  }

  @Test
  void aHandWrittenLoopStepsAsFitDoes() {
    int batch = 16;
    try (Model fitted = model(); Model looped = model()) {
      fitted.compile(Optimizers.adam(0.01f), Losses.sparseCategoricalCrossentropy());
      int[] labels = new int[N];
      for (int i = 0; i < N; i++) {
        labels[i] = i % 3;
      }
      float fitLoss = (float) fitted.fit(X.toMatrix(), labels, FitOptions.epochs(1).batchSize(batch).shuffle(false)
          .verbose(0)).last("loss");

      var loss = Losses.sparseCategoricalCrossentropy();
      var optimizer = Optimizers.adam(0.01f);
      float sum = 0;
      for (int from = 0; from < N; from += batch) {
        Value x = Value.of(java.util.Arrays.copyOfRange(X.toFloatArray(), from * 5, (from + batch) * 5), batch, 5);
        Value y = Value.of(java.util.Arrays.copyOfRange(Y.toFloatArray(), from, from + batch), batch);
        LossGradients g = looped.gradients(loss, x, y);
        looped.applyGradients(optimizer, g.gradients());
        sum += g.loss();
      }
      assertEquals(fitLoss, sum / (N / batch), 1e-5, "the epoch's mean loss");
      List<float[]> a = fitted.getWeights();
      List<float[]> b = looped.getWeights();
      for (int i = 0; i < a.size(); i++) {
        float[] x = a.get(i);
        float[] y = b.get(i);
        for (int k = 0; k < x.length; k++) {
          assertEquals(x[k], y[k], 1e-5, "weight " + i + " element " + k);
        }
      }
      assertEquals(List.of("kernel", "bias", "kernel_1", "bias_1"), looped.trainableWeightNames());
    }
  }

  /** Keras's train_on_batch: fit's step on one batch, its own loss and metrics (reset first, as Keras 3). */
  @Test
  void trainOnBatchStepsAsFitDoesAndReportsThatBatch() {
    int batch = 16;
    try (Model fitted = model(); Model stepped = model()) {
      fitted.compile(Optimizers.rmsprop(0.01f), "sparse_categorical_crossentropy", "accuracy");
      stepped.compile(Optimizers.rmsprop(0.01f), "sparse_categorical_crossentropy", "accuracy");
      var history = fitted.fit(X.toMatrix(), intLabels(), FitOptions.epochs(1).batchSize(batch).shuffle(false).verbose(0));
      double loss = 0;
      double accuracy = 0;
      for (int from = 0; from < N; from += batch) {
        var logs = stepped.trainOnBatch(
            dev.leibniz.data.Data.of(java.util.Arrays.copyOfRange(X.toFloatArray(), from * 5, (from + batch) * 5), 5),
            dev.leibniz.data.Data.of(java.util.Arrays.copyOfRange(Y.toFloatArray(), from, from + batch)));
        assertEquals(List.of("accuracy", "loss"), logs.keySet().stream().sorted().toList());
        assertEquals(Math.round(logs.get("accuracy") * batch), logs.get("accuracy") * batch, 1e-9,
            "this batch's accuracy alone (whole samples of 16), not a running mean");
        loss += logs.get("loss") / (N / batch);
        accuracy += logs.get("accuracy") / (N / batch);
      }
      assertEquals(history.last("loss"), loss, 1e-5, "the batches' losses average to fit's epoch loss");
      assertEquals(history.last("accuracy"), accuracy, 1e-9, "and their accuracies to its accuracy");
      List<float[]> a = fitted.getWeights();
      List<float[]> b = stepped.getWeights();
      for (int i = 0; i < a.size(); i++) {
        assertArrayEquals(a.get(i), b.get(i), 1e-5f, "weight " + i + " after the same steps");
      }
    }
    try (Model fresh = model()) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> fresh.trainOnBatch(
          dev.leibniz.data.Data.of(X.toFloatArray(), 5), dev.leibniz.data.Data.of(Y.toFloatArray())));
      assertEquals(true, e.getMessage().contains("before trainOnBatch"), e.getMessage());
    }
  }

  /**
   * Keras's test_on_batch and predict_on_batch: one batch's loss and metrics (not the totals a
   * trainOnBatch left) and its predictions, as evaluate and predict give for it; nothing trained.
   */
  @Test
  void testOnBatchAndPredictOnBatchAreEvaluateAndPredictOfOneBatch() {
    try (Model m = model()) {
      m.compile(Optimizers.rmsprop(0.01f), "sparse_categorical_crossentropy", "accuracy",
          "sparse_top_k_categorical_accuracy");
      dev.leibniz.data.Data x = dev.leibniz.data.Data.of(X.toFloatArray(), 5);
      dev.leibniz.data.Data y = dev.leibniz.data.Data.of(Y.toFloatArray());
      m.trainOnBatch(x, y);
      int[] first = java.util.stream.IntStream.range(0, 16).toArray();
      dev.leibniz.data.Data x16 = x.take(first);
      dev.leibniz.data.Data y16 = y.take(first);
      List<float[]> trained = m.getWeights();
      var logs = m.testOnBatch(x16, y16);
      var evaluated = m.evaluate(x16, y16, 16);
      assertEquals(List.of("accuracy", "loss", "sparse_top_k_categorical_accuracy"), logs.keySet().stream().toList());
      for (String name : evaluated.keySet()) {
        assertEquals(evaluated.get(name), logs.get(name), 1e-6, name);
      }
      assertEquals(Math.round(logs.get("accuracy") * 16), logs.get("accuracy") * 16, 1e-9, "16 samples' accuracy");
      for (int i = 0; i < trained.size(); i++) {
        assertArrayEquals(trained.get(i), m.getWeights().get(i), "weight " + i + ": testOnBatch trains nothing");
      }
      assertArrayEquals(m.predict(x16, 16).values(), m.predictOnBatch(x16).values());
    }
  }

  static int[] intLabels() {
    int[] labels = new int[N];
    for (int i = 0; i < N; i++) {
      labels[i] = i % 3;
    }
    return labels;
  }

  @Test
  void gradientsRunInTrainingModeAndPredictionsDoNot() {
    try (Model m = Sequential.of(new Dense(8), new Dropout(0.5), new Dense(1)).build(5)) {
      Value y = Value.zeros(N, 1);
      float first = m.gradients(Losses.meanSquaredError(), X, y).loss();
      float second = m.gradients(Losses.meanSquaredError(), X, y).loss();
      assertNotEquals(first, second, "a new dropout mask each step");
      assertArrayEquals(m.call(X).toFloatArray(), m.call(X).toFloatArray(), "inference: no dropout");
    }
  }

  @Test
  void gradientsOfTheWrongShapeAreRefused() {
    try (Model m = Sequential.of(new Dense(2)).build(5)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> m.applyGradients(Optimizers.sgd(0.1f), List.of(Value.zeros(5, 2))));
      assertEquals("the model has 2 trainable weights, got 1 gradients", e.getMessage());
      e = assertThrows(IllegalArgumentException.class,
          () -> m.applyGradients(Optimizers.sgd(0.1f), List.of(Value.zeros(2, 5), Value.zeros(2))));
      assertEquals("the gradient of kernel has shape (2, 5), the weight (5, 2)", e.getMessage());
    }
  }
}
