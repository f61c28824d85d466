package dev.leibniz.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.FitOptions;
import dev.leibniz.Leibniz;
import dev.leibniz.Model;
import dev.leibniz.Sequential;
import dev.leibniz.callbacks.Callback;
import dev.leibniz.data.Data;
import dev.leibniz.layers.Dense;
import dev.leibniz.layers.Reshape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a model promises about threads and closing (README, "Threads"): predict runs from many
 * threads; building runs @Build once; a change (fit, evaluate) from a second thread is refused
 * by name; a closed model stays closed, and close does not wait for more than a batch.
 */
class ModelThreadsTest {
  @TempDir
  Path temp;

  static Data x(int n, long seed) {
    Random r = new Random(seed);
    float[] v = new float[n * 4];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return Data.of(v, 4);
  }

  static Data y(Data x) {
    int[] labels = new int[x.count()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = x.values()[i * 4] > 0 ? 1 : 0;
    }
    return Data.labels(labels);
  }

  static Model compiled() {
    Model m = Sequential.of(new Dense(16, "relu"), new Dense(2, "softmax"));
    m.compile("adam", "sparse_categorical_crossentropy", "accuracy");
    return m;
  }

  @Test
  void aClosedModelStaysClosed() throws Exception {
    Model m = compiled();
    Data x = x(64, 1);
    m.fit(x, y(x), FitOptions.epochs(2).verbose(0));
    m.close();
    m.close(); // idempotent
    List<Executable> calls = List.of(() -> m.predict(x, 32), () -> m.fit(x, y(x), FitOptions.epochs(1).verbose(0)),
        () -> m.evaluate(x, y(x), 32), m::getWeights, () -> m.build(4), () -> m.export(temp.resolve("e")),
        () -> m.saveCheckpoint(temp.resolve("c")), () -> m.compile("sgd", "mse"), m::summary,
        () -> m.setWeights(List.of()), () -> m.call(dev.leibniz.Value.ones(2, 4)));
    for (Executable call : calls) {
      var e = assertThrows(IllegalStateException.class, call::execute);
      assertTrue(e.getMessage().contains("is closed"), e.getMessage());
    }
    assertEquals(false, m.isBuilt());
  }

