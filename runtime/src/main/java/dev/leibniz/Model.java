package dev.leibniz;

import dev.leibniz.callbacks.Callback;
import dev.leibniz.data.Data;
import dev.leibniz.dsl.Variable;
import dev.leibniz.losses.Loss;
import dev.leibniz.losses.Losses;
import dev.leibniz.metrics.Metric;
import dev.leibniz.optimizers.Optimizer;
import dev.leibniz.optimizers.Optimizers;
import dev.leibniz.saving.Checkpoint;
import dev.leibniz.tf.Tf;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.tensorflow.types.TFloat32;

/**
 * A trainable model, as Keras's: {@code compile}, then {@code fit}, {@code evaluate},
 * {@code predict}. Made by {@link Sequential#of}, {@link Functional#model} or
 * {@link Leibniz#model}. Its TensorFlow graph is built when the first data shows the input
 * shapes (or at {@link #build}); a training step is one session run. Close the model to free
 * the native graph and session.
 */
public abstract class Model implements AutoCloseable {
  private Engine.Training training;
  private Engine engine;
  private int threads;
  private long seed = 42;
  private boolean stopTraining;
  private int epochsTrained;
  private String name;

  Model() {}

  abstract Net net();

  abstract String defaultName();

  // ---------------------------------------------------------------- configuration

  public String name() {
    return name == null ? defaultName() : name;
  }

  public Model named(String name) {
    this.name = name;
    return this;
  }

  /** TensorFlow's intra- and inter-op thread counts (0: all cores); before the graph is built. */
  public Model threads(int threads) {
    requireNotBuilt("change the thread count");
    this.threads = threads;
    return this;
  }

  /** The seed of the weights' initializers; before the graph is built. */
  public Model seed(long seed) {
    requireNotBuilt("change the seed");
    this.seed = seed;
    return this;
  }

  void requireNotBuilt(String what) {
    if (engine != null) {
      throw new IllegalStateException("cannot " + what + " after the model's graph is built");
    }
  }

  public void compile(Optimizer optimizer, Loss loss, Metric... metrics) {
    compile(optimizer, List.of(loss), null, List.of((Object[]) metrics));
  }

  /** With Keras names: {@code compile(rmsprop(1e-3f), "sparse_categorical_crossentropy", "accuracy")}. */
  public void compile(Optimizer optimizer, String loss, String... metrics) {
    compile(optimizer, List.of(Losses.get(loss)), null, List.of((Object[]) metrics));
  }

  /** All by Keras names: {@code compile("rmsprop", "mse", "accuracy")}. */
  public void compile(String optimizer, String loss, String... metrics) {
    compile(Optimizers.get(optimizer), loss, metrics);
  }

  /**
   * For several outputs: one loss per output, summed with {@code lossWeights} (null: all 1), and
   * metrics ({@link Metric} objects or Keras names) computed for every output.
   */
  public void compile(Optimizer optimizer, List<Loss> losses, float[] lossWeights, List<?> metrics) {
    if (optimizer == null || losses == null || losses.isEmpty() || losses.stream().anyMatch(l -> l == null)) {
      throw new IllegalArgumentException("compile needs an optimizer and a loss, got " + optimizer + " and " + losses);
    }
    float[] weights = lossWeights == null ? filled(losses.size()) : lossWeights.clone();
    if (weights.length != losses.size()) {
      throw new IllegalArgumentException(losses.size() + " losses but " + weights.length + " loss weights");
    }
    for (Object m : metrics) {
      if (!(m instanceof Metric) && !(m instanceof String)) {
        throw new IllegalArgumentException("a metric is a Metric or a Keras name, got " + m);
      }
      if (m instanceof String s) {
        dev.leibniz.metrics.Metrics.get(s, losses.get(0), 2); // fail now on an unknown name
      }
    }
    this.training = new Engine.Training(optimizer, List.copyOf(losses), weights, List.copyOf(metrics));
    if (engine != null) {
      rebuild(engine.inputShapes);
    }
  }

  private static float[] filled(int n) {
    float[] w = new float[n];
    Arrays.fill(w, 1f);
    return w;
  }

