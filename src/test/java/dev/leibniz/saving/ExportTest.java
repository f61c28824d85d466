package dev.leibniz.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.FitOptions;
import dev.leibniz.Functional;
import dev.leibniz.Functional.Symbol;
import dev.leibniz.Leibniz;
import dev.leibniz.Model;
import dev.leibniz.Sequential;
import dev.leibniz.data.Data;
import dev.leibniz.layers.BatchNormalization;
import dev.leibniz.layers.Conv2D;
import dev.leibniz.layers.Dense;
import dev.leibniz.layers.Dropout;
import dev.leibniz.layers.Flatten;
import dev.leibniz.layers.MaxPooling2D;
import dev.leibniz.losses.Losses;
import dev.leibniz.optimizers.Optimizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.proto.SignatureDef;

/** {@code Model.export}: what the SavedModel holds, and that it predicts as the model does. */
class ExportTest {
  @TempDir
  Path temp;

  static Data random(int n, int width, long seed) {
    Random r = new Random(seed);
    float[] x = new float[n * width];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    return Data.of(x, width);
  }

  static Model trainedMlp() {
    Model model = Sequential.of(new Dense(8, "tanh"), new Dense(3, "softmax"));
    model.compile(Optimizers.adam(0.01f), "sparse_categorical_crossentropy", "accuracy");
    Data x = random(64, 4, 1);
    int[] y = new int[64];
    for (int i = 0; i < y.length; i++) {
      y[i] = x.values()[i * 4] > 0 ? 1 : x.values()[i * 4 + 1] > 0 ? 2 : 0;
    }
    model.fit(x, Data.labels(y), FitOptions.epochs(3).verbose(0));
    return model;
  }

  @Test
  void savedModelHoldsServingSignatureTagAndTrainedVariables() throws Exception {
    Path dir = temp.resolve("mlp");
    try (Model model = trainedMlp()) {
      model.export(dir);
    }
    assertTrue(Files.isRegularFile(dir.resolve("saved_model.pb")));
    try (Stream<Path> vars = Files.list(dir.resolve("variables"))) {
      assertTrue(vars.anyMatch(p -> p.getFileName().toString().startsWith("variables.data-")),
          "the variables were not saved");
    }
    // Read by TensorFlow's own loader, without Leibniz.
    try (SavedModelBundle bundle = SavedModelBundle.load(dir.toString(), "serve")) {
      assertEquals(List.of("serve"), bundle.metaGraphDef().getMetaInfoDef().getTagsList());
      SignatureDef sig = bundle.metaGraphDef().getSignatureDefMap().get("serving_default");
      assertEquals("tensorflow/serving/predict", sig.getMethodName());
      assertEquals(List.of(-1L, 4L), sig.getInputsMap().get("input_0").getTensorShape().getDimList().stream()
          .map(d -> d.getSize()).toList());
      assertEquals(List.of(-1L, 3L), sig.getOutputsMap().get("output_0").getTensorShape().getDimList().stream()
          .map(d -> d.getSize()).toList());
    }
  }

  @Test
  void reloadedModelPredictsAsTheModelForAnyBatchSize() throws Exception {
    Path dir = temp.resolve("mlp");
    Data x = random(37, 4, 9);
    float[] expected;
    try (Model model = trainedMlp()) {
      expected = model.predict(x, 32).values();
      model.export(dir);
    }
    try (SavedModel loaded = Leibniz.load(dir)) {
      for (int batch : new int[] {1, 5, 37, 100}) {
        assertArrayEquals(expected, loaded.predict(x, batch).values(), 1e-6f, "batch " + batch);
      }
      float[][] rows = loaded.predict(x.rows());
      assertEquals(37, rows.length);
      assertArrayEquals(java.util.Arrays.copyOfRange(expected, 36 * 3, 37 * 3), rows[36], 1e-6f);
    }
  }

  /** The exported graph runs in inference mode: dropout off, batch normalization on its moving statistics. */
  @Test
  void exportedConvnetWithBatchNormalizationAndDropoutPredictsAsTheModel() throws Exception {
    Random r = new Random(4);
    float[] images = new float[40 * 6 * 6];
    int[] labels = new int[40];
    for (int i = 0; i < 40; i++) {
      labels[i] = i % 2;
      for (int p = 0; p < 36; p++) {
        images[i * 36 + p] = (float) (r.nextGaussian() + (labels[i] == 1 && p % 6 < 3 ? 1 : 0));
      }
    }
    Data x = Data.of(images, 6, 6, 1);
    Path dir = temp.resolve("convnet");
    float[] expected;
    try (Model model = Sequential.of(new Conv2D(4, 3, "relu"), new BatchNormalization(0.5, 1e-3),
        new MaxPooling2D(2), new Flatten(), new Dropout(0.5), new Dense(2, "softmax"))) {
      model.compile(Optimizers.adam(0.01f), "sparse_categorical_crossentropy");
      model.fit(x, Data.labels(labels), FitOptions.epochs(3).batchSize(8).verbose(0));
      expected = model.predict(x, 40).values();
      model.export(dir);
    }
    try (SavedModel loaded = Leibniz.load(dir)) {
      assertArrayEquals(expected, loaded.predict(x, 7).values(), 1e-5f);
    }
  }