  @Test
  void buildingFromManyThreadsRunsBuildOnceAndAllAgree() throws Exception {
    for (int round = 0; round < 5; round++) {
      CountingLayers.CountingDense layer = new CountingLayers.CountingDense();
      try (Model m = Leibniz.model(layer)) {
        Data x = x(8, 2);
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<float[]>> got = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          got.add(pool.submit(() -> {
            start.await();
            return m.predict(x, 8).values();
          }));
        }
        start.countDown();
        float[] first = got.get(0).get(30, TimeUnit.SECONDS);
        for (Future<float[]> f : got) {
          assertArrayEquals(first, f.get(30, TimeUnit.SECONDS));
        }
        pool.shutdown();
        assertEquals(1, layer.builds.get(), "@Build runs once");
      }
    }
  }

  @Test
  void evaluateOrASecondFitDuringFitIsRefusedByName() throws Exception {
    try (Model m = compiled()) {
      Data x = x(2048, 3);
      Data y = y(x);
      CountDownLatch fitting = new CountDownLatch(1);
      CountDownLatch checked = new CountDownLatch(1);
      Callback holdOpen = new Callback() {
        @Override
        public void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {
          fitting.countDown();
          try {
            checked.await(30, TimeUnit.SECONDS); // keep fit running while the other thread tries
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      };
      ExecutorService pool = Executors.newSingleThreadExecutor();
      Future<dev.leibniz.History> fit = pool.submit(() -> m.fit(x, y, FitOptions.epochs(3).verbose(0)
          .callbacks(holdOpen)));
      assertTrue(fitting.await(60, TimeUnit.SECONDS));
      var e = assertThrows(IllegalStateException.class, () -> m.evaluate(x, y, 64));
      assertTrue(e.getMessage().contains("cannot evaluate now: fit is running"), e.getMessage());
      var f = assertThrows(IllegalStateException.class, () -> m.fit(x, y, FitOptions.epochs(1).verbose(0)));
      assertTrue(f.getMessage().contains("cannot fit now: fit is running"), f.getMessage());
      checked.countDown();
      dev.leibniz.History h = fit.get(120, TimeUnit.SECONDS);
      pool.shutdown();
      // The fit's own metrics were not disturbed, and evaluate works once it ends.
      double accuracy = h.history().get("accuracy").get(2);
      assertTrue(accuracy > 0.8, "accuracy " + accuracy);
      assertEquals(accuracy, m.evaluate(x, y, 64).get("accuracy"), 0.05);
    }
  }

  @Test
  void closeDuringPredictionsReturnsPromptlyAndTheyStopCleanly() throws Exception {
    Model m = compiled();
    Data x = x(4096, 4);
    m.build(4);
    int threads = 6;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    AtomicInteger predictions = new AtomicInteger();
    AtomicReference<Throwable> unexpected = new AtomicReference<>();
    AtomicBoolean stop = new AtomicBoolean();
    List<Future<?>> running = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      running.add(pool.submit(() -> {
        while (!stop.get()) {
          try {
            m.predict(x, 64);
            predictions.incrementAndGet();
          } catch (IllegalStateException closed) {
            if (!closed.getMessage().contains("is closed")) {
              unexpected.set(closed);
            }
            return;
          } catch (Throwable other) {
            unexpected.set(other);
            return;
          }
        }
      }));
    }
    while (predictions.get() < threads) {
      Thread.sleep(10);
    }
    long t0 = System.nanoTime();
    m.close();
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertTrue(seconds < 5, "close took " + seconds + " s");
    for (Future<?> f : running) {
      f.get(30, TimeUnit.SECONDS); // every thread saw the model closed and ended
    }
    stop.set(true);
    pool.shutdown();
    assertEquals(null, unexpected.get());
  }

  @Test
  void aReshapeThatWouldMixSamplesIsRefusedAndPredictChecksRows() {
    try (Model m = Sequential.of(new Reshape(5))) {
      var e = assertThrows(IllegalArgumentException.class, () -> m.build(4));
      assertTrue(e.getMessage().contains("Reshape[5] cannot hold samples of shape [4]"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> new Reshape(-1, -1));
    try (Model m = Leibniz.model(new CountingLayers.Mixer())) {
      var e = assertThrows(IllegalStateException.class, () -> m.predict(x(100, 5), 20));
      assertTrue(e.getMessage().contains("output 0 has 16 rows for a batch of 20 samples"), e.getMessage());
    }
  }

  @Test
  void layersInACycleOrANullSublayerAreClearErrors() {
    var cycle = assertThrows(IllegalArgumentException.class, () -> Leibniz.model(new CountingLayers.Front()));
    assertTrue(cycle.getMessage().contains("cycle: Front -> Back -> Front"), cycle.getMessage());
    try (Model m = Leibniz.model(new CountingLayers.Holder(false))) {
      var e = assertThrows(IllegalStateException.class, () -> m.build(4));
      assertTrue(e.getMessage().contains("the sublayer field 'dense' is null"), e.getMessage());
    }
    try (Model m = Leibniz.model(new CountingLayers.Holder(true))) {
      assertEquals(2, m.predict(x(3, 6), 3).sampleShape()[0]);
    }
    var s = assertThrows(IllegalArgumentException.class, () -> Sequential.of(new Dense(2), null));
    assertTrue(s.getMessage().contains("Sequential layer 2 is null"), s.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Leibniz.model(null));
  }

  @Test
  void aTensorFlowErrorInsideALayerNamesItsSourceLineAndShapes() {
    try (Model m = Sequential.of(new Dense(5), new CountingLayers.Misshapen())) {
      var e = assertThrows(IllegalArgumentException.class, () -> m.build(784));
      assertTrue(e.getMessage().startsWith("in CountingLayers.java:"), e.getMessage());
      assertTrue(e.getMessage().contains("`Tensor y = matmul(x, kernel);`: Dimensions must be equal, but are 5 and 3"),
          e.getMessage());
      assertTrue(e.getMessage().contains("while building misshapen (Misshapen) on inputs of shape [-1, 5]"),
          e.getMessage());
    }
  }
}
