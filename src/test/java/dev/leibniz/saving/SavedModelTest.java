package dev.leibniz.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.Leibniz;
import dev.leibniz.data.Data;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * {@code Leibniz.load}: SavedModels Leibniz did not write (one exported by Keras, one built with
 * TensorFlow Java's graph API), and every kind of bad input, each with a clear message.
 */
class SavedModelTest {
  @TempDir
  Path temp;

  static Path resource(String name) throws URISyntaxException {
    return Path.of(SavedModelTest.class.getResource("/keras/" + name).toURI());
  }

  /** src/test/resources/keras/make_fixture.py wrote the model and Keras's predictions. */
  @Test
  void loadsAKerasExportAndPredictsAsKerasDid() throws Exception {
    List<String> lines = Files.readAllLines(resource("expected.txt")).stream().filter(l -> !l.startsWith("#")).toList();
    float[] x = values(lines.subList(0, 6));
    float[] expected = values(lines.subList(6, 12));
    try (SavedModel keras = Leibniz.load(resource("tiny_mlp"))) {
      assertEquals(List.of("serve", "serving_default"), keras.signatures());
      assertEquals("[keras_tensor: DT_FLOAT [-1, 4]]", keras.inputs().toString());
      assertEquals("[output_0: DT_FLOAT [-1, 3]]", keras.outputs().toString());
      for (int batch : new int[] {1, 4, 6}) {
        assertArrayEquals(expected, keras.predict(Data.of(x, 4), batch).values(), 1e-5f, "batch " + batch);
      }
    }
  }

  private static float[] values(List<String> rows) {
    List<Float> out = new ArrayList<>();
    for (String row : rows) {
      for (String v : row.trim().split("\\s+")) {
        out.add(Float.parseFloat(v));
      }
    }
    float[] a = new float[out.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = out.get(i);
    }
    return a;
  }

  /** ids (int32, [-1, 2]) -> ids * 10 + 1 (float): an integer input and a second signature. */
  private Path foreignModel() throws IOException {
    Path dir = temp.resolve("foreign");
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand<TInt32> ids = tf.withName("ids").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, 2)));
      Operand<TFloat32> y = tf.math.add(tf.math.mul(tf.dtypes.cast(ids, TFloat32.class), tf.constant(10f)),
          tf.constant(1f));
      Operand<TFloat32> half = tf.math.mul(tf.dtypes.cast(ids, TFloat32.class), tf.constant(0.5f));
      // the exporter saves variables, so the graph holds one (unused by the signatures)
      Operand<TFloat32> v = tf.withName("unused").variable(Shape.scalar(), TFloat32.class);
      s.runner().addTarget(tf.assign(v, tf.constant(1f))).run().close();
      SavedModelBundle.exporter(dir.toString()).withSession(s)
          .withSignature(Signature.builder().key("serving_default").input("ids", ids).output("scaled", y).build())
          .withSignature(Signature.builder().key("half").input("ids", ids).output("half", half).build())
          .export();
    }
    return dir;
  }

  @Test
  void loadsAnyServingSignatureAndFeedsIntegerInputs() throws Exception {
    Path dir = foreignModel();
    Data ids = Data.of(new float[] {1, 2, 3, 4, 5, 6}, 2);
    try (SavedModel m = Leibniz.load(dir)) {
      assertEquals(List.of("half", "serving_default"), m.signatures());
      assertEquals("[ids: DT_INT32 [-1, 2]]", m.inputs().toString());
      assertArrayEquals(new float[] {11, 21, 31, 41, 51, 61}, m.predict(ids, 2).values());
      var e = assertThrows(IllegalArgumentException.class,
          () -> m.predict(Data.of(new float[] {1.5f, 2}, 2), 1));
      assertTrue(e.getMessage().contains("takes whole numbers, got 1.5"), e.getMessage());
    }
    try (SavedModel m = Leibniz.load(dir, "half")) {
      assertArrayEquals(new float[] {0.5f, 1, 1.5f, 2, 2.5f, 3}, m.predict(ids, 4).values());
    }
  }

  @Test
  void unknownSignatureNamesTheOnesThere() throws Exception {
    Path dir = foreignModel();
    var e = assertThrows(IllegalArgumentException.class, () -> Leibniz.load(dir, "predict"));
    assertEquals("the SavedModel at " + dir + " has no signature \"predict\"; its signatures are [half,"
        + " serving_default]", e.getMessage());
  }

  @Test
  void wrongShapeDtypeOrNamesAreRefusedWithWhatWasExpected() throws Exception {
    try (SavedModel m = Leibniz.load(resource("tiny_mlp"))) {
      var shape = assertThrows(IllegalArgumentException.class, () -> m.predict(Data.of(new float[6], 3), 2));
      assertEquals("input keras_tensor takes samples of shape [4] (signature shape [-1, 4], -1: any size), got"
          + " samples of shape [3]", shape.getMessage());
      try (TInt32 ints = TInt32.tensorOf(Shape.of(1, 4))) {
        var dtype = assertThrows(IllegalArgumentException.class, () -> m.call(Map.of("keras_tensor", ints)));
        assertEquals("input keras_tensor takes DT_FLOAT, got a DT_INT32 tensor of shape [1, 4]", dtype.getMessage());
      }
      try (TFloat32 rank3 = TFloat32.tensorOf(Shape.of(1, 4, 1))) {
        var rank = assertThrows(IllegalArgumentException.class, () -> m.call(Map.of("keras_tensor", rank3)));
        assertTrue(rank.getMessage().contains("got a tensor of shape [1, 4, 1]"), rank.getMessage());
      }
      try (TFloat32 ok = TFloat32.tensorOf(Shape.of(2, 4)); Result r = m.call(Map.of("keras_tensor", ok))) {
        assertEquals(Shape.of(2, 3), r.get("output_0").orElseThrow().shape());
      }
      var names = assertThrows(IllegalArgumentException.class,
          () -> m.predict(Map.of("x", Data.of(new float[4], 4)), 1));
      assertEquals("signature serving_default takes inputs [keras_tensor], got [x]", names.getMessage());
    }
  }

  @Test
  void missingOrDamagedSavedModelsAreRefused() throws Exception {
    var missing = assertThrows(NoSuchFileException.class, () -> Leibniz.load(temp.resolve("nothing")));
    assertTrue(missing.getMessage().contains("no SavedModel directory here"), missing.getMessage());

    Files.createDirectory(temp.resolve("empty"));
    var empty = assertThrows(IOException.class, () -> Leibniz.load(temp.resolve("empty")));
    assertEquals("not a SavedModel: " + temp.resolve("empty") + " has no saved_model.pb", empty.getMessage());

    Path garbage = Files.createDirectory(temp.resolve("garbage"));
    Files.write(garbage.resolve("saved_model.pb"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    var corrupt = assertThrows(IOException.class, () -> Leibniz.load(garbage));
    assertTrue(corrupt.getMessage().startsWith("could not load the SavedModel at " + garbage), corrupt.getMessage());

    // a real export whose variables are gone
    Path dir = foreignModel();
    try (var files = Files.list(dir.resolve("variables"))) {
      for (Path p : files.toList()) {
        Files.delete(p);
      }
    }
    var noVariables = assertThrows(IOException.class, () -> Leibniz.load(dir));
    assertTrue(noVariables.getMessage().contains("is incomplete: its graph has variables but"
        + " variables/variables.index is missing"), noVariables.getMessage());
  }
}
