package dev.leibniz.examples;

import dev.leibniz.ExportOptions;
import dev.leibniz.FitOptions;
import dev.leibniz.Model;
import dev.leibniz.Sequential;
import dev.leibniz.data.Data;
import dev.leibniz.data.Mnist;
import dev.leibniz.layers.BatchNormalization;
import dev.leibniz.layers.Bidirectional;
import dev.leibniz.layers.Conv2D;
import dev.leibniz.layers.Dense;
import dev.leibniz.layers.Dropout;
import dev.leibniz.layers.Flatten;
import dev.leibniz.layers.GRU;
import dev.leibniz.layers.LSTM;
import dev.leibniz.layers.MaxPooling2D;
import dev.leibniz.optimizers.Optimizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Three MNIST models trained and exported for every TensorFlow tool ("Deep Learning with
 * TensorFlow 2 and Keras", deployment): the MLP, a convnet with batch normalization and dropout,
 * an LSTM reading each image as 28 rows of 28 pixels, and a bidirectional LSTM returning its
 * sequence into a GRU (the stacked recurrent form). Each goes to
 * {@code <out>/<name>/1} (TF Serving's version folder) with signatures {@code serving_default}
 * (probabilities) and {@code logits}, and a warm-up request; {@code <out>/java_accuracy.tsv}
 * lists Java's test accuracy of each, for {@code scripts/check_tflite.py} to set beside TF
 * Lite's. Arguments: the MNIST folder (default {@code ../shared/datasets/mnist}), the output
 * folder (default {@code target/deploy}).
 */
public final class MnistDeploy {
  private MnistDeploy() {}

  /** A model to deploy: its name, how it is built and trained, and how it sees an image. */
  record Spec(String name, java.util.function.Supplier<Model> model, int epochs, long[] sample) {}

  static List<Spec> specs() {
    return List.of(
        new Spec("mlp", () -> Sequential.of(new Dense(512, "relu"), new Dense(10, "softmax")), 3, new long[] {784}),
        new Spec("convnet", () -> Sequential.of(new Conv2D(32, 3, "relu"), new BatchNormalization(), new MaxPooling2D(2),
            new Conv2D(64, 3, "relu"), new MaxPooling2D(2), new Flatten(), new Dropout(0.5),
            new Dense(10, "softmax")), 2, new long[] {28, 28, 1}),
        new Spec("lstm", () -> Sequential.of(new LSTM(64), new Dense(10, "softmax")), 5, new long[] {28, 28}),
        new Spec("stacked_rnn", () -> Sequential.of(new Bidirectional(new LSTM(32, true)), new GRU(32),
            new Dense(10, "softmax")), 3, new long[] {28, 28}));
  }

  public static void main(String[] args) throws IOException {
    Path folder = Path.of(args.length > 0 ? args[0] : "../shared/datasets/mnist");
    Path out = Path.of(args.length > 1 ? args[1] : "target/deploy");
    if (!Mnist.isPresent(folder)) {
      System.out.println("No MNIST files in " + folder.toAbsolutePath() + "; this example needs the real data");
      return;
    }
    Mnist mnist = Mnist.load(folder);
    Files.createDirectories(out);
    List<String> lines = new ArrayList<>(List.of("model\tjava_accuracy\texport"));
    for (Spec spec : specs()) {
      try (Model model = spec.model().get()) {
        Data x = Data.of(mnist.trainImages().values(), spec.sample());
        Data testX = Data.of(mnist.testImages().values(), spec.sample());
        model.compile(Optimizers.adam(1e-3f), "sparse_categorical_crossentropy", "accuracy");
        model.fit(x, mnist.trainLabels(), FitOptions.epochs(spec.epochs()).batchSize(128).verbose(0));
        double accuracy = model.evaluate(testX, mnist.testLabels(), 256).get("accuracy");
        Path written = model.export(out.resolve(spec.name()), ExportOptions.serving().version(1)
            .logitsSignature("logits").warmup(testX.slice(0, 8)));
        System.out.printf(Locale.ROOT, "%-8s test accuracy %.4f, exported to %s%n", spec.name(), accuracy, written);
        lines.add(String.format(Locale.ROOT, "%s\t%.4f\t%s", spec.name(), accuracy, written));
      }
    }
    Files.write(out.resolve("java_accuracy.tsv"), lines);
  }
}
