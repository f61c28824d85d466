package dev.leibniz.examples;

import static dev.leibniz.dsl.Activations.RELU;
import static dev.leibniz.dsl.Activations.SOFTMAX;

import dev.leibniz.FitOptions;
import dev.leibniz.History;
import dev.leibniz.Model;
import dev.leibniz.Sequential;
import dev.leibniz.data.Data;
import dev.leibniz.data.Mnist;
import dev.leibniz.layers.Dense;
import dev.leibniz.optimizers.Optimizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * "Deep Learning with Python" listings 2.1 to 2.9: the 784-512(relu)-10(softmax) network on MNIST,
 * RMSprop, sparse categorical cross-entropy, batch 128, 5 epochs. Takes the MNIST folder as its
 * argument (default {@code ../shared/datasets/mnist}); without it, trains on generated data
 * and says so.
 */
public final class MnistMlp {
  private MnistMlp() {}

  public static Model model() {
    return Sequential.of(new Dense(512, RELU), new Dense(10, SOFTMAX));
  }

  /** The training history and the test loss and accuracy. */
  public record Result(History history, Map<String, Double> test) {}

  /** Images flattened to 784 values in [0, 1], as the book's {@code reshape((60000, 28 * 28))}. */
  static Data flat(Data images) {
    return Data.of(images.values(), 28 * 28);
  }

  /** Compiles and trains {@code model} (from {@link #model()}), then evaluates it; the caller closes the model. */
  public static Result train(Model model, Data trainX, Data trainY, Data testX, Data testY, int epochs,
      boolean verbose) {
    model.compile(Optimizers.rmsprop(1e-3f), "sparse_categorical_crossentropy", "accuracy");
    History history = model.fit(trainX, trainY, FitOptions.epochs(epochs).batchSize(128).verbose(verbose ? 1 : 0));
    if (verbose) {
      System.out.print(model.summary());
    }
    return new Result(history, model.evaluate(testX, testY, 128));
  }

  public static Result train(Model model, Mnist mnist, int epochs, boolean verbose) {
    return train(model, flat(mnist.trainImages()), mnist.trainLabels(), flat(mnist.testImages()), mnist.testLabels(),
        epochs, verbose);
  }

  /**
   * Ten classes of 784 values: a random prototype per class plus noise, for when MNIST is absent
   * (the net learns it easily; the numbers say nothing about MNIST).
   */
  static Data[] generated(int count, long seed) {
    Random prototypes = new Random(7);
    float[][] proto = new float[10][784];
    for (float[] p : proto) {
      for (int j = 0; j < 784; j++) {
        p[j] = prototypes.nextFloat();
      }
    }
    Random random = new Random(seed);
    float[] x = new float[count * 784];
    int[] y = new int[count];
    for (int i = 0; i < count; i++) {
      y[i] = random.nextInt(10);
      for (int j = 0; j < 784; j++) {
        x[i * 784 + j] = Math.min(1, Math.max(0, proto[y[i]][j] + 0.5f * (float) random.nextGaussian()));
      }
    }
    return new Data[] {Data.of(x, 784), Data.labels(y)};
  }

  /** Arguments: the MNIST folder, and where to export the trained model (default target/mnist-mlp/1). */
  public static void main(String[] args) throws IOException {
    Path folder = Path.of(args.length > 0 ? args[0] : "../shared/datasets/mnist");
    Path export = Path.of(args.length > 1 ? args[1] : "target/mnist-mlp/1");
    try (Model model = model()) {
      Result result;
      if (Mnist.isPresent(folder)) {
        Mnist mnist = Mnist.load(folder);
        System.out.printf("MNIST from %s: %d training and %d test images%n", folder, mnist.trainImages().count(),
            mnist.testImages().count());
        result = train(model, mnist, 5, true);
      } else {
        System.out.printf("No MNIST files in %s: training on generated data instead (10 noisy prototypes)%n",
            folder.toAbsolutePath());
        Data[] train = generated(6000, 1);
        Data[] test = generated(1000, 2);
        result = train(model, train[0], train[1], test[0], test[1], 5, true);
      }
      System.out.printf("test_acc: %.4f  test_loss: %.4f%n", result.test().get("accuracy"), result.test().get("loss"));
      Files.createDirectories(export.toAbsolutePath().getParent());
      model.export(export);
      System.out.printf("SavedModel written to %s (signature serving_default: input_0 [-1, 784] -> output_0 [-1, 10])%n",
          export);
      Path picture = export.toAbsolutePath().getParent().resolveSibling("mnist-mlp-history.png");
      result.history().plot(picture);
      System.out.printf("Loss and accuracy per epoch drawn in %s%n", picture);
    }
  }
}
