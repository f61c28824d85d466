package dev.leibniz.examples;

import dev.leibniz.FitOptions;
import dev.leibniz.History;
import dev.leibniz.Model;
import dev.leibniz.Sequential;
import dev.leibniz.data.Dataset;
import dev.leibniz.data.TextVectorization;
import dev.leibniz.layers.Dense;
import dev.leibniz.layers.Embedding;
import dev.leibniz.layers.GlobalAveragePooling1D;
import dev.leibniz.optimizers.Optimizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Text classification on real text, as "Deep Learning with TensorFlow 2 and Keras" does with word
 * embeddings: which license a line comes from, among the license texts every Debian machine holds
 * ({@code /usr/share/common-licenses}). The lines stream from a folder per license
 * ({@link Dataset#textLineDirectory}); a {@link TextVectorization} adapted to the training lines
 * turns them into token indices inside TensorFlow; Embedding, average pooling and two Dense layers
 * classify them. The SavedModel takes raw strings: the vectorizer is exported in front of the model.
 * Arguments: the licenses folder, a work folder, where to export.
 */
public final class LicenseClassifier {
  private LicenseClassifier() {}

  /** The licenses read, each different enough from the others to tell by a line. */
  public static final List<String> LICENSES = List.of("Apache-2.0", "Artistic", "CC0-1.0", "GFDL-1.3", "GPL-3", "MPL-2.0");

  /** {@code dir/<license>/<license>.txt} for each license found in {@code licenses}; the folder. */
  public static Path folders(Path licenses, Path dir) throws IOException {
    for (String l : LICENSES) {
      Files.createDirectories(dir.resolve(l));
      Files.copy(licenses.resolve(l), dir.resolve(l).resolve(l + ".txt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    return dir;
  }

  /** The trained model, its vectorizer, history and held-out results. */
  public record Result(Model model, TextVectorization vectorizer, History history, Map<String, Double> validation) {}

  /**
   * The lines shuffled once (the same order every epoch, so the split holds), the first fifth held
   * out; the rest adapts the vectorizer and trains for {@code epochs}.
   */
  public static Result train(Path folders, int epochs, boolean verbose) {
    Dataset lines = Dataset.textLineDirectory(folders);
    long n = lines.cardinality();
    Dataset all = lines.shuffle(n, 7, false);
    Dataset validation = all.take(n / 5);
    Dataset train = all.skip(n / 5);
    TextVectorization vectorizer = new TextVectorization(4000, 24).adapt(train);
    Model model = Sequential.of(new Embedding(vectorizer.vocabularySize(), 32), new GlobalAveragePooling1D(),
        new Dense(64, "relu"), new Dense(LICENSES.size(), "softmax"));
    model.compile(Optimizers.adam(3e-3f), "sparse_categorical_crossentropy", "accuracy");
    History history = model.fit(train.map(vectorizer).shuffle(n, 1).batch(32),
        FitOptions.epochs(epochs).verbose(verbose ? 2 : 0).validationData(validation.map(vectorizer).batch(256)));
    return new Result(model, vectorizer, history, model.evaluate(validation.map(vectorizer).batch(256)));
  }

  public static void main(String[] args) throws IOException {
    Path licenses = Path.of(args.length > 0 ? args[0] : "/usr/share/common-licenses");
    Path work = Path.of(args.length > 1 ? args[1] : "target/licenses");
    Path export = Path.of(args.length > 2 ? args[2] : "target/license-classifier/1");
    Result r = train(folders(licenses, work), 10, true);
    try (Model model = r.model()) {
      System.out.printf("held-out accuracy %.3f over %d lines of %s%n", r.validation().get("accuracy"),
          Dataset.textLineDirectory(work).cardinality() / 5, LICENSES);
      Files.createDirectories(export.toAbsolutePath().getParent());
      model.export(export, r.vectorizer());
      System.out.printf("SavedModel written to %s: serving_default takes strings (input_0, DT_STRING [-1])%n", export);
    }
  }
}
