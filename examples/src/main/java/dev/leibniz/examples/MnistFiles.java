package dev.leibniz.examples;

import static dev.leibniz.dsl.Activations.RELU;
import static dev.leibniz.dsl.Activations.SOFTMAX;

import dev.leibniz.FitOptions;
import dev.leibniz.History;
import dev.leibniz.Model;
import dev.leibniz.Sequential;
import dev.leibniz.data.CsvFormat;
import dev.leibniz.data.Data;
import dev.leibniz.data.Dataset;
import dev.leibniz.data.Feature;
import dev.leibniz.data.Mnist;
import dev.leibniz.data.TfRecords;
import dev.leibniz.layers.Dense;
import dev.leibniz.layers.Flatten;
import dev.leibniz.layers.Rescaling;
import dev.leibniz.optimizers.Optimizers;
import java.awt.image.BufferedImage;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * MNIST written once to files, then streamed from them through TensorFlow's input pipeline, as
 * a Keras user does with {@code tf.data}: TFRecord ({@code tf.train.Example}s of 784 floats and an
 * int64 label), CSV (a label column and 784 pixel columns, 0-255), and PNG files in one folder per
 * digit (as {@code image_dataset_from_directory} reads). Each trains the book's MLP recipe (784-512-10,
 * RMSprop, batch 128) from its files. Arguments: the MNIST folder, a work folder, the format
 * ({@code tfrecord}, {@code csv}, {@code png}) and the epochs.
 */
public final class MnistFiles {
  private MnistFiles() {}

  /** The training and test sets as {@code train.tfrecord} and {@code test.tfrecord} in {@code dir}. */
  public static void writeTfRecords(Mnist mnist, Path dir) throws IOException {
    Files.createDirectories(dir);
    List<String> names = List.of("image", "label");
    TfRecords.write(dir.resolve("train.tfrecord"), names, List.of(MnistMlp.flat(mnist.trainImages()), mnist.trainLabels()));
    TfRecords.write(dir.resolve("test.tfrecord"), names, List.of(MnistMlp.flat(mnist.testImages()), mnist.testLabels()));
  }

  /** A TFRecord file's samples: 784 floats in [0, 1] and a class label. */
  public static Dataset tfRecords(Path file) {
    return Dataset.tfRecords(List.of(file), List.of(Feature.floats("image", 784)), List.of(Feature.ints("label")));
  }

  /** One CSV file: a header {@code label,p0,...,p783}, then a row per image, pixels 0-255. */
  public static void writeCsv(Data images, Data labels, Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      StringBuilder line = new StringBuilder("label");
      for (int p = 0; p < 784; p++) {
        line.append(",p").append(p);
      }
      w.write(line.append('\n').toString());
      float[] pixels = images.values();
      float[] y = labels.values();
      for (int i = 0; i < labels.count(); i++) {
        line.setLength(0);
        line.append((int) y[i]);
        for (int p = 0; p < 784; p++) {
          line.append(',').append(Math.round(pixels[i * 784 + p] * 255));
        }
        w.write(line.append('\n').toString());
      }
    }
  }

  /** A CSV file's rows: the pixels scaled to [0, 1] by a {@link Rescaling} map, inside TensorFlow. */
  public static Dataset csv(Path file) {
    return Dataset.csv(List.of(file), CsvFormat.header("label")).map(new Rescaling(1 / 255.0));
  }

  /** Each image as {@code dir/<digit>/<index>.png}, 8-bit grayscale. */
  public static void writePngs(Data images, Data labels, Path dir) throws IOException {
    float[] pixels = images.values();
    float[] y = labels.values();
    for (int d = 0; d < 10; d++) {
      Files.createDirectories(dir.resolve(String.valueOf(d)));
    }
    BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
    for (int i = 0; i < labels.count(); i++) {
      for (int p = 0; p < 784; p++) {
        image.getRaster().setSample(p % 28, p / 28, 0, Math.round(pixels[i * 784 + p] * 255));
      }
      ImageIO.write(image, "png", dir.resolve((int) y[i] + "/" + String.format("%05d.png", i)).toFile());
    }
  }

  /** A PNG folder tree's images, 28 x 28 x 1, scaled to [0, 1]. */
  public static Dataset pngs(Path dir) {
    return Dataset.imageDirectory(dir, 28, 28, 1).map(new Rescaling(1 / 255.0));
  }

  /** The MLP, with a {@link Flatten} in front for images of 28 x 28 x 1 (no weights: the recipe is the same). */
  public static Model model(boolean images) {
    return images ? Sequential.of(new Flatten(), new Dense(512, RELU), new Dense(10, SOFTMAX))
        : MnistMlp.model();
  }

  /** Trains {@code model} on {@code train} (reshuffled each epoch from a buffer of 10,000) and evaluates it on {@code test}. */
  public static MnistMlp.Result train(Model model, Dataset train, Dataset test, int epochs, boolean verbose) {
    model.compile(Optimizers.rmsprop(1e-3f), "sparse_categorical_crossentropy", "accuracy");
    History history = model.fit(train.shuffle(10_000, 1).batch(128).prefetch(2),
        FitOptions.epochs(epochs).verbose(verbose ? 1 : 0));
    return new MnistMlp.Result(history, model.evaluate(test.batch(128)));
  }

  public static void main(String[] args) throws IOException {
    Path folder = Path.of(args.length > 0 ? args[0] : "../shared/datasets/mnist");
    Path work = Path.of(args.length > 1 ? args[1] : "target/mnist-files");
    String format = args.length > 2 ? args[2] : "tfrecord";
    int epochs = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    Mnist mnist = Mnist.load(folder);
    Dataset train;
    Dataset test;
    long t0 = System.nanoTime();
    switch (format) {
      case "tfrecord" -> {
        writeTfRecords(mnist, work);
        train = tfRecords(work.resolve("train.tfrecord"));
        test = tfRecords(work.resolve("test.tfrecord"));
      }
      case "csv" -> {
        writeCsv(mnist.trainImages(), mnist.trainLabels(), work.resolve("train.csv"));
        writeCsv(mnist.testImages(), mnist.testLabels(), work.resolve("test.csv"));
        train = csv(work.resolve("train.csv"));
        test = csv(work.resolve("test.csv"));
      }
      case "png" -> {
        writePngs(mnist.trainImages(), mnist.trainLabels(), work.resolve("train"));
        writePngs(mnist.testImages(), mnist.testLabels(), work.resolve("test"));
        train = pngs(work.resolve("train"));
        test = pngs(work.resolve("test"));
      }
      default -> throw new IllegalArgumentException("format is tfrecord, csv or png, got " + format);
    }
    System.out.printf("MNIST written as %s to %s in %.1f s%n", format, work, (System.nanoTime() - t0) / 1e9);
    try (Model model = model(format.equals("png"))) {
      MnistMlp.Result result = train(model, train, test, epochs, true);
      Map<String, Double> t = result.test();
      System.out.printf("test_acc: %.4f  test_loss: %.4f%n", t.get("accuracy"), t.get("loss"));
    }
  }
}
