package dev.leibniz.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.FitOptions;
import dev.leibniz.Leibniz;
import dev.leibniz.Model;
import dev.leibniz.Sequential;
import dev.leibniz.data.Data;
import dev.leibniz.data.Idx;
import dev.leibniz.layers.Dense;
import dev.leibniz.layers.Flatten;
import dev.leibniz.losses.Losses;
import dev.leibniz.metrics.Metric;
import dev.leibniz.optimizers.Optimizers;
import dev.leibniz.saving.SavedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Bad input at run time: an exception that says what was received, never a bare NullPointerException or OOM. */
class BadInputTest {
  @TempDir
  Path temp;

  static void refused(Class<? extends Throwable> type, String text, Executable call) {
    Throwable e = assertThrows(type, call);
    assertTrue(e.getMessage() != null && e.getMessage().contains(text), e.getMessage());
  }

  @Test
  void nullArgumentsAreNamed() {
    Data x = Data.of(new float[12], 4);
    try (Model m = Sequential.of(new Dense(2))) {
      refused(IllegalArgumentException.class, "compile needs an optimizer and a loss",
          () -> m.compile(Optimizers.sgd(0.1f), (dev.leibniz.losses.Loss) null));
      refused(IllegalArgumentException.class, "metric 1 of 1 is null",
          () -> m.compile(Optimizers.sgd(0.1f), Losses.meanSquaredError(), (Metric) null));
      refused(IllegalArgumentException.class, "the optimizer's name is null", () -> m.compile((String) null, "mse"));
      refused(IllegalArgumentException.class, "the loss's name is null", () -> m.compile("sgd", (String) null));
      m.compile("sgd", "mse");
      refused(IllegalArgumentException.class, "x is null", () -> m.fit((Data) null, x, FitOptions.epochs(1)));
      refused(IllegalArgumentException.class, "y is null", () -> m.fit(x, (Data) null, FitOptions.epochs(1)));
      refused(IllegalArgumentException.class, "fit needs FitOptions", () -> m.fit(x, x, null));
      refused(IllegalArgumentException.class, "x is null", () -> m.predict((Data) null, 3));
      refused(IllegalArgumentException.class, "y is null", () -> m.evaluate(x, (Data) null, 3));
      refused(IllegalArgumentException.class, "the array is null", () -> Data.of((float[][]) null));
      refused(IllegalArgumentException.class, "the values are null", () -> Data.of((float[]) null, 4));
      refused(IllegalArgumentException.class, "the array is null", () -> Data.labels(null));
    }
  }

  @Test
  void modelsWithoutWeightsSaveAndLoadAndAnIdentityModelPredicts() throws IOException {
    try (Model m = Sequential.of(new Flatten())) {
      m.build(2, 2);
      assertEquals(List.of(), m.getWeights());
      m.saveCheckpoint(temp.resolve("c"));
      m.loadCheckpoint(temp.resolve("c"));
      m.export(temp.resolve("e"));
      try (SavedModel s = Leibniz.load(temp.resolve("e"))) {
        assertArrayEquals(new float[] {1, 2, 3, 4}, s.predict(Data.of(new float[] {1, 2, 3, 4}, 2, 2), 1).values());
      }
    }
    try (Model m = Leibniz.model(new Identity())) {
      assertArrayEquals(new float[] {1, 2, 3}, m.predict(Data.of(new float[] {1, 2, 3}, 1), 2).values());
    }
  }

  @Test
  void aClosedSavedModelSaysSo() throws IOException {
    try (Model m = Sequential.of(new Dense(2))) {
      m.build(4);
      m.export(temp.resolve("e"));
    }
    SavedModel s = Leibniz.load(temp.resolve("e"));
    s.close();
    s.close();
    refused(IllegalStateException.class, "is closed, so it cannot predict", () -> s.predict(Data.of(new float[4], 4), 1));
  }

  @Test
  void idxHeadersAreCheckedAgainstTheFile() throws IOException {
    Path huge = temp.resolve("huge.idx"); // 16 bytes announcing 40000 x 40000 bytes
    Files.write(huge, new byte[] {0, 0, 8, 2, 0, 0, (byte) 0x9c, 0x40, 0, 0, (byte) 0x9c, 0x40, 0, 0, 0, 1});
    refused(IOException.class, "is truncated: its header announces [40000, 40000]", () -> Idx.read(huge));
    Path negative = temp.resolve("negative.idx");
    Files.write(negative, new byte[] {0, 0, 8, 1, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xfe});
    refused(IOException.class, "announces a negative dimension", () -> Idx.read(negative));
    Path ok = temp.resolve("ok.idx");
    Files.write(ok, new byte[] {0, 0, 8, 1, 0, 0, 0, 3, 7, 8, (byte) 200});
    assertArrayEquals(new float[] {7, 8, 200}, Idx.read(ok).values());
  }

  /** A layer that returns its input. */
  @dev.leibniz.dsl.Layer
  public static final class Identity {
    @dev.leibniz.dsl.Call
    public dev.leibniz.dsl.Tensor call(dev.leibniz.dsl.Tensor x) {
      return x;
    }
  }

  /** A weight named with a Greek letter. */
  @dev.leibniz.dsl.Layer
  public static final class Greek {
    @dev.leibniz.dsl.Weight dev.leibniz.dsl.Variable nu;

    @dev.leibniz.dsl.Build
    void build(dev.leibniz.dsl.Shape input) {
      nu = dev.leibniz.dsl.Ops.addWeight("\u03bd", dev.leibniz.dsl.Shape.of(input.last()), dev.leibniz.dsl.Init.ZEROS);
    }

    @dev.leibniz.dsl.Call
    public dev.leibniz.dsl.Tensor call(dev.leibniz.dsl.Tensor x) {
      return dev.leibniz.dsl.Ops.add(x, nu);
    }
  }

  @Test
  void aWeightNameTensorFlowCannotTakeIsRefusedInBuild() {
    try (Model m = Leibniz.model(new Greek())) {
      refused(IllegalArgumentException.class, "weight name '\u03bd' is not a TensorFlow name", () -> m.build(3));
    }
  }
}