  /** Builds the graph for inputs of these shapes per sample (without the batch axis). */
  public Model build(long[]... sampleShapes) {
    engine(List.of(sampleShapes));
    return this;
  }

  /** The TensorFlow graph of the built model (for tests that count its ops). */
  org.tensorflow.Graph graph() {
    return requireBuilt("show its graph").graph;
  }

  public boolean isBuilt() {
    return engine != null;
  }

  private Engine engine(List<long[]> sampleShapes) {
    if (sampleShapes.size() != net().inputs()) {
      throw new IllegalArgumentException("the model takes " + net().inputs() + " input(s), got " + sampleShapes.size());
    }
    if (engine == null) {
      if (this instanceof Functional f) {
        checkShapes(f.inputShapes(), sampleShapes, "declared with Functional.input");
      }
      engine = new Engine(net(), sampleShapes, training, threads, seed);
    } else {
      checkShapes(engine.inputShapes, sampleShapes, "built");
    }
    return engine;
  }

  private static void checkShapes(List<long[]> expected, List<long[]> got, String how) {
    for (int i = 0; i < expected.size(); i++) {
      if (!Arrays.equals(expected.get(i), got.get(i))) {
        throw new IllegalArgumentException("input " + i + ": the model was " + how + " for samples of shape "
            + Arrays.toString(expected.get(i)) + ", got samples of shape " + Arrays.toString(got.get(i)));
      }
    }
  }

  /** A new graph for the current configuration, keeping the weights' values. */
  private void rebuild(List<long[]> sampleShapes) {
    Map<Variable, float[]> values = engine.weightValues();
    engine.close();
    engine = null;
    engine(sampleShapes).setWeightValues(values);
  }

  // ---------------------------------------------------------------- fit

  public History fit(float[][] x, float[][] y, FitOptions options) {
    return fit(Data.of(x), Data.of(y), options);
  }

  public History fit(float[][] x, int[] labels, FitOptions options) {
    return fit(Data.of(x), Data.labels(labels), options);
  }

  public History fit(Data x, Data y, FitOptions options) {
    return fit(List.of(x), List.of(y), options);
  }

