package dev.leibniz.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.FitOptions;
import dev.leibniz.History;
import dev.leibniz.Model;
import dev.leibniz.Sequential;
import dev.leibniz.layers.Dense;
import dev.leibniz.layers.Rescaling;
import dev.leibniz.optimizers.Optimizers;
import dev.leibniz.tf.FeedTensor;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Dataset pipeline against what it must give: every operation's samples and order (checked
 * value by value against arrays), the cardinality it reports, the epoch-seeded shuffles, the
 * file formats written and read back, and the errors bad files raise.
 */
class DatasetTest {
  @TempDir
  Path temp;

  /** Samples 0..n-1, sample i holding {i, 10 i}, labelled i % 3. */
  static Dataset numbers(int n) {
    float[] x = new float[2 * n];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      x[2 * i] = i;
      x[2 * i + 1] = 10 * i;
      y[i] = i % 3;
    }
    return Dataset.of(Data.of(x, 2), Data.labels(y));
  }

  /** Each batch's first input column (sample ids), epoch {@code epoch}; checks the pipeline's steps. */
  static List<float[]> firstColumn(Dataset d, int batch, int epoch) {
    try (Feed p = InputPipeline.open(d, batch)) {
      List<float[]> out = new ArrayList<>();
      for (Batches.Batch b : p.pass("test", epoch, false, 0)) {
        try (b) {
          float[] v = b.x().get(0).values();
          float[] ids = new float[b.size()];
          for (int i = 0; i < ids.length; i++) {
            ids[i] = v[i * (v.length / ids.length)];
          }
          out.add(ids);
        }
      }
      assertEquals(p.steps(), out.size(), "steps reported for " + d);
      assertEquals(d.cardinality() > 0 && d.stages().stream().anyMatch(s -> s instanceof Dataset.Batch)
          ? d.cardinality() : out.size(), out.size());
      return out;
    }
  }

  static float[] flat(List<float[]> batches) {
    return batches.stream().reduce(new float[0], (a, b) -> {
      float[] c = Arrays.copyOf(a, a.length + b.length);
      System.arraycopy(b, 0, c, a.length, b.length);
      return c;
    });
  }

  static float[] range(int from, int to, int step) {
    float[] r = new float[(to - from + step - 1) / step];
    for (int i = 0; i < r.length; i++) {
      r[i] = from + i * step;
    }
    return r;
  }

  @Test
  void batchTakeSkipShardRepeatGiveTheSamplesTfDataGives() {
    List<float[]> b = firstColumn(numbers(10).batch(4), 99, 0);
    assertEquals(3, b.size());
    assertArrayEquals(new float[] {8, 9}, b.get(2));
    assertEquals(2, firstColumn(numbers(10).batch(4, true), 99, 0).size());
    assertArrayEquals(range(3, 8, 1), flat(firstColumn(numbers(10).skip(3).take(5), 2, 0)));
    assertArrayEquals(range(1, 10, 3), flat(firstColumn(numbers(10).shard(3, 1), 2, 0)));
    float[] twice = flat(firstColumn(numbers(4).repeat(2), 3, 0));
    assertArrayEquals(new float[] {0, 1, 2, 3, 0, 1, 2, 3}, twice);
    assertEquals(3, numbers(10).batch(4).cardinality());
    assertEquals(3, numbers(10).shard(3, 0).take(3).cardinality());
  }

  @Test
  void shuffleIsAPermutationDrawnFromSeedAndEpoch() {
    Dataset d = numbers(50).shuffle(50, 7);
    float[] e0 = flat(firstColumn(d, 8, 0));
    float[] again = flat(firstColumn(d, 8, 0));
    float[] e1 = flat(firstColumn(d, 8, 1));
    assertArrayEquals(e0, again, "the same (seed, epoch) gives the same order: a resumed run reads what it would have");
    assertNotEquals(Arrays.toString(e0), Arrays.toString(e1), "each epoch reshuffles");
    assertNotEquals(Arrays.toString(range(0, 50, 1)), Arrays.toString(e0));
    float[] sorted = e0.clone();
    Arrays.sort(sorted);
    assertArrayEquals(range(0, 50, 1), sorted, "every sample once");
    Dataset fixed = numbers(50).shuffle(50, 7, false);
    assertArrayEquals(flat(firstColumn(fixed, 8, 0)), flat(firstColumn(fixed, 8, 3)), "reshuffleEachEpoch false");
    assertNotEquals(Arrays.toString(e0), Arrays.toString(flat(firstColumn(numbers(50).shuffle(50, 8), 8, 0))));
  }

  @Test
  void cacheKeepsTheSamplesAndMapRunsACompiledLayerInsideTensorFlow() {
    assertArrayEquals(range(0, 6, 1), flat(firstColumn(numbers(6).cache(), 4, 0)));
    assertArrayEquals(range(0, 6, 1), flat(firstColumn(numbers(6).cache(), 4, 1)));
    float[] halved = flat(firstColumn(numbers(6).map(new Rescaling(0.5, 1)), 4, 0));
    for (int i = 0; i < 6; i++) {
      assertEquals(i * 0.5f + 1, halved[i], 1e-6f);
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> firstColumn(numbers(6).map(new Dense(3)), 4, 0));
    assertTrue(e.getMessage().contains("has weights"), e.getMessage());
  }

  @Test
  void fitOnADatasetOfArraysEqualsFitOnTheArrays() {
    Dataset d = numbers(64);
    float[] x = new float[128];
    int[] y = new int[64];
    for (int i = 0; i < 64; i++) {
      x[2 * i] = i / 64f;
      x[2 * i + 1] = -i / 64f;
      y[i] = i % 3;
    }
    Data xs = Data.of(x, 2);
    Data ys = Data.labels(y);
    History a;
    History b;
    try (Model m = model()) {
      a = m.fit(xs, ys, FitOptions.epochs(3).batchSize(16).shuffle(false).verbose(0));
    }
    try (Model m = model()) {
      b = m.fit(Dataset.of(xs, ys).batch(16), FitOptions.epochs(3).verbose(0));
    }
    assertEquals(a.history().get("loss"), b.history().get("loss"));
    assertEquals(a.history().get("accuracy"), b.history().get("accuracy"));
    assertEquals(64, d.cardinality());
  }

  @Test
  void predictGivesOneRowPerSampleReadWhateverTheBatchesAre() {
    try (Model m = model()) {
      // 6 samples in batches of 4 and 2: the last batch short
      List<Data> out = m.predict(numbers(6).batch(4).take(2));
      assertEquals(6, out.get(0).count());
      assertEquals(3, out.get(0).sampleShape()[0]);
      List<Data> generated = m.predict(generated(5, new java.util.concurrent.atomic.AtomicInteger()).batch(2));
      assertEquals(5, generated.get(0).count());
      assertArrayEquals(m.predict(numbers(5).batch(2)).get(0).values(), generated.get(0).values());
    }
  }

  static Model model() {
    Model m = Sequential.of(new Dense(8, "relu"), new Dense(3, "softmax")).seed(3);
    m.compile(Optimizers.adam(0.01f), "sparse_categorical_crossentropy", "accuracy");
    return m;
  }

  /** Samples {i, 10 i} labelled i % 3, made by a Java iterator; {@code made} counts the samples drawn. */
  static Dataset generated(int n, java.util.concurrent.atomic.AtomicInteger made) {
    return Dataset.fromGenerator(() -> java.util.stream.IntStream.range(0, n)
        .mapToObj(i -> {
          made.incrementAndGet();
          return new float[][] {{i, 10 * i}, {i % 3}};
        }).iterator(), n, List.of(new long[] {2}), List.of(new long[0]));
  }

  @Test
  void aGeneratorGivesWhatTheSameArraysGiveThroughABoundedQueue() throws Exception {
    var made = new java.util.concurrent.atomic.AtomicInteger();
    assertArrayEquals(flat(firstColumn(numbers(10).skip(1).shard(2, 0).take(3).repeat(2), 2, 0)),
        flat(firstColumn(generated(10, made).skip(1).shard(2, 0).take(3).repeat(2), 2, 0)));
    float[] shuffled = flat(firstColumn(generated(30, made).shuffle(8, 3), 4, 0));
    float[] sorted = shuffled.clone();
    Arrays.sort(sorted);
    assertArrayEquals(range(0, 30, 1), sorted);
    assertNotEquals(Arrays.toString(range(0, 30, 1)), Arrays.toString(shuffled));
    assertArrayEquals(shuffled, flat(firstColumn(generated(30, made).shuffle(8, 3), 4, 0)), "seeded");
    float[] scaled = flat(firstColumn(generated(6, made).map(new Rescaling(2, 1)), 4, 0));
    assertArrayEquals(new float[] {1, 3, 5, 7, 9, 11}, scaled);
    History a;
    History b;
    try (Model m = model()) {
      a = m.fit(numbers(64).batch(16), FitOptions.epochs(2).verbose(0));
    }
    try (Model m = model()) {
      b = m.fit(generated(64, made).batch(16), FitOptions.epochs(2).verbose(0));
    }
    assertEquals(a.history().get("loss"), b.history().get("loss"));
    // bounded: with prefetch(2) the generator runs at most the queue's 2 batches and the one it fills ahead
    made.set(0);
    try (Feed f = InputPipeline.open(generated(1000, made).batch(4).prefetch(2), 4)) {
      Iterator<Batches.Batch> it = f.pass("test", 0, false, 0).iterator();
      it.next().close();
      Thread.sleep(300);
      assertTrue(made.get() <= 4 * 4, "samples drawn while one batch was read: " + made.get());
    }
  }

  @Test
  void aGeneratorThatBreaksItsWordFailsFitSayingHow() {
    Dataset short_ = Dataset.fromGenerator(() -> List.<float[][]>of(new float[][] {{1, 2}, {0}}).iterator(), 3,
        List.of(new long[] {2}), List.of(new long[0]));
    try (Model m = model()) {
      DataException e = assertThrows(DataException.class, () -> m.fit(short_, FitOptions.epochs(1).verbose(0)));
      assertEquals("fit, epoch 1, batch 1: the generator's iterator ended after 1 samples; it declared 3", e.getMessage());
    }
    Dataset wrong = Dataset.fromGenerator(() -> List.<float[][]>of(new float[][] {{1, 2, 3}, {0}}).iterator(), 1,
        List.of(new long[] {2}), List.of(new long[0]));
    try (Model m = model()) {
      DataException e = assertThrows(DataException.class, () -> m.fit(wrong, FitOptions.epochs(1).verbose(0)));
      assertEquals("fit, epoch 1, batch 1: sample 1 of the generator: component 0 holds 3 values; its shape [2] takes 2",
          e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> InputPipeline.open(short_.cache(), 2));
  }

  @Test
  void tfRecordsWrittenFromJavaReadBackAsTheArrays() throws Exception {
    Path file = temp.resolve("n.tfrecord");
    float[] x = new float[3 * 7];
    int[] y = new int[7];
    for (int i = 0; i < x.length; i++) {
      x[i] = i * 0.25f - 2;
    }
    for (int i = 0; i < 7; i++) {
      y[i] = 6 - i;
    }
    TfRecords.write(file, List.of("x", "y"), List.of(Data.of(x, 3), Data.labels(y)));
    Dataset d = Dataset.tfRecords(List.of(file), List.of(Feature.floats("x", 3)), List.of(Feature.ints("y")));
    assertEquals(7, d.cardinality());
    try (InputPipeline p = new InputPipeline(d.batch(4), 0)) {
      assertEquals(List.of(3L), Arrays.stream(p.inputShapes().get(0)).boxed().toList());
      float[] gotX = new float[0];
      float[] gotY = new float[0];
      for (Batches.Batch b : p.pass("test", 0, false, 0)) {
        try (b) {
          gotX = append(gotX, b.x().get(0));
          gotY = append(gotY, b.y().get(0));
        }
      }
      assertArrayEquals(x, gotX);
      assertArrayEquals(new float[] {6, 5, 4, 3, 2, 1, 0}, gotY);
    }
    Path raw = temp.resolve("raw.tfrecord");
    TfRecords.writeRaw(raw, List.of("x", "y"), List.of(Data.of(x, 3), Data.labels(y)));
    try (InputPipeline p = new InputPipeline(Dataset.tfRecords(List.of(raw), List.of(Feature.rawFloats("x", 3)),
        List.of(Feature.ints("y"))), 7)) {
      for (Batches.Batch b : p.pass("test", 0, false, 0)) {
        try (b) {
          assertArrayEquals(x, append(new float[0], b.x().get(0)), "raw float32 bytes, decoded in the graph");
          assertArrayEquals(new long[] {7, 3}, b.x().get(0).shape());
        }
      }
    }
  }

  private static float[] append(float[] a, FeedTensor t) {
    float[] v = t.values();
    float[] c = Arrays.copyOf(a, a.length + v.length);
    System.arraycopy(v, 0, c, a.length, v.length);
    return c;
  }

  @Test
  void aCachedDatasetReadsItsFilesOnlyInTheFirstEpoch() throws Exception {
    Path file = temp.resolve("cached.tfrecord");
    TfRecords.write(file, List.of("x"), List.of(Data.of(range(0, 6, 1), 1)));
    Dataset d = Dataset.tfRecords(List.of(file), List.of(Feature.floats("x", 1)), List.of()).cache().shuffle(6, 1);
    try (InputPipeline p = new InputPipeline(d, 6)) {
      float[] first = read(p, 0);
      Files.delete(file);
      float[] second = read(p, 1);
      Arrays.sort(first);
      Arrays.sort(second);
      assertArrayEquals(range(0, 6, 1), first);
      assertArrayEquals(range(0, 6, 1), second, "epoch 2 from the cache: the file is gone");
    }
  }

  private static float[] read(InputPipeline p, int epoch) {
    float[] out = new float[0];
    for (Batches.Batch b : p.pass("test", epoch, false, 0)) {
      try (b) {
        out = append(out, b.x().get(0));
      }
    }
    return out;
  }

  @Test
  void csvColumnsWithHeaderLabelsAndMissingValues() throws Exception {
    Path file = temp.resolve("t.csv");
    Files.writeString(file, "a,label,b\n1,0,2\n3,1,\n\n5,2,6\n");
    Dataset d = Dataset.csv(List.of(file), CsvFormat.header("label").missing(-1));
    assertEquals(3, d.cardinality());
    try (InputPipeline p = new InputPipeline(d, 8)) {
      for (Batches.Batch b : p.pass("test", 0, false, 0)) {
        try (b) {
          assertArrayEquals(new float[] {1, 2, 3, -1, 5, 6}, append(new float[0], b.x().get(0)));
          assertArrayEquals(new float[] {0, 1, 2}, append(new float[0], b.y().get(0)));
        }
      }
    }
    IllegalArgumentException noLabel = assertThrows(IllegalArgumentException.class,
        () -> Dataset.csv(List.of(file), CsvFormat.header("y")));
    assertTrue(noLabel.getMessage().contains("[a, label, b]"), noLabel.getMessage());
  }

  @Test
  void aBadCsvRowFailsFitNamingFileLineEpochAndBatchAndLeavesTheWeights() throws Exception {
    Path file = temp.resolve("bad.csv");
    StringBuilder s = new StringBuilder("a,b,label\n");
    for (int i = 0; i < 40; i++) {
      s.append(i % 7).append(',').append(i % 5).append(',').append(i % 3).append('\n');
    }
    s.append("1,2\n"); // line 42: a field short
    Files.writeString(file, s.toString());
    try (Model m = model()) {
      m.build(2);
      List<float[]> before = m.getWeights();
      DataException e = assertThrows(DataException.class,
          () -> m.fit(Dataset.csv(List.of(file), CsvFormat.header("label")).batch(8), FitOptions.epochs(2).verbose(0)));
      assertTrue(e.getMessage().contains(file + ", line 42: 2 fields, expected 3"), e.getMessage());
      assertTrue(e.getMessage().startsWith("fit, epoch 1, batch 6"), e.getMessage());
      // the five whole batches before it trained; the failed one changed nothing: a fit of those five alone agrees
      try (Model same = model()) {
        same.build(2);
        same.setWeights(before);
        same.fit(Dataset.csv(List.of(file), CsvFormat.header("label")).take(40).batch(8), FitOptions.epochs(1).verbose(0));
        for (int i = 0; i < before.size(); i++) {
          assertArrayEquals(same.getWeights().get(i), m.getWeights().get(i), 0f);
        }
      }
    }
  }

  @Test
  void aCorruptTfRecordFailsNamingTheRecord() throws Exception {
    Path file = temp.resolve("c.tfrecord");
    TfRecords.write(file, List.of("x", "y"), List.of(Data.of(new float[20], 2), Data.labels(new int[10])));
    byte[] bytes = Files.readAllBytes(file);
    int recordLength = bytes.length / 10;
    bytes[3 * recordLength + 20] ^= 0x5a; // inside record 4's bytes
    Files.write(file, bytes);
    try (Model m = model()) {
      DataException e = assertThrows(DataException.class, () -> m.fit(Dataset.tfRecords(List.of(file),
          List.of(Feature.floats("x", 2)), List.of(Feature.ints("y"))), FitOptions.epochs(1).batchSize(2).verbose(0)));
      assertTrue(e.getMessage().contains(file + ", record 4: the record's bytes fail their checksum"), e.getMessage());
    }
    Path missing = temp.resolve("nope.tfrecord");
    DataException gone = assertThrows(DataException.class,
        () -> Dataset.tfRecords(List.of(missing), List.of(Feature.floats("x", 2)), List.of()));
    assertTrue(gone.getMessage().contains(missing + ": no such TFRecord file"), gone.getMessage());
    Path wrong = temp.resolve("w.tfrecord");
    TfRecords.write(wrong, List.of("x"), List.of(Data.of(new float[6], 2)));
    try (Model m = model()) {
      DataException e = assertThrows(DataException.class, () -> m.fit(Dataset.tfRecords(List.of(wrong),
          List.of(Feature.floats("x", 2)), List.of(Feature.ints("y"))), FitOptions.epochs(1).verbose(0)));
      assertTrue(e.getMessage().contains(wrong + ", record 1: no feature \"y\""), e.getMessage());
    }
    try (Model m = model()) {
      DataException size = assertThrows(DataException.class, () -> m.fit(Dataset.tfRecords(List.of(wrong),
          List.of(Feature.floats("x", 3)), List.of(Feature.ints("y"))), FitOptions.epochs(1).verbose(0)));
      assertTrue(size.getMessage().contains(wrong + ", record 1: feature \"x\" holds 2 values of the float kind (it is"
          + " stored as float_list); x (float [3]) takes 3"), size.getMessage());
    }
  }

  @Test
  void imageFoldersDecodeResizeAndLabelByFolderAndBadImagesAreNamed() throws Exception {
    Path dir = temp.resolve("images");
    for (String c : List.of("cats", "dogs")) {
      Files.createDirectories(dir.resolve(c));
    }
    BufferedImage img = new BufferedImage(4, 2, BufferedImage.TYPE_BYTE_GRAY);
    for (int i = 0; i < 8; i++) {
      img.getRaster().setSample(i % 4, i / 4, 0, 10 * i);
    }
    ImageIO.write(img, "png", dir.resolve("dogs/a.png").toFile());
    ImageIO.write(img, "png", dir.resolve("cats/b.png").toFile());
    ImageIO.write(img, "jpg", dir.resolve("cats/c.jpg").toFile());
    Dataset d = Dataset.imageDirectory(dir, 2, 4, 1);
    assertEquals(List.of("cats", "dogs"), d.classNames());
    assertEquals(3, d.cardinality());
    try (InputPipeline p = new InputPipeline(d, 8)) {
      assertArrayEquals(new long[] {2, 4, 1}, p.inputShapes().get(0));
      for (Batches.Batch b : p.pass("test", 0, false, 0)) {
        try (b) {
          float[] x = append(new float[0], b.x().get(0));
          assertArrayEquals(range(0, 80, 10), Arrays.copyOfRange(x, 0, 8), "the PNG's pixels, same size: no resampling");
          assertArrayEquals(range(0, 80, 10), Arrays.copyOfRange(x, 16, 24));
          assertArrayEquals(new float[] {0, 0, 1}, append(new float[0], b.y().get(0)));
        }
      }
    }
    Files.writeString(dir.resolve("dogs/broken.png"), "not a png");
    try (Model m = Sequential.of(new dev.leibniz.layers.Flatten(), new Dense(2, "softmax"))) {
      m.compile(Optimizers.sgd(0.1f), "sparse_categorical_crossentropy");
      DataException e = assertThrows(DataException.class,
          () -> m.fit(Dataset.imageDirectory(dir, 2, 4, 1), FitOptions.epochs(1).verbose(0)));
      assertTrue(e.getMessage().contains(dir.resolve("dogs/broken.png") + ": "), e.getMessage());
    }
    Files.createDirectories(dir.resolve("empty"));
    DataException empty = assertThrows(DataException.class, () -> Dataset.imageDirectory(dir, 2, 4, 1));
    assertTrue(empty.getMessage().contains(dir.resolve("empty") + ": the class folder holds no images"), empty.getMessage());
  }
}
