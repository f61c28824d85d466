package dev.leibniz.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.leibniz.Leibniz;
import dev.leibniz.Model;
import dev.leibniz.data.Data;
import dev.leibniz.data.Mnist;
import dev.leibniz.examples.MnistConvnet;
import dev.leibniz.saving.SavedModel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The book's MNIST convnet (Conv 32 3x3 relu, MaxPool 2, Conv 64 3x3 relu, MaxPool 2, Flatten,
 * Dropout 0.5, Dense 10 softmax; Adam, batch 128, 5 epochs) on the shared 22,653-image subset:
 * Keras 3 reaches 98.2-98.3% test accuracy with this recipe; we must reach 98.0%. Its
 * SavedModel then predicts as the model does, dropout off.
 */
class MnistConvnetTest {
  @TempDir
  Path temp;

  @Test
  void convnetReachesNinetyEightPercentAndExportsWithDropoutOff() throws Exception {
    assumeTrue(Mnist.isPresent(MnistTest.FOLDER), "MNIST not found in " + MnistTest.FOLDER.toAbsolutePath());
    Mnist mnist = Mnist.load(MnistTest.FOLDER);
    Data someTest = MnistConvnet.images(mnist.testImages()).slice(0, 500);
    float[] expected;
    try (Model model = MnistConvnet.model()) {
      MnistConvnet.Result result = MnistConvnet.train(model, mnist, 5, false);
      assertEquals(5, result.history().epochs());
      double accuracy = result.test().get("accuracy");
      assertTrue(accuracy >= 0.980, "test accuracy " + accuracy + " < 0.980");
      // predict runs in inference mode: twice the same answer, whatever the step's seed
      expected = model.predict(someTest, 100).values();
      assertArrayEquals(expected, model.predict(someTest, 250).values(), 1e-6f);
      model.export(temp.resolve("convnet"));
    }
    try (SavedModel loaded = Leibniz.load(temp.resolve("convnet"))) {
      assertEquals("input_0: DT_FLOAT [-1, 28, 28, 1]", loaded.inputs().get(0).toString());
      assertArrayEquals(expected, loaded.predict(someTest, 64).values(), 1e-5f);
    }
  }
}