  /** Trains for {@code options.epochs}; returns the per-epoch loss and metrics. */
  public History fit(List<Data> x, List<Data> yGiven, FitOptions options) {
    requireCompiled("fit");
    List<Data> y = classColumns(yGiven);
    int n = checkCounts(x, y);
    List<Data> trainX = x;
    List<Data> trainY = y;
    List<Data> valX = options.validationX;
    List<Data> valY = options.validationY == null ? null : classColumns(options.validationY);
    if (options.validationSplit > 0) {
      int split = (int) (n * (1 - options.validationSplit));
      if (split == 0 || split == n) {
        throw new IllegalArgumentException("validationSplit " + options.validationSplit + " of " + n
            + " samples leaves no samples for " + (split == 0 ? "training" : "validation"));
      }
      trainX = x.stream().map(d -> d.slice(0, split)).toList();
      trainY = y.stream().map(d -> d.slice(0, split)).toList();
      valX = x.stream().map(d -> d.slice(split, n)).toList();
      valY = y.stream().map(d -> d.slice(split, n)).toList();
    }
    Engine e = engine(shapes(x));
    checkTargets(e, trainY, "y");
    if (valX != null) {
      checkCounts(valX, valY);
      checkShapes(e.inputShapes, shapes(valX), "built");
      checkTargets(e, valY, "validation y");
    }

    int count = trainX.get(0).count();
    int steps = (count + options.batchSize - 1) / options.batchSize;
    History history = new History();
    stopTraining = false;
    options.callbacks.forEach(c -> c.onTrainBegin(this));
    for (int epoch = options.initialEpoch; epoch < options.epochs && !stopTraining; epoch++) {
      long start = System.nanoTime();
      // from the seed and the epoch alone, so that a run resumed at initialEpoch shuffles as the uninterrupted one
      int[] order = options.shuffle ? permutation(count, new SplittableRandom(options.seed + 0x9E3779B97F4A7C15L * epoch))
          : null;
      e.resetMetrics();
      double[] lossSums = new double[e.lossNames().size()];
      for (int s = 0; s < steps; s++) {
        int from = s * options.batchSize;
        int to = Math.min(count, from + options.batchSize);
        List<TFloat32> bx = batch(trainX, order, from, to);
        List<TFloat32> by = batch(trainY, order, from, to);
        float[] losses;
        try {
          losses = e.trainStep(bx, by, (long) epoch * steps + s);
        } finally {
          close(bx);
          close(by);
        }
        if (!Float.isFinite(losses[0])) {
          throw new ArithmeticException("the loss became " + losses[0] + " at epoch " + (epoch + 1) + ", batch " + (s + 1)
              + " of " + steps + "; the weights are no longer usable. Lower the learning rate, check the inputs'"
              + " scale, or use a loss from logits");
        }
        accumulate(lossSums, losses, to - from);
      }
      Map<String, Double> logs = new TreeMap<>();
      putLosses(logs, e, lossSums, count);
      logs.putAll(e.metricResults());
      if (valX != null) {
        run(e, valX, valY, options.batchSize).forEach((k, v) -> logs.put("val_" + k, v));
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      epochsTrained = epoch + 1;
      history.record(logs);
      if (options.verbose > 0) {
        options.out.println(progress(epoch, options.epochs, steps, seconds, logs));
      }
      for (Callback c : options.callbacks) {
        c.onEpochEnd(this, epoch, Collections.unmodifiableMap(logs));
      }
    }
    options.callbacks.forEach(c -> c.onTrainEnd(this));
    return history;
  }

  /** Keras's per-epoch line: "Epoch 1/5 - 177/177 - 2s - 9ms/step - accuracy: 0.9 - loss: 0.3". */
  static String progress(int epoch, int epochs, int steps, double seconds, Map<String, Double> logs) {
    StringBuilder line = new StringBuilder();
    line.append("Epoch ").append(epoch + 1).append('/').append(epochs).append(" - ").append(steps).append('/')
        .append(steps).append(" - ").append(Math.round(seconds)).append("s - ")
        .append(Math.round(seconds * 1000 / steps)).append("ms/step");
    logs.forEach((k, v) -> line.append(" - ").append(k).append(": ").append(String.format("%.4f", v)));
    return line.toString();
  }

  /** Ends {@code fit} after the current epoch (for callbacks). */
  public void stopTraining() {
    stopTraining = true;
  }

  // ---------------------------------------------------------------- evaluate, predict

  public Map<String, Double> evaluate(float[][] x, int[] labels, int batchSize) {
    return evaluate(Data.of(x), Data.labels(labels), batchSize);
  }

  public Map<String, Double> evaluate(float[][] x, float[][] y, int batchSize) {
    return evaluate(Data.of(x), Data.of(y), batchSize);
  }

  public Map<String, Double> evaluate(Data x, Data y, int batchSize) {
    return evaluate(List.of(x), List.of(y), batchSize);
  }

  /** The loss and each metric over all of {@code x}, as Keras's {@code evaluate(..., return_dict=True)}. */
  public Map<String, Double> evaluate(List<Data> x, List<Data> yGiven, int batchSize) {
    requireCompiled("evaluate");
    List<Data> y = classColumns(yGiven);
    checkCounts(x, y);
    Engine e = engine(shapes(x));
    checkTargets(e, y, "y");
    return run(e, x, y, batchSize);
  }

  private Map<String, Double> run(Engine e, List<Data> x, List<Data> y, int batchSize) {
    requirePositive(batchSize);
    e.resetMetrics();
    int count = x.get(0).count();
    double[] lossSums = new double[e.lossNames().size()];
    for (int from = 0; from < count; from += batchSize) {
      int to = Math.min(count, from + batchSize);
      List<TFloat32> bx = batch(x, null, from, to);
      List<TFloat32> by = batch(y, null, from, to);
      try {
        accumulate(lossSums, e.evalStep(bx, by), to - from);
      } finally {
        close(bx);
        close(by);
      }
    }
    Map<String, Double> out = new TreeMap<>();
    putLosses(out, e, lossSums, count);
    out.putAll(e.metricResults());
    return out;
  }

  /** Batch means weighted by batch size: the epoch's mean over samples. */
  private static void accumulate(double[] sums, float[] batchMeans, int batchSize) {
    for (int i = 0; i < sums.length; i++) {
      sums[i] += (double) batchMeans[i] * batchSize;
    }
  }

  private static void putLosses(Map<String, Double> logs, Engine e, double[] sums, int count) {
    for (int i = 0; i < sums.length; i++) {
      logs.put(e.lossNames().get(i), sums[i] / count);
    }
  }

  /** Predictions for each row, batch by batch (32 per batch, as Keras). */
  public float[][] predict(float[][] x) {
    return predict(Data.of(x), 32).rows();
  }

  public Data predict(Data x, int batchSize) {
    return predict(List.of(x), batchSize).get(0);
  }

  /** Every output's predictions for {@code x}, computed {@code batchSize} samples at a time. */
  public List<Data> predict(List<Data> x, int batchSize) {
    requirePositive(batchSize);
    int count = checkCounts(x, List.of());
    Engine e = engine(shapes(x));
    List<float[]> flat = new ArrayList<>();
    List<long[]> outShapes = new ArrayList<>();
    for (var out : e.outputs) {
      long[] s = out.shape().asArray();
      long[] sample = Arrays.copyOfRange(s, 1, s.length);
      outShapes.add(sample);
      flat.add(new float[Math.toIntExact(count * Arrays.stream(sample).reduce(1, (a, b) -> a * b))]);
    }
    for (int from = 0; from < count; from += batchSize) {
      int to = Math.min(count, from + batchSize);
      List<TFloat32> bx = batch(x, null, from, to);
      try {
        List<float[]> got = e.predict(bx);
        for (int i = 0; i < got.size(); i++) {
          float[] g = got.get(i);
          System.arraycopy(g, 0, flat.get(i), from * (g.length / (to - from)), g.length);
        }
      } finally {
        close(bx);
      }
    }
    List<Data> result = new ArrayList<>();
    for (int i = 0; i < flat.size(); i++) {
      result.add(Data.of(flat.get(i), outShapes.get(i)));
    }
    return result;
  }

  // ---------------------------------------------------------------- weights, summary

  /** The weights' values, in the order the graph first reads them (layer by layer). */
  public List<float[]> getWeights() {
    Engine e = requireBuilt("get its weights");
    Map<Variable, float[]> values = e.weightValues();
    return e.weights().stream().map(w -> values.get(w.variable())).toList();
  }

  /** Sets every weight, in {@link #getWeights} order, checking each size. */
  public void setWeights(List<float[]> values) {
    Engine e = requireBuilt("set its weights");
    List<Tf.Weight> ws = e.weights();
    if (values.size() != ws.size()) {
      throw new IllegalArgumentException("the model has " + ws.size() + " weights, got " + values.size() + " arrays");
    }
    Map<Variable, float[]> byVariable = new IdentityHashMap<>();
    for (int i = 0; i < ws.size(); i++) {
      long size = Arrays.stream(ws.get(i).variable().shape().dims()).reduce(1, (a, b) -> a * b);
      if (values.get(i).length != size) {
        throw new IllegalArgumentException("weight " + ws.get(i).name() + " of shape " + ws.get(i).variable().shape()
            + " holds " + size + " values, got " + values.get(i).length);
      }
      byVariable.put(ws.get(i).variable(), values.get(i));
    }
    e.setWeightValues(byVariable);
  }

  // ---------------------------------------------------------------- export, checkpoints

  /**
   * Writes the model as a TensorFlow SavedModel: signature {@code serving_default}, tag
   * {@code serve}, inputs {@code input_0, input_1, ...} and outputs {@code output_0, ...} (as
   * Keras's {@code model.export}), any batch size. {@code dir} is replaced atomically.
   */
  public void export(Path dir) throws IOException {
    Engine e = requireBuilt("export it");
    export(dir, Export.defaultNames("input", e.inputs.size()), Export.defaultNames("output", e.outputs.size()));
  }

  /** As {@link #export(Path)}, with the signature's input and output names. */
  public void export(Path dir, List<String> inputNames, List<String> outputNames) throws IOException {
    Engine e = requireBuilt("export it");
    Export.write(net(), e.inputShapes, e.weightValues(), dir, inputNames, outputNames);
  }

  /** The epochs {@code fit} has completed (or the restored checkpoint's count). */
  public int epochsTrained() {
    return epochsTrained;
  }

  /**
   * Saves every weight, the optimizer's state and {@link #epochsTrained} to {@code file},
   * atomically: if the save fails or the process dies mid-write, the previous file is intact.
   */
  public void saveCheckpoint(Path file) throws IOException {
    Engine e = requireBuilt("save a checkpoint");
    List<Tf.Weight> ws = e.weights();
    List<Tf.State> weightStates = ws.stream().map(Tf.Weight::state).toList();
    List<Tf.State> optimizer = e.optimizerStates();
    List<Tf.State> all = new ArrayList<>(weightStates);
    all.addAll(optimizer);
    List<float[]> values = e.values(all);
    List<Checkpoint.Entry> entries = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      entries.add(new Checkpoint.Entry(all.get(i).name(), all.get(i).shape(), values.get(i)));
    }
    new Checkpoint(epochsTrained, training == null ? null : training.optimizer().name(), e.inputShapes,
        entries.subList(0, ws.size()), entries.subList(ws.size(), entries.size())).write(file);
  }

