package dev.leibniz.distributed;

import dev.leibniz.FitOptions;
import dev.leibniz.History;
import dev.leibniz.Model;
import dev.leibniz.MultiWorkerMirroredStrategy;
import dev.leibniz.Sequential;
import dev.leibniz.WorkerFailedException;
import dev.leibniz.callbacks.BackupAndRestore;
import dev.leibniz.callbacks.Callback;
import dev.leibniz.callbacks.CSVLogger;
import dev.leibniz.data.Data;
import dev.leibniz.data.Dataset;
import dev.leibniz.data.Mnist;
import dev.leibniz.examples.MnistMlp;
import dev.leibniz.layers.BatchNormalization;
import dev.leibniz.layers.Conv2D;
import dev.leibniz.layers.Dropout;
import dev.leibniz.layers.Dense;
import dev.leibniz.layers.Flatten;
import dev.leibniz.layers.MaxPooling2D;
import dev.leibniz.optimizers.Optimizers;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A worker of the multi-worker tests, run in a child JVM inside a private network namespace
 * (TensorFlow's servers listen on every interface): trains the MNIST MLP or a convnet with Adam
 * on the first samples of MNIST, alone or as one of two workers (threads of this JVM, or this
 * JVM as one task), and writes its weights and history to a file for the test to compare.
 *
 * <p>Arguments: {@code single|threads|task:<i> mlp|conv <mnist folder> <results file> [options]},
 * options {@code kill-at-epoch:<e>} (the task halts its JVM when epoch e begins), {@code dataset:}
 * (fit on a shuffled {@code Dataset} of the arrays), {@code startup:<seconds>},
 * {@code backup:<dir>}, {@code export:<dir>}, {@code csv:<file>}, {@code timeout:<seconds>}.
 */
public final class Worker {
  static final List<String> WORKERS = List.of("localhost:23456", "localhost:23457");

  private Worker() {}

  /** What a run gives the test: "weights" (all, concatenated), "loss", "accuracy" (per epoch), "error" if it failed. */
  static Map<String, Object> results(Path file) throws IOException, ClassNotFoundException {
    try (ObjectInputStream in = new ObjectInputStream(Files.newInputStream(file))) {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) in.readObject();
      return m;
    }
  }

  static Model model(String kind) {
    if (kind.equals("mlp")) {
      return MnistMlp.model();
    }
    if (kind.equals("bn")) { // moving statistics and per-worker dropout masks
      return Sequential.of(new Dense(64, "relu"), new BatchNormalization(), new Dropout(0.3), new Dense(10, "softmax"));
    }
    // The book's convnet without its dropout: each worker draws its own masks, so with dropout no
    // single-worker run gives the same weights.
    return Sequential.of(new Conv2D(32, 3, "relu"), new MaxPooling2D(2), new Conv2D(64, 3, "relu"),
        new MaxPooling2D(2), new Flatten(), new Dense(10, "softmax"));
  }

  static Data[] data(String kind, Path mnistFolder) throws IOException {
    Mnist mnist = Mnist.load(mnistFolder);
    boolean conv = kind.equals("conv");
    int count = conv ? 400 : 1000; // batches of 64 / 128: the last one a share smaller
    Data images = mnist.trainImages().slice(0, count);
    Data x = conv ? Data.of(images.values(), 28, 28, 1) : Data.of(images.values(), 784);
    return new Data[] {x, mnist.trainLabels().slice(0, count)};
  }

  static FitOptions options(String kind) {
    return FitOptions.epochs(3).batchSize(kind.equals("conv") ? 64 : 128).shuffle(true).seed(7).verbose(0);
  }

  /** Trains {@code kind}, alone ({@code strategy} null) or as a worker, and returns what {@link #results} reads. */
  static Map<String, Object> train(String kind, Data[] data, MultiWorkerMirroredStrategy strategy,
      Map<String, String> options) {
    Map<String, Object> out = new HashMap<>();
    try (Model model = model(kind)) {
      if (strategy != null) {
        model.distribute(strategy);
      }
      model.compile(Optimizers.adam(1e-3f), "sparse_categorical_crossentropy", "accuracy");
      List<Callback> callbacks = new ArrayList<>();
      if (options.containsKey("backup")) {
        callbacks.add(new BackupAndRestore(Path.of(options.get("backup"))));
      }
      if (options.containsKey("csv")) {
        callbacks.add(new CSVLogger(Path.of(options.get("csv"))));
      }
      if (options.containsKey("kill-at-epoch")) {
        int epoch = Integer.parseInt(options.get("kill-at-epoch"));
        Path killed = Path.of(options.get("killed"));
        callbacks.add(new Callback() {
          @Override
          public void onEpochBegin(Model m, int e) {
            if (e == epoch) {
              try {
                Files.writeString(killed, Long.toString(System.currentTimeMillis()));
              } catch (IOException ex) {
                throw new java.io.UncheckedIOException(ex);
              }
              Runtime.getRuntime().halt(3); // as kill -9: no shutdown hooks, the server dies with the JVM
            }
          }
        });
      }
      try {
        FitOptions fit = options(kind).callbacks(callbacks.toArray(Callback[]::new));
        History h = options.containsKey("dataset") // through TensorFlow's input pipeline, shuffled by it
            ? model.fit(Dataset.of(data[0], data[1]).shuffle(1000, 7), fit) : model.fit(data[0], data[1], fit);
        out.put("loss", floats(h.get("loss")));
        out.put("accuracy", floats(h.get("accuracy")));
      } catch (WorkerFailedException e) {
        out.put("error", e.getMessage());
        out.put("failedAt", System.currentTimeMillis());
        return out;
      }
      List<float[]> weights = model.getWeights();
      int size = weights.stream().mapToInt(w -> w.length).sum();
      float[] all = new float[size];
      int at = 0;
      for (float[] w : weights) {
        System.arraycopy(w, 0, all, at, w.length);
        at += w.length;
      }
      out.put("weights", all);
      out.put("weightNames", String.join(",", model.weightNames()));
      out.put("prediction", model.predict(data[0].slice(0, 16), 16).values());
      if (options.containsKey("export")) {
        model.export(Path.of(options.get("export")));
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out;
  }

  private static float[] floats(List<Double> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i).floatValue();
    }
    return out;
  }

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    String kind = args[1];
    Data[] data = data(kind, Path.of(args[2]));
    Path resultsFile = Path.of(args[3]);
    Map<String, String> options = new HashMap<>();
    for (int i = 4; i < args.length; i++) {
      int colon = args[i].indexOf(':');
      options.put(args[i].substring(0, colon), args[i].substring(colon + 1));
    }
    Duration timeout = Duration.ofSeconds(Long.parseLong(options.getOrDefault("timeout", "60")));
    Duration startup = Duration.ofSeconds(Long.parseLong(options.getOrDefault("startup", "300")));
    Map<String, Object> results = new HashMap<>();
    if (mode.equals("single")) {
      results.putAll(train(kind, data, null, options));
    } else {
      requireLoopbackOnly();
      if (mode.equals("threads")) {
        List<Thread> threads = new ArrayList<>();
        for (int task = 0; task < WORKERS.size(); task++) {
          int t = task;
          threads.add(new Thread(() -> {
            Map<String, Object> r = train(kind, data,
                MultiWorkerMirroredStrategy.of(WORKERS, t).timeout(timeout).startupTimeout(startup), options);
            synchronized (results) {
              r.forEach((k, v) -> results.put("worker" + t + "." + k, v));
            }
          }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
          t.join();
        }
      } else {
        int task = Integer.parseInt(mode.substring("task:".length()));
        results.putAll(train(kind, data,
            MultiWorkerMirroredStrategy.of(WORKERS, task).timeout(timeout).startupTimeout(startup), options));
      }
    }
    Path tmp = resultsFile.resolveSibling(resultsFile.getFileName() + ".tmp");
    try (ObjectOutputStream out = new ObjectOutputStream(Files.newOutputStream(tmp))) {
      out.writeObject(results);
    }
    Files.move(tmp, resultsFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    System.exit(0); // TensorFlow's servers cannot be stopped: they end with the JVM
  }

  /** Refuses to start a server that other machines could reach: the tests run in a namespace with only loopback. */
  static void requireLoopbackOnly() throws IOException {
    for (NetworkInterface n : java.util.Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (n.isUp() && !n.isLoopback()) {
        throw new IllegalStateException("network interface " + n.getName() + " is up: the multi-worker tests start"
            + " TensorFlow servers only in a private network namespace (unshare -n) with loopback alone");
      }
    }
  }
}