  @Test
  void twoInputsTwoOutputsUnderTheirNames() throws Exception {
    Symbol a = Functional.input(3);
    Symbol b = Functional.input(2);
    Dense shared = new Dense(4, "relu");
    Symbol ha = Functional.apply(shared, Functional.apply(new Dense(3), a));
    Symbol hb = Functional.apply(shared, Functional.apply(new Dense(3), b));
    Symbol sum = Functional.apply(new Dense(1), ha);
    Symbol cls = Functional.apply(new Dense(2, "softmax"), hb);
    Data xa = random(10, 3, 1);
    Data xb = random(10, 2, 2);
    Path dir = temp.resolve("two");
    List<Data> expected;
    try (Model model = Functional.model(List.of(a, b), List.of(sum, cls))) {
      model.compile(Optimizers.sgd(0.01f), List.of(Losses.meanSquaredError(), Losses.sparseCategoricalCrossentropy()),
          null, List.of());
      expected = model.predict(List.of(xa, xb), 4);
      model.export(dir, List.of("left", "right"), List.of("score", "classes"));
    }
    try (SavedModel loaded = Leibniz.load(dir)) {
      assertEquals("[left: DT_FLOAT [-1, 3], right: DT_FLOAT [-1, 2]]", loaded.inputs().toString());
      assertEquals("[classes: DT_FLOAT [-1, 2], score: DT_FLOAT [-1, 1]]", loaded.outputs().toString());
      Map<String, Data> got = loaded.predict(Map.of("left", xa, "right", xb), 3);
      assertArrayEquals(expected.get(0).values(), got.get("score").values(), 1e-6f);
      assertArrayEquals(expected.get(1).values(), got.get("classes").values(), 1e-6f);
      var e = assertThrows(IllegalArgumentException.class, () -> loaded.predict(xa, 3));
      assertTrue(e.getMessage().contains("use predict(Map<String, Data>, batchSize)"), e.getMessage());
    }
  }

  @Test
  void exportReplacesAnEarlierExportWhole() throws Exception {
    Path dir = temp.resolve("mlp");
    Data x = random(5, 4, 3);
    float[] second;
    try (Model first = trainedMlp(); Model other = Sequential.of(new Dense(3, "softmax"))) {
      first.export(dir);
      other.build(new long[] {4});
      second = other.predict(x, 5).values();
      other.export(dir);
    }
    try (SavedModel loaded = Leibniz.load(dir)) {
      assertArrayEquals(second, loaded.predict(x, 5).values(), 1e-6f);
    }
    try (Stream<Path> left = Files.list(temp)) {
      assertEquals(List.of(dir), left.toList(), "temporary directories were left behind");
    }
  }

  @Test
  void badExportsAreRefusedBeforeAnythingIsWritten() throws IOException {
    try (Model model = Sequential.of(new Dense(2))) {
      var e = assertThrows(IllegalStateException.class, () -> model.export(temp.resolve("x")));
      assertTrue(e.getMessage().contains("not built"), e.getMessage());
      model.build(new long[] {3});
      var n = assertThrows(IllegalArgumentException.class,
          () -> model.export(temp.resolve("x"), List.of("a/b"), List.of("y")));
      assertTrue(n.getMessage().contains("\"a/b\" is not a TensorFlow name"), n.getMessage());
      var c = assertThrows(IllegalArgumentException.class,
          () -> model.export(temp.resolve("x"), List.of("a", "b"), List.of("y")));
      assertTrue(c.getMessage().contains("the model has 1 input(s), got 2"), c.getMessage());
      Files.writeString(temp.resolve("file"), "x");
      var f = assertThrows(IOException.class, () -> model.export(temp.resolve("file")));
      assertTrue(f.getMessage().contains("is not a directory"), f.getMessage());
    }
    try (Stream<Path> left = Files.list(temp)) {
      assertEquals(List.of(temp.resolve("file")), left.toList());
    }
  }

  @Test
  void aFolderThatIsNotASavedModelIsNeverReplaced() throws IOException {
    try (Model model = Sequential.of(new Dense(2))) {
      model.build(3);
      Path mine = temp.resolve("mine");
      Files.createDirectories(mine.resolve("notes"));
      Files.writeString(mine.resolve("keep.txt"), "the user's");
      var e = assertThrows(IOException.class, () -> model.export(mine));
      assertTrue(e.getMessage().contains("will not replace") && e.getMessage().contains("keep.txt, notes"),
          e.getMessage());
      assertEquals("the user's", Files.readString(mine.resolve("keep.txt")));
      assertTrue(Files.isDirectory(mine.resolve("notes")));
      // A SavedModel with a file of the user's beside it is not replaced either.
      Path export = temp.resolve("export");
      model.export(export);
      Files.writeString(export.resolve("README.txt"), "about this model");
      var r = assertThrows(IOException.class, () -> model.export(export));
      assertTrue(r.getMessage().contains("README.txt"), r.getMessage());
      assertTrue(Files.exists(export.resolve("README.txt")));
      // The working folder (or one above it) is refused by name.
      var w = assertThrows(IOException.class, () -> model.export(Path.of(".")));
      assertTrue(w.getMessage().contains("working folder"), w.getMessage());
      // An empty folder is filled.
      Path empty = Files.createDirectories(temp.resolve("empty"));
      model.export(empty);
      assertTrue(Files.exists(empty.resolve("saved_model.pb")));
    }
  }

  @Test
  void exportCreatesMissingParentFolders() throws IOException {
    try (Model model = Sequential.of(new Dense(2))) {
      model.build(3);
      Path dir = temp.resolve("models/mine/1");
      model.export(dir);
      assertTrue(Files.exists(dir.resolve("saved_model.pb")));
    }
  }
}
