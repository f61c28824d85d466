package dev.leibniz.examples;

import dev.leibniz.FitOptions;
import dev.leibniz.History;
import dev.leibniz.Model;
import dev.leibniz.Sequential;
import dev.leibniz.data.Data;
import dev.leibniz.data.Mnist;
import dev.leibniz.layers.Conv2D;
import dev.leibniz.layers.Dense;
import dev.leibniz.layers.Dropout;
import dev.leibniz.layers.Flatten;
import dev.leibniz.layers.MaxPooling2D;
import dev.leibniz.optimizers.Optimizers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The MNIST convnet of "Deep Learning with Python" (and the Keras examples): Conv 32 3x3 relu,
 * MaxPool 2, Conv 64 3x3 relu, MaxPool 2, Flatten, Dropout 0.5, Dense 10 softmax; Adam, sparse
 * categorical cross-entropy, batch 128, 5 epochs. Takes the MNIST folder as its argument
 * (default {@code ../shared/datasets/mnist}).
 */
public final class MnistConvnet {
  private MnistConvnet() {}

  public static Model model() {
    return Sequential.of(
        new Conv2D(32, 3, "relu"),
        new MaxPooling2D(2),
        new Conv2D(64, 3, "relu"),
        new MaxPooling2D(2),
        new Flatten(),
        new Dropout(0.5),
        new Dense(10, "softmax"));
  }

  /** Images as [28, 28, 1] in [0, 1]: one channel, NHWC. */
  public static Data images(Data images) {
    return Data.of(images.values(), 28, 28, 1);
  }

  public record Result(History history, Map<String, Double> test) {}

  /** Compiles and trains {@code model} (from {@link #model()}), then evaluates it; the caller closes the model. */
  public static Result train(Model model, Mnist mnist, int epochs, boolean verbose) {
    model.compile(Optimizers.adam(1e-3f), "sparse_categorical_crossentropy", "accuracy");
    History history = model.fit(images(mnist.trainImages()), mnist.trainLabels(),
        FitOptions.epochs(epochs).batchSize(128).verbose(verbose ? 1 : 0));
    if (verbose) {
      System.out.print(model.summary());
    }
    return new Result(history, model.evaluate(images(mnist.testImages()), mnist.testLabels(), 128));
  }

  public static void main(String[] args) throws IOException {
    Path folder = Path.of(args.length > 0 ? args[0] : "../shared/datasets/mnist");
    if (!Mnist.isPresent(folder)) {
      System.out.println("No MNIST files in " + folder.toAbsolutePath() + "; this example needs the real data");
      return;
    }
    Mnist mnist = Mnist.load(folder);
    try (Model model = model()) {
      Result result = train(model, mnist, 5, true);
      System.out.printf("test_acc: %.4f  test_loss: %.4f%n", result.test().get("accuracy"), result.test().get("loss"));
    }
  }
}
