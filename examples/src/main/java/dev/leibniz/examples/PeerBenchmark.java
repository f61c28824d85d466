package dev.leibniz.examples;

import dev.leibniz.FitOptions;
import dev.leibniz.Model;
import dev.leibniz.Sequential;
import dev.leibniz.data.Data;
import dev.leibniz.layers.Conv2D;
import dev.leibniz.layers.Dense;
import dev.leibniz.layers.Flatten;
import dev.leibniz.layers.MaxPooling2D;
import dev.leibniz.optimizers.Optimizers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The peers' workloads W1-W4 ({@code ../shared/bench/peers/README.md}) in Leibniz, on the data and
 * initial weights their {@code export_data.py} writes, so that the numbers sit beside theirs:
 * W1 {@code mlp} (784-512-10, RMSprop, batch 128, 1 warm-up epoch then 2 timed), W2 {@code cnn}
 * (conv 32, pool, conv 64, pool, dense 10, Adam, batch 128, 10,000 samples), W3 {@code linear}
 * (Chollet's 2,000 points, MSE, full-batch gradient descent at 0.1, 40 steps of
 * {@code trainOnBatch}), W4 {@code predict} (the W1 model, batch 1024). Each workload prints one
 * {@code BENCH_RESULT {json}} line with the peers' field names (samples_per_s, first_epoch_s,
 * final_loss, train_acc, step_ms, first_pass_s) and the process's peak resident memory. Not a test.
 *
 * <p>Arguments: the exported data folder, then the workloads (default all). {@code bench/peers.py}
 * runs this and the peers' scripts alternately and prints the ratio table.
 */
public final class PeerBenchmark {
  private final Path data;

