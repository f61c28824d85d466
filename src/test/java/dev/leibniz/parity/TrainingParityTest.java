package dev.leibniz.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leibniz.FitOptions;
import dev.leibniz.History;
import dev.leibniz.Model;
import dev.leibniz.Sequential;
import dev.leibniz.layers.Dense;
import dev.leibniz.optimizers.Optimizer;
import dev.leibniz.optimizers.Optimizers;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Small models trained from Keras's initial weights on Keras's data (training.txt): the loss of
 * each train_on_batch step and the weights after, then two epochs of fit (batch size 2, no
 * shuffling) and its epoch losses. Covers softmax and sigmoid outputs with confidently wrong
 * samples (Keras takes their loss from the logits) and each optimizer.
 */
class TrainingParityTest {
  static final KerasFixture TRAINING = KerasFixture.read("training.txt");

  static Stream<KerasFixture.Case> cases() {
    return TRAINING.cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void trainsAsKeras(KerasFixture.Case c) {
    String n = c.name();
    float[][] x = TRAINING.get(n + ".x").rows();
    KerasFixture.Array y = TRAINING.get(n + ".y");
    List<float[]> initial = TRAINING.numbered(n + ".initial").stream().map(KerasFixture.Array::values).toList();
    float[] stepLosses = TRAINING.get(n + ".step_losses").values();
    try (Model model = model(c, x[0].length, initial)) {
      for (int step = 0; step < stepLosses.length; step++) {
        History h = fit(model, x, y, x.length, 1);
        assertEquals(stepLosses[step], h.last("loss"), 1e-5 * Math.max(1, Math.abs(stepLosses[step])),
            n + ": loss of step " + step);
      }
      assertWeights(TRAINING.numbered(n + ".after_steps"), model.getWeights(), n + ": weights after the steps");
    }
    if (TRAINING.has(n + ".epoch_losses")) {
      float[] epochLosses = TRAINING.get(n + ".epoch_losses").values();
      try (Model model = model(c, x[0].length, initial)) {
        History h = fit(model, x, y, 2, epochLosses.length);
        for (int e = 0; e < epochLosses.length; e++) {
          assertEquals(epochLosses[e], h.get("loss").get(e), 1e-5 * Math.max(1, Math.abs(epochLosses[e])),
              n + ": loss of epoch " + e);
        }
        assertWeights(TRAINING.numbered(n + ".after_epochs"), model.getWeights(), n + ": weights after the epochs");
      }
    }
  }

  /** An Activation layer after a linear Dense is the same model: the loss sees through it to the logits too. */
  @org.junit.jupiter.api.Test
  void aSoftmaxActivationLayerIsSeenThroughToo() {
    String n = "softmax_cce_sgd";
    float[][] x = TRAINING.get(n + ".x").rows();
    try (Model model = Sequential.of(new Dense(3), new dev.leibniz.layers.Activation("softmax")).build(x[0].length)) {
      model.setWeights(TRAINING.numbered(n + ".initial").stream().map(KerasFixture.Array::values).toList());
      model.compile(Optimizers.sgd(0.1f), "categorical_crossentropy");
      float expected = TRAINING.get(n + ".step_losses").values()[0];
      assertEquals(expected, fit(model, x, TRAINING.get(n + ".y"), x.length, 1).last("loss"), 1e-5 * expected);
      assertWeights(TRAINING.numbered(n + ".after_steps"), model.getWeights(), n + " with an Activation layer");
    }
  }

  private static History fit(Model model, float[][] x, KerasFixture.Array y, int batchSize, int epochs) {
    FitOptions options = FitOptions.epochs(epochs).batchSize(batchSize).shuffle(false).verbose(0);
    if (y.shape().length == 1) {
      int[] labels = new int[y.values().length];
      for (int i = 0; i < labels.length; i++) {
        labels[i] = (int) y.values()[i];
      }
      return model.fit(x, labels, options);
    }
    return model.fit(x, y.rows(), options);
  }

  /** The case's model ("Dense(4,tanh)+Dense(2)"), loss and optimizer ("sgd(0.1,0.9,true)"), from Keras's weights. */
  private static Model model(KerasFixture.Case c, int features, List<float[]> initial) {
    List<Object> layers = new ArrayList<>();
    for (String spec : c.words().get(0).split("\\+")) {
      String[] args = spec.substring("Dense(".length(), spec.length() - 1).split(",");
      layers.add(args.length == 1 ? new Dense(Integer.parseInt(args[0])) : new Dense(Integer.parseInt(args[0]), args[1]));
    }
    Model model = Sequential.of(layers.toArray()).build(features);
    model.setWeights(initial);
    model.compile(optimizer(c.words().get(2)), c.words().get(1));
    return model;
  }

  private static Optimizer optimizer(String spec) {
    String name = spec.substring(0, spec.indexOf('('));
    String[] a = spec.substring(spec.indexOf('(') + 1, spec.length() - 1).split(",");
    float lr = Float.parseFloat(a[0]);
    return switch (name) {
      case "sgd" -> a.length == 1 ? Optimizers.sgd(lr)
          : Optimizers.sgd(lr, Float.parseFloat(a[1]), Boolean.parseBoolean(a[2]));
      case "rmsprop" -> Optimizers.rmsprop(lr);
      case "adam" -> Optimizers.adam(lr);
      case "adagrad" -> a.length == 1 ? Optimizers.adagrad(lr)
          : Optimizers.adagrad(lr, Float.parseFloat(a[1]), Float.parseFloat(a[2]));
      default -> throw new IllegalArgumentException(spec);
    };
  }

  static void assertWeights(List<KerasFixture.Array> expected, List<float[]> actual, String what) {
    assertEquals(expected.size(), actual.size(), what + ": count");
    for (int i = 0; i < expected.size(); i++) {
      LossParityTest.assertClose(expected.get(i).values(), actual.get(i), what + ", weight " + i);
    }
  }
}