  /**
   * Restores a checkpoint's weights and, when the model is compiled with the same kind of
   * optimizer, its optimizer state; builds the model first if needed. Resume training with
   * {@code FitOptions.initialEpoch(checkpoint.epoch())}.
   */
  public Checkpoint loadCheckpoint(Path file) throws IOException {
    Checkpoint c = Checkpoint.read(file);
    String what = "checkpoint " + file;
    Engine e = engine == null ? engine(c.inputShapes()) : engine;
    checkShapes(e.inputShapes, c.inputShapes(), "built");
    Map<Tf.State, float[]> values = new LinkedHashMap<>();
    matchEntries(what, "weights", e.weights().stream().map(Tf.Weight::state).toList(), c.weights(), values);
    if (training != null && !c.optimizerState().isEmpty()) {
      if (!c.optimizer().equals(training.optimizer().name())) {
        throw new IllegalArgumentException(what + " holds the state of optimizer " + c.optimizer()
            + ", but the model is compiled with " + training.optimizer().name());
      }
      matchEntries(what, "optimizer state", e.optimizerStates(), c.optimizerState(), values);
    }
    e.assign(values);
    epochsTrained = c.epoch();
    return c;
  }

  private static void matchEntries(String what, String kind, List<Tf.State> states, List<Checkpoint.Entry> entries,
      Map<Tf.State, float[]> values) {
    Map<String, Checkpoint.Entry> byName = new LinkedHashMap<>();
    entries.forEach(en -> byName.put(en.name(), en));
    List<String> expected = states.stream().map(Tf.State::name).toList();
    if (!byName.keySet().equals(new java.util.LinkedHashSet<>(expected))) {
      throw new IllegalArgumentException(what + " does not fit this model: its " + kind + " are " + byName.keySet()
          + ", the model's are " + expected);
    }
    for (Tf.State s : states) {
      Checkpoint.Entry en = byName.get(s.name());
      if (!Arrays.equals(en.shape(), s.shape())) {
        throw new IllegalArgumentException(what + " does not fit this model: " + s.name() + " has shape "
            + Arrays.toString(en.shape()) + " there, " + Arrays.toString(s.shape()) + " in the model");
      }
      values.put(s, en.values());
    }
  }

