package dev.leibniz.generative;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.leibniz.Model;
import dev.leibniz.Value;
import dev.leibniz.data.Data;
import dev.leibniz.data.Mnist;
import dev.leibniz.examples.MnistConvnet;
import dev.leibniz.examples.MnistGan;
import dev.leibniz.examples.MnistVae;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The generative models of the book on the shared MNIST: a VAE whose KL term a layer adds, and a
 * DCGAN trained by a custom step of two objectives, judged by a convnet trained in the same test.
 */
public class GenerativeModelsTest {
  public static final Path FOLDER = Path.of(System.getProperty("leibniz.datasets", "../shared/datasets"), "mnist");

  static Mnist mnist() throws java.io.IOException {
    assumeTrue(Mnist.isPresent(FOLDER), "MNIST not found in " + FOLDER.toAbsolutePath()
        + " (expected the four IDX files); this test needs the real data");
    return Mnist.load(FOLDER);
  }

  /** 5 epochs: the reconstruction loss falls below 0.6 times the mean image's (measured: 0.49). */
  @Test
  void vaeReconstructsFarBetterThanTheMeanImage() throws Exception {
    MnistVae.Result r = MnistVae.train(mnist(), 5, false);
    assertTrue(r.reconstruction() < 0.6 * r.meanImageBaseline(), "reconstruction " + r.reconstruction()
        + " per pixel against the mean image's " + r.meanImageBaseline());
  }

  /**
   * The mark: at least half of 1,000 generated images classified with confidence 0.9 or
   * more, by a convnet trained in the same test. The budget: {@link MnistGan#EPOCHS} epochs of the
   * 22,653 images at batch {@link MnistGan#BATCH} (4,248 steps, about 2.5 minutes on 2 cores), then
   * the book's convnet trained 20 epochs on the real digits (99% on the test digits) judges. Measured:
   * 598, every digit among them. Keras 3 with the same networks, optimizers and budget:
   * src/test/resources/keras/gan_budget.py.
   */
  static final int CONFIDENT = 500;

  @Test
  void dcganDrawsDigitsAConvnetRecognizes() throws Exception {
    Mnist mnist = mnist();
    MnistGan.Trained gan = MnistGan.train(Data.of(mnist.trainImages().values(), 28, 28, 1), MnistGan.EPOCHS,
        MnistGan.BATCH, false);
    try (Model generator = gan.generator(); Model classifier = MnistConvnet.model()) {
      MnistConvnet.train(classifier, mnist, 20, false);
      Value images = MnistGan.generate(generator, 1000, 11);
      float[] p = classifier.predict(Data.of(images.toFloatArray(), 28, 28, 1), 250).values();
      int confident = 0;
      int[] perClass = new int[10];
      for (int i = 0; i < 1000; i++) {
        int best = 0;
        for (int c = 1; c < 10; c++) {
          best = p[i * 10 + c] > p[i * 10 + best] ? c : best;
        }
        if (p[i * 10 + best] >= 0.9f) {
          confident++;
          perClass[best]++;
        }
      }
      String what = confident + " of 1000 generated images classified with confidence >= 0.9; per digit "
          + java.util.Arrays.toString(perClass) + "; losses " + gan.history().history();
      System.out.println("DCGAN: " + what);
      assertTrue(confident >= CONFIDENT, what);
      assertTrue(java.util.Arrays.stream(perClass).allMatch(n -> n >= 3), "every digit drawn, not one mode: " + what);
    }
  }
}