  private PeerBenchmark(Path data) {
    this.data = data;
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: PeerBenchmark EXPORTED_DATA_DIR [mlp,cnn,linear,predict]");
      System.exit(2);
    }
    PeerBenchmark b = new PeerBenchmark(Path.of(args[0]));
    // TensorFlow's native library loaded before any timing, as the peers' "import tensorflow" is; through
    // Leibniz, which turns JavaCPP's memory limit off first (TensorFlow Java's own first call would leave it on)
    dev.leibniz.tf.Natives.require();
    System.err.println("TensorFlow " + org.tensorflow.TensorFlow.version());
    for (String w : (args.length > 1 ? args[1] : "mlp,cnn,linear,predict").split(",")) {
      Map<String, Object> r = switch (w) {
        case "mlp" -> b.mlp();
        case "mlp_tfrecord" -> b.mlpFromTfRecords();
        case "cnn" -> b.cnn();
        case "linear" -> b.linear();
        case "predict" -> b.predict();
        default -> throw new IllegalArgumentException("unknown workload '" + w + "'; expected mlp, cnn, linear or predict");
      };
      r.put("framework", "leibniz");
      r.put("workload", w.equals("mlp_tfrecord") ? "mlp" : w);
      r.put("variant", w.equals("mlp_tfrecord") ? "tfrecord" : "fit");
      r.put("peak_rss_mb", peakRssMb());
      System.out.println("BENCH_RESULT " + json(r));
    }
  }

  static Model mlpModel() {
    return Sequential.of(new Dense(512, "relu"), new Dense(10, "softmax"));
  }

  /** W1: 1 warm-up epoch (its time, from an unbuilt model: graph build included), then 2 timed epochs. */
  Map<String, Object> mlp() throws IOException {
    Data x = Data.of(floats("mlp_x"), 784);
    Data y = Data.labels(ints("mlp_y"));
    List<float[]> weights = List.of(floats("mlp_w1"), floats("mlp_b1"), floats("mlp_w2"), floats("mlp_b2"));
    return train("mlp", mlpModel(), weights, x, y, 784);
  }

  /**
   * W1 streamed from TFRecord files through the Dataset pipeline instead of arrays: each epoch's
   * samples (in the peers' order) written to a file of {@code tf.train.Example}s before the timing,
   * then read, parsed and batched inside TensorFlow while the model trains.
   */
  Map<String, Object> mlpFromTfRecords() throws IOException {
    Data x = Data.of(floats("mlp_x"), 784);
    Data y = Data.labels(ints("mlp_y"));
    int[] orders = data.resolve("mlp_perm.i32").toFile().exists() ? ints("mlp_perm") : null;
    Path dir = java.nio.file.Files.createTempDirectory("w1-tfrecord");
    List<Path> files = new java.util.ArrayList<>();
    for (int epoch = 0; epoch < 3; epoch++) {
      Data[] ordered = ordered(x, y, orders, epoch);
      files.add(dir.resolve("epoch" + epoch + ".tfrecord"));
      dev.leibniz.data.TfRecords.write(files.get(epoch), List.of("x", "y"), List.of(ordered[0], ordered[1]));
    }
    List<float[]> weights = List.of(floats("mlp_w1"), floats("mlp_b1"), floats("mlp_w2"), floats("mlp_b2"));
    try {
      return train("mlp", mlpModel(), weights, x, y, (model, epoch) -> model.fit(
          dev.leibniz.data.Dataset.tfRecords(List.of(files.get(epoch)), List.of(dev.leibniz.data.Feature.floats("x", 784)),
              List.of(dev.leibniz.data.Feature.ints("y"))).batch(128),
          FitOptions.epochs(1).verbose(0)).last("loss"), epoch -> { }, orders != null, 784);
    } finally {
      for (Path f : files) {
        java.nio.file.Files.deleteIfExists(f);
      }
      java.nio.file.Files.deleteIfExists(dir);
    }
  }

  /** One epoch of training; its loss. */
  private interface Epoch {
    double fit(Model model, int epoch) throws IOException;
  }

  /** W2: as W1 on the convnet, with Adam. */
  Map<String, Object> cnn() throws IOException {
    Data x = Data.of(floats("cnn_x"), 28, 28, 1);
    Data y = Data.labels(ints("cnn_y"));
    Model model = Sequential.of(new Conv2D(32, 3, "relu"), new MaxPooling2D(2), new Conv2D(64, 3, "relu"),
        new MaxPooling2D(2), new Flatten(), new Dense(10, "softmax"));
    List<float[]> weights = List.of(floats("cnn_k1"), floats("cnn_c1"), floats("cnn_k2"), floats("cnn_c2"),
        floats("cnn_w"), floats("cnn_b"));
    return train("cnn", model, weights, x, y, 28, 28, 1);
  }

  /**
   * Three epochs of batch 128; where {@code <name>_perm.i32} holds the peers' three epoch orders
   * ({@code bench/peers.py} writes it), each epoch takes the samples in that order, so the loss is
   * the peers' to round-off; else fit shuffles. The samples are put in order outside the timing.
   */
  private Map<String, Object> train(String name, Model model, List<float[]> weights, Data x, Data y,
      long... sampleShape) throws IOException {
    int[] orders = data.resolve(name + "_perm.i32").toFile().exists() ? ints(name + "_perm") : null;
    Data[][] epochData = new Data[3][];
    return train(name, model, weights, x, y, (m, epoch) -> {
      Data[] d = epochData[epoch];
      return m.fit(d[0], d[1], FitOptions.epochs(1).batchSize(128).shuffle(orders == null).verbose(0)).last("loss");
    }, epoch -> { // the previous epoch's copy let go first: two copies of the data at most, as the peers hold
      epochData[Math.max(0, epoch - 1)] = null;
      epochData[epoch] = ordered(x, y, orders, epoch);
    }, orders != null, sampleShape);
  }

  /** {@code prepare} runs before each epoch's timing (the samples put in order). */
  private Map<String, Object> train(String name, Model model, List<float[]> weights, Data x, Data y, Epoch fit,
      java.util.function.IntConsumer prepare, boolean peerOrder, long... sampleShape) throws IOException {
    try (model) {
      prepare.accept(0);
      long t0 = System.nanoTime();
      model.compile(name.equals("cnn") ? Optimizers.adam(1e-3f) : Optimizers.rmsprop(1e-3f),
          "sparse_categorical_crossentropy");
      model.build(sampleShape);
      model.setWeights(weights);
      double[] seconds = new double[3];
      double loss = 0;
      for (int epoch = 0; epoch < 3; epoch++) {
        if (epoch > 0) {
          prepare.accept(epoch);
        }
        long s = System.nanoTime();
        loss = fit.fit(model, epoch);
        seconds[epoch] = (System.nanoTime() - (epoch == 0 ? t0 : s)) / 1e9;
      }
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("samples_per_s", 2 * x.count() / (seconds[1] + seconds[2]));
      r.put("first_epoch_s", seconds[0]);
      r.put("final_loss", loss);
      r.put("train_acc", accuracy(model.predict(x, 1024).values(), y.values()));
      r.put("epoch_times_s", List.of(seconds[0], seconds[1], seconds[2]));
      r.put("peer_order", peerOrder ? "yes" : "no");
      return r;
    }
  }

  /** The samples and labels in epoch {@code epoch}'s order, or as they are where there is none. */
  private static Data[] ordered(Data x, Data y, int[] orders, int epoch) {
    if (orders == null) {
      return new Data[] {x, y};
    }
    int[] order = Arrays.copyOfRange(orders, epoch * x.count(), (epoch + 1) * x.count());
    return new Data[] {x.take(order), y.take(order)};
  }

  /** W3: 40 full-batch steps; the median of steps 2-40 and the first (graph build included). */
  Map<String, Object> linear() throws IOException {
    Data x = Data.of(floats("lin_x"), 2);
    Data y = Data.of(floats("lin_y"), 1);
    try (Model model = Sequential.of(new Dense(1))) {
      long t0 = System.nanoTime();
      model.compile(Optimizers.sgd(0.1f), "mse");
      model.build(2);
      model.setWeights(List.of(floats("lin_w0"), floats("lin_b0")));
      double[] ms = new double[40];
      double loss = 0;
      for (int step = 0; step < 40; step++) {
        long s = System.nanoTime();
        loss = model.trainOnBatch(x, y).get("loss");
        ms[step] = (System.nanoTime() - (step == 0 ? t0 : s)) / 1e6;
      }
      float[] p = model.predict(x, 2000).values();
      int right = 0;
      for (int i = 0; i < p.length; i++) {
        right += (p[i] > 0.5f) == (y.values()[i] > 0.5f) ? 1 : 0;
      }
      Map<String, Object> r = new LinkedHashMap<>();
      double step = Benchmark.median(Arrays.copyOfRange(ms, 1, 40)); // 39 steps: the middle one
      r.put("step_ms", step);
      r.put("samples_per_s", 2000 / (step / 1e3));
      r.put("first_step_ms", ms[0]);
      r.put("final_loss", loss);
      r.put("train_acc", right / (double) p.length);
      return r;
    }
  }

  /** W4: the W1 model's predictions (softmax included) at batch 1024, 1 warm-up pass then 3 timed. */
  Map<String, Object> predict() throws IOException {
    Data x = Data.of(floats("mlp_x"), 784);
    try (Model model = mlpModel()) {
      long t0 = System.nanoTime();
      model.build(784);
      model.setWeights(List.of(floats("mlp_w1"), floats("mlp_b1"), floats("mlp_w2"), floats("mlp_b2")));
      model.predict(x, 1024);
      double first = (System.nanoTime() - t0) / 1e9;
      long t1 = System.nanoTime();
      for (int pass = 0; pass < 3; pass++) {
        model.predict(x, 1024);
      }
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("samples_per_s", 3 * x.count() / ((System.nanoTime() - t1) / 1e9));
      r.put("first_pass_s", first);
      return r;
    }
  }

  private float[] floats(String name) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(data.resolve(name + ".f32"))).order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[b.remaining() / 4];
    b.asFloatBuffer().get(out);
    return out;
  }

  private int[] ints(String name) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(data.resolve(name + ".i32"))).order(ByteOrder.LITTLE_ENDIAN);
    int[] out = new int[b.remaining() / 4];
    b.asIntBuffer().get(out);
    return out;
  }

  private static double accuracy(float[] probabilities, float[] labels) {
    int classes = probabilities.length / labels.length;
    int right = 0;
    for (int i = 0; i < labels.length; i++) {
      int best = 0;
      for (int c = 1; c < classes; c++) {
        best = probabilities[i * classes + c] > probabilities[i * classes + best] ? c : best;
      }
      right += best == (int) labels[i] ? 1 : 0;
    }
    return right / (double) labels.length;
  }

  /** The peak resident set (VmHWM) of this process in MiB, or -1 where /proc is absent. */
  private static double peakRssMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  private static String json(Map<String, Object> r) {
    StringBuilder s = new StringBuilder("{");
    r.forEach((k, v) -> s.append(s.length() > 1 ? ", " : "").append('"').append(k).append("\": ").append(value(v)));
    return s.append('}').toString();
  }

  private static String value(Object v) {
    if (v instanceof String t) {
      return '"' + t + '"';
    }
    if (v instanceof List<?> l) {
      StringBuilder s = new StringBuilder("[");
      l.forEach(e -> s.append(s.length() > 1 ? ", " : "").append(value(e)));
      return s.append(']').toString();
    }
    return String.format(Locale.ROOT, "%.6g", ((Number) v).doubleValue());
  }
}