  /** The table Keras's {@code summary()} prints: layers, output shapes, parameter counts. */
  public String summary() {
    Engine e = requireBuilt("summarize it (Keras needs an input shape too)");
    return Summary.of(this, e);
  }

  /** The rows of {@link Summary}. */
  List<Object> topLayers() {
    return net().layers();
  }

  // ---------------------------------------------------------------- helpers

  private Engine requireBuilt(String what) {
    if (engine == null) {
      throw new IllegalStateException("the model is not built yet, so it cannot " + what + ": call build(sampleShape)"
          + " or fit/predict first");
    }
    return engine;
  }

  private void requireCompiled(String what) {
    if (training == null) {
      throw new IllegalStateException("call compile(optimizer, loss, metrics...) before " + what
          + ", e.g. compile(\"rmsprop\", \"sparse_categorical_crossentropy\", \"accuracy\")");
    }
  }

  private static void requirePositive(int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
    }
  }

  private int checkCounts(List<Data> x, List<Data> y) {
    if (x.size() != net().inputs()) {
      throw new IllegalArgumentException("the model takes " + net().inputs() + " input(s), got " + x.size());
    }
    int n = x.get(0).count();
    if (n == 0) {
      throw new IllegalArgumentException("no samples to work on");
    }
    for (int i = 0; i < x.size(); i++) {
      if (x.get(i).count() != n) {
        throw new IllegalArgumentException("input " + i + " has " + x.get(i).count() + " samples but input 0 has " + n);
      }
    }
    for (int i = 0; i < y.size(); i++) {
      if (y.get(i).count() != n) {
        throw new IllegalArgumentException("mismatched sample counts: x has " + n + " samples but y"
            + (y.size() > 1 ? " " + i : "") + " has " + y.get(i).count());
      }
    }
    return n;
  }

  /** For sparse losses, a column of class indices ({@code [n, 1]}, as Keras takes) as one index per sample. */
  private List<Data> classColumns(List<Data> y) {
    List<Data> out = new ArrayList<>(y);
    for (int i = 0; i < out.size() && i < training.losses().size(); i++) {
      Data t = out.get(i);
      if (training.losses().get(i).sparse() && Arrays.equals(t.sampleShape(), new long[] {1})) {
        out.set(i, Data.of(t.values()));
      }
    }
    return out;
  }

  /** Targets against outputs and losses: class indices in range for sparse losses, else the output's shape. */
  private static void checkTargets(Engine e, List<Data> y, String what) {
    if (y.size() != e.outputs.size()) {
      throw new IllegalArgumentException("the model has " + e.outputs.size() + " output(s), got " + y.size() + " targets");
    }
    for (int i = 0; i < y.size(); i++) {
      Data t = y.get(i);
      Loss loss = e.training.losses().get(i);
      long[] out = e.outputs.get(i).shape().asArray();
      long[] sample = Arrays.copyOfRange(out, 1, out.length);
      if (loss.sparse()) {
        long classes = sample.length == 0 ? -1 : sample[sample.length - 1];
        if (t.sampleShape().length != 0) {
          throw new IllegalArgumentException(what + ": " + loss.name() + " takes one class index per sample (int[]"
              + " labels, Data.labels), got samples of shape " + Arrays.toString(t.sampleShape())
              + " (for one-hot targets use categorical_crossentropy)");
        }
        float[] v = t.values();
        for (int k = 0; k < v.length; k++) {
          if (v[k] != Math.rint(v[k]) || v[k] < 0 || (classes > 0 && v[k] >= classes)) {
            throw new IllegalArgumentException(what + ": label " + v[k] + " at sample " + k + " is not a class index in"
                + " [0, " + classes + ") for an output of shape " + Arrays.toString(out));
          }
        }
      } else if (!compatible(sample, t.sampleShape())) {
        throw new IllegalArgumentException(what + ": targets have shape " + Arrays.toString(t.sampleShape())
            + " per sample but the model outputs " + Arrays.toString(sample) + " per sample"
            + (t.isLabels() ? "; for class indices use sparse_categorical_crossentropy" : ""));
      }
    }
  }

  private static boolean compatible(long[] output, long[] target) {
    if (output.length != target.length) {
      return false;
    }
    for (int i = 0; i < output.length; i++) {
      if (output[i] >= 0 && output[i] != target[i]) {
        return false;
      }
    }
    return true;
  }

  private static List<long[]> shapes(List<Data> x) {
    return x.stream().map(Data::sampleShape).toList();
  }

  private static List<TFloat32> batch(List<Data> data, int[] order, int from, int to) {
    List<TFloat32> out = new ArrayList<>();
    for (Data d : data) {
      out.add(d.batch(order, from, to));
    }
    return out;
  }

  private static void close(List<TFloat32> tensors) {
    tensors.forEach(TFloat32::close);
  }

  private static int[] permutation(int n, SplittableRandom random) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  @Override
  public void close() {
    if (engine != null) {
      engine.close();
      engine = null;
    }
  }
}
