package dev.leibniz.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leibniz.losses.Loss;
import dev.leibniz.losses.Losses;
import dev.leibniz.tf.Tensors;
import dev.leibniz.tf.Tf;
import dev.leibniz.tf.TfGraph;
import dev.leibniz.tf.TfSession;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Every loss on edge inputs against Keras 3 (losses.txt): probabilities exactly 0 and 1, logits
 * of +-100 and 0, all-equal predictions, absent classes, soft targets, rows that do not sum to
 * 1, tiny and zero vectors; and a cross-entropy on a softmax or sigmoid output, which Keras
 * computes from the logits. Value and gradient of the input, as Keras's GradientTape gives them.
 */
class LossParityTest {
  static final KerasFixture LOSSES = KerasFixture.read("losses.txt");

  static Stream<KerasFixture.Case> cases() {
    return LOSSES.cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void valueAndGradientAsKeras(KerasFixture.Case c) {
    String name = c.words().get(0);
    boolean fromLogits = c.words().get(1).equals("fromLogits");
    String through = c.words().get(2);
    Loss loss = switch (name) {
      case "categorical_crossentropy" -> Losses.categoricalCrossentropy(fromLogits);
      case "sparse_categorical_crossentropy" -> Losses.sparseCategoricalCrossentropy(fromLogits);
      case "binary_crossentropy" -> Losses.binaryCrossentropy(fromLogits);
      default -> Losses.get(name);
    };
    KerasFixture.Array targets = LOSSES.get(c.name() + ".targets");
    KerasFixture.Array input = LOSSES.get(c.name() + ".input");
    try (Graph g = new Graph(); TFloat32 t = Tensors.of(targets.values(), targets.shape());
        TFloat32 x = Tensors.of(input.values(), input.shape())) {
      TfGraph state = new TfGraph(g);
      Tf tf = state.tf();
      Operand<TFloat32> tIn = state.placeholder("targets", targets.shape());
      Operand<TFloat32> xIn = state.placeholder("input", input.shape());
      // The model's output: the input itself, or its softmax or sigmoid (a Dense's activation).
      Operand<TFloat32> predictions = switch (through) {
        case "softmax" -> tf.softmax(xIn);
        case "sigmoid" -> tf.sigmoid(xIn);
        default -> xIn;
      };
      Loss.Built built = loss.build(state, tIn, predictions, tf.scalar(1));
      // The model's backward: the activation's gradient op, as a Dense's generated backward calls it.
      Operand<TFloat32> dInput = switch (through) {
        case "softmax" -> tf.softmaxGrad(predictions, built.dPredictions());
        case "sigmoid" -> tf.sigmoidGrad(predictions, built.dPredictions());
        default -> built.dPredictions();
      };
      try (TfSession s = new TfSession(state)) {
        List<float[]> out = s.run(Map.of(tIn, t, xIn, x), List.of(built.value(), dInput));
        float expected = LOSSES.get(c.name() + ".loss").scalar();
        assertEquals(expected, out.get(0)[0], 1e-6 + 1e-5 * Math.abs(expected), c + ": loss");
        assertClose(LOSSES.get(c.name() + ".gradient").values(), out.get(1), c + ": gradient of the input");
      }
    }
  }

  /** Equal to float32 round-off: 1e-5 relative, 1e-6 absolute. */
  static void assertClose(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what + ": sizes");
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-6 + 1e-5 * Math.abs(expected[i]),
          what + ": element " + i + "\n expected " + java.util.Arrays.toString(expected) + "\n actual   "
              + java.util.Arrays.toString(actual));
    }
  }
}
