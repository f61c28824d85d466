package dev.leibniz;

import dev.leibniz.callbacks.Callback;
import dev.leibniz.callbacks.CallbackList;
import dev.leibniz.callbacks.ProgressLogger;
import dev.leibniz.data.Batches;
import dev.leibniz.data.Data;
import dev.leibniz.data.Dataset;
import dev.leibniz.data.Feed;
import dev.leibniz.data.InputPipeline;
import dev.leibniz.dsl.Variable;
import dev.leibniz.losses.Loss;
import dev.leibniz.losses.Losses;
import dev.leibniz.metrics.Metric;
import dev.leibniz.metrics.Metrics;
import dev.leibniz.optimizers.Optimizer;
import dev.leibniz.optimizers.Optimizers;
import dev.leibniz.saving.Checkpoint;
import dev.leibniz.tf.TfGraph;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trainable model, as Keras's: {@code compile}, then {@code fit}, {@code evaluate},
 * {@code predict}. Made by {@link Sequential#of}, {@link Functional#model} or
 * {@link Leibniz#model}, each a graph of layer calls ({@link Net}). Its TensorFlow graph is built
 * when the first data shows the input shapes (or at {@link #build}); a training step is one
 * session run. Close the model to free the native graph and session.
 *
 * <p>This class checks what it is given ({@link DataChecks}) and delegates: batching to
 * {@link Batches}, the loops to {@link Trainer}, progress and {@link History} to callbacks,
 * checkpoints to {@link Checkpoint}, export to {@link Export}.
 */
public abstract class Model implements AutoCloseable {
  private Engine.CompileConfig config;
  private volatile Engine engine;
  private volatile List<String> fitLogNames = List.of();
  private volatile int resumeEpoch = -1;
  /** Layers set not trainable: their weights stay as they are in fit and count as non-trainable. */
  private final java.util.Set<Object> frozen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
  private int threads;
  private long seed = 42;
  private MultiWorkerMirroredStrategy strategy;
  private boolean stopTraining;
  private int epochsTrained;
  private long batchesTrained; // trainOnBatch's steps: each draws its own dropout and noise
  private String name;
  private final Guard guard = new Guard(this::name);

  Model() {}

  abstract Net net();

  abstract String defaultName();

  /** Weights the model holds outside the layers {@link #summaryLayers} lists (a {@code @Model} class's own). */
  List<Variable> ownWeights() {
    return List.of();
  }

  /**
   * Keras's {@code layer.trainable = trainable}: a frozen layer's weights are left as they are by
   * {@code fit}, {@code trainOnBatch} and {@code gradients} (a batch normalization keeps updating
   * its moving statistics, as in Keras's fit; freeze it and call it in inference mode to stop
   * that), and count as non-trainable in {@code summary()}. Unlike Keras, where it takes effect at
   * the next {@code compile}, it takes effect at once: a compiled model's training graph is rebuilt
   * with the weights as they are and the optimizer's state started afresh, as a compile does.
   */
  public void setTrainable(Object layer, boolean trainable) {
    List<Object> layers = summaryLayers();
    if (layers.stream().noneMatch(l -> l == layer)) {
      throw new IllegalArgumentException("setTrainable takes one of this model's layers "
          + LayerGraphs.kerasNames(layers, new java.util.HashMap<>()) + ", got " + layer);
    }
    setTrainable(List.of(layer), trainable);
  }

  /** Every layer at once, as Keras's {@code model.trainable = trainable} (a GAN's discriminator inside the combined model). */
  public void setTrainable(boolean trainable) {
    setTrainable(summaryLayers(), trainable);
  }

  private void setTrainable(List<Object> layers, boolean trainable) {
    guard.exclusive("set a layer's trainability", () -> {
      boolean changed = false;
      for (Object layer : layers) {
        changed |= trainable ? frozen.remove(layer) : frozen.add(layer);
      }
      if (changed && engine != null) {
        rebuild(engine.inputShapes);
      }
    });
  }

  /** Whether {@link #setTrainable} left {@code layer} trainable. */
  public boolean isTrainable(Object layer) {
    return !frozen.contains(layer);
  }

  /** The layers {@code summary()} lists, one row each. */
  List<Object> summaryLayers() {
    return net().layers();
  }

  /** How many InputLayers the equivalent Keras model lists among its layers (a functional model's inputs). */
  int kerasInputLayers() {
    return 0;
  }

  // ---------------------------------------------------------------- configuration

  public String name() {
    return name == null ? defaultName() : name;
  }

  public Model named(String name) {
    this.name = name;
    return this;
  }

  /**
   * TensorFlow's intra- and inter-op thread counts (0, the default: {@code -Dleibniz.threads}, else all
   * cores); before the graph is built. TensorFlow sizes its pools once per process, at its first session
   * (Leibniz opens one in the background when it loads TensorFlow): a count other than the process's logs
   * a warning and runs on the process's pools. Set the process's with {@code -Dleibniz.threads=n}.
   */
  public Model threads(int threads) {
    guard.exclusive("change the thread count", () -> {
      requireNotBuilt("change the thread count");
      this.threads = threads;
    });
    return this;
  }

  /** The seed of the weights' initializers; before the graph is built. */
  public Model seed(long seed) {
    guard.exclusive("change the seed", () -> {
      requireNotBuilt("change the seed");
      this.seed = seed;
    });
    return this;
  }

  /**
   * Trains on the cluster {@code strategy} names, with the other workers, as Keras's
   * {@code with strategy.scope():} does; before the graph is built. Every worker builds the same
   * model (same layers, same seed) and calls {@code fit} with the same data and options:
   * {@code batchSize} is the global batch, of which this worker takes its share (Keras's
   * {@code AutoShardPolicy.DATA}); validation and {@code evaluate} run whole on each worker.
   * Only the chief (task 0) writes files: on the others {@code saveCheckpoint},
   * {@code saveWeights}, {@code export} and the writing callbacks do nothing.
   */
  public Model distribute(MultiWorkerMirroredStrategy strategy) {
    java.util.Objects.requireNonNull(strategy, "strategy");
    guard.exclusive("distribute it", () -> {
      requireNotBuilt("distribute it");
      this.strategy = strategy;
    });
    return this;
  }

  /**
   * Whether this model writes files: true unless it trains as a worker other than the chief
   * ({@link #distribute}), as Keras's callbacks write on the chief only.
   */
  public boolean isChief() {
    return strategy == null || strategy.isChief();
  }

  void requireNotBuilt(String what) {
    if (engine != null) {
      throw new IllegalStateException("cannot " + what + " after the model's graph is built");
    }
  }

  public void compile(Optimizer optimizer, Loss loss, Metric... metrics) {
    compile(optimizer, java.util.Arrays.asList(loss), null, metricList(metrics));
  }

  /** With Keras names: {@code compile(rmsprop(1e-3f), "sparse_categorical_crossentropy", "accuracy")}. */
  public void compile(Optimizer optimizer, String loss, String... metrics) {
    compile(optimizer, List.of(Losses.get(loss)), null, metricList(metrics));
  }

  /**
   * A custom training step, as Keras's overridden {@code train_step}: fit runs every objective's
   * loss method, its generated backward and its optimizer over its layers' weights, in one graph
   * run per batch, with History, progress, callbacks and checkpoints as usual; the logs hold each
   * objective's loss under its name. For a {@code Leibniz.model(object)} whose loss methods take
   * the inputs its {@code call} takes; fit then takes no targets.
   */
  public void compile(Objective... objectives) {
    if (objectives.length == 0) {
      throw new IllegalArgumentException("compile needs at least one objective");
    }
    Object module = objectivesModule();
    Engine.CompileConfig compiled = new Engine.CompileConfig(null, List.of(), new float[0], List.of(), module,
        List.of(objectives));
    guard.exclusive("compile", () -> {
      this.config = compiled;
      if (engine != null) {
        rebuild(engine.inputShapes);
      }
    });
  }

  /** The object whose loss methods objectives name: a {@code Leibniz.model(object)}'s object. */
  Object objectivesModule() {
    throw new UnsupportedOperationException("custom objectives are for a Leibniz.model(object) whose @Model class has"
        + " the loss methods; a " + getClass().getSimpleName() + " has none");
  }

  /** Trains on inputs alone (custom objectives, which take no targets). */
  public History fit(Data x, FitOptions options) {
    return fit(one("x", x), List.of(), options);
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
        Metrics.get(s, losses.get(0), 2); // fail now on an unknown name
      }
    }
    Engine.CompileConfig compiled = new Engine.CompileConfig(optimizer, List.copyOf(losses), weights,
        List.copyOf(metrics));
    guard.exclusive("compile", () -> {
      this.config = compiled;
      if (engine != null) {
        rebuild(engine.inputShapes);
      }
    });
  }

  private static float[] filled(int n) {
    float[] w = new float[n];
    Arrays.fill(w, 1f);
    return w;
  }

  /**
   * Builds the graph of a model with one input for samples of this shape (without the batch
   * axis), as Keras's {@code build((None, 28, 28, 1))}: {@code build(784)}, {@code build(28, 28, 1)}.
   */
  public Model build(long... sampleShape) {
    return build(List.of(sampleShape));
  }

  /** Builds the graph of a model with several inputs, one sample shape each. */
  public Model build(List<long[]> sampleShapes) {
    guard.exclusive("build", () -> engine(List.copyOf(sampleShapes)));
    return this;
  }

  public boolean isBuilt() {
    return engine != null;
  }

  /** The TensorFlow graph of the built model (for tests that count its ops). */
  org.tensorflow.Graph graph() {
    return guard.shared("show its graph", () -> requireBuilt("show its graph").graph);
  }

  private Engine engine(List<long[]> sampleShapes) {
    Net net = net();
    if (sampleShapes.size() != net.inputs()) {
      throw new IllegalArgumentException("the model takes " + net.inputs() + " input(s), got " + sampleShapes.size());
    }
    if (engine == null) {
      DataChecks.shapes(net.declaredShapes(), sampleShapes, "declared with Functional.input");
      engine = new Engine(net, sampleShapes, config, threads, seed, List.copyOf(frozen), strategy);
    } else {
      DataChecks.shapes(engine.inputShapes, sampleShapes, "built");
    }
    return engine;
  }

  /** A new graph for the current configuration, keeping the weights' values. */
  private void rebuild(List<long[]> sampleShapes) {
    Map<Variable, float[]> values = engine.weightValues();
    engine.close();
    engine = null;
    engine(sampleShapes).setWeightValues(values);
  }

  // ---------------------------------------------------------------- fit, evaluate, predict

  public History fit(float[][] x, float[][] y, FitOptions options) {
    return fit(Data.of(x), Data.of(y), options);
  }

  public History fit(float[][] x, int[] labels, FitOptions options) {
    return fit(Data.of(x), Data.labels(labels), options);
  }

  public History fit(Data x, Data y, FitOptions options) {
    return fit(one("x", x), one("y", y), options);
  }

  /** Trains for {@code options.epochs}; returns the per-epoch loss and metrics. */
  public History fit(List<Data> x, List<Data> yGiven, FitOptions options) {
    return guard.exclusive("fit", () -> fitAlone(x, yGiven, options));
  }

  private History fitAlone(List<Data> x, List<Data> yGiven, FitOptions options) {
    if (options == null) {
      throw new IllegalArgumentException("fit needs FitOptions, got null; e.g. FitOptions.epochs(5).batchSize(32)");
    }
    DataChecks.present("x", x);
    DataChecks.present("y", yGiven);
    requireCompiled("fit");
    List<Data> targets = DataChecks.classColumns(config.losses(), yGiven);
    DataChecks.counts(net().inputs(), x, targets);
    Data weights = SampleWeights.of(options.sampleWeight, options.classWeight, targets);
    List<Data> y = SampleWeights.appended(targets, weights); // the targets, then each output's sample weights
    Batches train = Batches.of(x, y, options.batchSize);
    Batches validation = null;
    if (options.validationSplit > 0) {
      Batches.Split split = train.split(options.validationSplit);
      train = split.training();
      validation = split.validation();
    } else if (options.validationX != null) {
      List<Data> valY = DataChecks.classColumns(config.losses(), options.validationY);
      DataChecks.counts(net().inputs(), options.validationX, valY);
      validation = Batches.of(options.validationX, valY, options.batchSize);
    }
    Engine e = engine(DataChecks.shapes(x));
    DataChecks.targets(e, train.targets().subList(0, targets.size()), "y");
    if (validation != null) {
      DataChecks.shapes(e.inputShapes, DataChecks.shapes(validation.inputs()), "built");
      DataChecks.targets(e, validation.targets(), "validation y");
    }
    return train(e, train, validation, options);
  }

  /**
   * Trains on a {@link Dataset} streamed through TensorFlow's input pipeline, as Keras's
   * {@code fit(dataset)}: an epoch is one pass over it (batched by {@code options.batchSize} where it
   * has no batch of its own). Its samples are shuffled only by its own {@code shuffle}, as Keras does
   * with a {@code tf.data.Dataset}; sample weights and {@code validationSplit} belong to arrays.
   */
  public History fit(Dataset train, FitOptions options) {
    return guard.exclusive("fit", () -> {
      if (options == null) {
        throw new IllegalArgumentException("fit needs FitOptions, got null; e.g. FitOptions.epochs(5)");
      }
      if (options.validationSplit > 0 || options.sampleWeight != null || options.classWeight != null) {
        throw new IllegalArgumentException("validationSplit, sampleWeight and classWeight take arrays; with a Dataset,"
            + " give validationData(Dataset) (e.g. dataset.take(n) and dataset.skip(n))");
      }
      requireCompiled("fit");
      try (Feed t = InputPipeline.open(train, options.batchSize);
          Feed v = options.validationDataset == null ? null : InputPipeline.open(options.validationDataset, options.batchSize)) {
        Engine e = engine(t.inputShapes());
        DataChecks.targetShapes(e, t.targetShapes(), "the dataset's targets");
        if (v != null) {
          DataChecks.shapes(e.inputShapes, v.inputShapes(), "built");
          DataChecks.targetShapes(e, v.targetShapes(), "the validation dataset's targets");
        } else if (options.validationX != null) {
          throw new IllegalArgumentException("validation arrays with a training Dataset: give validationData(Dataset.of(x, y))");
        }
        return train(e, t, v, options);
      }
    });
  }

  /** {@code fit}'s epochs on checked data. */
  private History train(Engine e, Feed train, Feed validation, FitOptions options) {
    if (train.steps() == 0) {
      throw new IllegalArgumentException("no samples to train on: the training data has no batches");
    }
    History history = new History();
    ProgressLogger progress = options.verbose > 0
        ? new ProgressLogger(options.out, options.verbose, options.epochs, Math.toIntExact(train.steps())) : null;
    stopTraining = false;
    resumeEpoch = -1;
    List<String> names = new ArrayList<>(e.lossNames());
    names.addAll(e.metricNames());
    if (validation != null) {
      names.addAll(names.stream().map(n -> "val_" + n).toList());
    }
    fitLogNames = List.copyOf(names);
    if (strategy != null) {
      e.joinWorkers(train.steps(), options.batchSize);
      train = train.shard(strategy.numWorkers(), strategy.taskIndex());
    }
    List<Callback> callbacks = isChief() ? options.callbacks
        : options.callbacks.stream().filter(c -> !c.chiefOnly()).toList();
    Trainer.fit(this, e, train, validation, options, CallbackList.of(callbacks, history, progress),
        () -> guard.checkOpen("go on with fit"));
    return history;
  }

  /**
   * The optimizer {@code compile} was given, as Keras's {@code model.optimizer}: callbacks change
   * its learning rate with {@link Optimizer#setLearningRate}.
   */
  public Optimizer optimizer() {
    requireCompiled("give its optimizer");
    if (config.optimizer() == null) {
      throw new IllegalStateException("this model is compiled with objectives, each with its own optimizer ("
          + config.optimizerName() + "); use those optimizers");
    }
    return config.optimizer();
  }

  /** The training steps the optimizer has taken (Keras's {@code model.optimizer.iterations}); 0 before the first. */
  public long iterations() {
    Optimizer optimizer = optimizer();
    return guard.shared("count its steps", () -> engine == null ? 0L : Math.max(0, engine.iterations(optimizer)));
  }

  /** Whether the model is compiled with one optimizer (not with objectives, each with its own). */
  public boolean hasOptimizer() {
    return config != null && config.optimizer() != null;
  }

  /**
   * The learning rate the optimizer's next step uses, read from the graph (a schedule's rate at
   * the current step count), as Keras's {@code model.optimizer.learning_rate}.
   */
  public double learningRate() {
    Optimizer optimizer = optimizer();
    double inGraph = guard.shared("read its learning rate", () -> engine == null ? Double.NaN
        : engine.learningRate(optimizer));
    return Double.isNaN(inGraph) ? optimizer.learningRate() : inGraph; // not built yet: the rate it will start at
  }

  /**
   * What the running (or last) {@code fit} logs at the end of each epoch: the losses, the metrics,
   * and their "val_" forms when it validates. Callbacks check the value they monitor against it in
   * {@code onTrainBegin}, so that a misspelled name fails before the first step.
   */
  public List<String> epochLogNames() {
    return fitLogNames;
  }

  /**
   * For a callback's {@code onTrainBegin} (BackupAndRestore): the running {@code fit} starts at
   * epoch {@code epoch} (from 0) instead of its {@code initialEpoch}, as Keras's
   * {@code model._initial_epoch}.
   */
  public void resumeAt(int epoch) {
    if (epoch < 0) {
      throw new IllegalArgumentException("the epoch to resume at is 0 or more, got " + epoch);
    }
    resumeEpoch = epoch;
  }

  /** Where the running fit starts: {@code initialEpoch}, or where a callback's {@link #resumeAt} said. */
  int startEpoch(int initialEpoch) {
    return resumeEpoch >= 0 ? resumeEpoch : initialEpoch;
  }

  /** Ends {@code fit} after the current batch (for callbacks), as Keras's {@code model.stop_training = True}. */
  public void stopTraining() {
    stopTraining = true;
  }

  boolean stopRequested() {
    return stopTraining;
  }

  void epochEnded(int epoch) {
    epochsTrained = epoch + 1;
  }

  public Map<String, Double> evaluate(float[][] x, int[] labels, int batchSize, Callback... callbacks) {
    return evaluate(Data.of(x), Data.labels(labels), batchSize, callbacks);
  }

  public Map<String, Double> evaluate(float[][] x, float[][] y, int batchSize, Callback... callbacks) {
    return evaluate(Data.of(x), Data.of(y), batchSize, callbacks);
  }

  public Map<String, Double> evaluate(Data x, Data y, int batchSize, Callback... callbacks) {
    return evaluate(one("x", x), one("y", y), batchSize, callbacks);
  }

  /**
   * The loss and each metric over all of {@code x}, as Keras's {@code evaluate(..., return_dict=True)};
   * {@code callbacks} get the test hooks ({@code onTestBegin}, per batch, {@code onTestEnd}).
   */
  public Map<String, Double> evaluate(List<Data> x, List<Data> yGiven, int batchSize, Callback... callbacks) {
    return evaluate(x, yGiven, null, batchSize, callbacks);
  }

  /**
   * With Keras's {@code sample_weight} (null: none): each output's loss is {@code sum(w * loss) / rows};
   * the metrics, as Keras 3's compiled {@code metrics}, count every sample alike.
   */
  public Map<String, Double> evaluate(Data x, Data y, Data sampleWeight, int batchSize, Callback... callbacks) {
    return evaluate(one("x", x), one("y", y), sampleWeight, batchSize, callbacks);
  }

  public Map<String, Double> evaluate(List<Data> x, List<Data> yGiven, Data sampleWeight, int batchSize,
      Callback... callbacks) {
    CallbackList list = new CallbackList(List.of(callbacks));
    return guard.exclusive("evaluate", () -> onePass("evaluate", x, yGiven, sampleWeight, batchSize,
        (e, data) -> Trainer.evaluate(this, e, data, list, () -> guard.checkOpen("go on with evaluate"))));
  }

  /**
   * The loss and metrics over a {@link Dataset} (batched by 32, as Keras, where it has no batch of
   * its own).
   */
  public Map<String, Double> evaluate(Dataset data, Callback... callbacks) {
    CallbackList list = new CallbackList(List.of(callbacks));
    return guard.exclusive("evaluate", () -> {
      requireCompiled("evaluate");
      try (Feed d = InputPipeline.open(data, 32)) {
        Engine e = engine(d.inputShapes());
        DataChecks.targetShapes(e, d.targetShapes(), "the dataset's targets");
        return Trainer.evaluate(this, e, d, list, () -> guard.checkOpen("go on with evaluate"));
      }
    });
  }

  public Map<String, Double> trainOnBatch(Data x, Data y) {
    return trainOnBatch(one("x", x), one("y", y));
  }

  /**
   * One training step on {@code x} as one batch, as Keras's {@code train_on_batch(x, y,
   * return_dict=True)}: one graph run (forward, loss, backward, update, metric updates), then this
   * batch's loss and metrics (the metrics are reset first, as Keras 3 does). No callbacks, no
   * History, no epoch bookkeeping: the lean step for loops of your own.
   */
  public Map<String, Double> trainOnBatch(List<Data> x, List<Data> yGiven) {
    return guard.exclusive("trainOnBatch", () -> onePass("trainOnBatch", x, yGiven, null, Integer.MAX_VALUE,
        (e, data) -> Trainer.onBatch(data, b -> e.trainOnBatch(b.x(), b.y(), batchesTrained++))));
  }

  public Map<String, Double> testOnBatch(Data x, Data y) {
    return testOnBatch(one("x", x), one("y", y));
  }

  /**
   * The loss and metrics of {@code x} as one batch, as Keras's {@code test_on_batch(x, y,
   * return_dict=True)}: one graph run, nothing trained (the metrics are reset first, as Keras 3 does).
   */
  public Map<String, Double> testOnBatch(List<Data> x, List<Data> yGiven) {
    return guard.exclusive("testOnBatch", () -> onePass("testOnBatch", x, yGiven, null, Integer.MAX_VALUE,
        (e, data) -> Trainer.onBatch(data, b -> e.testOnBatch(b.x(), b.y()))));
  }

  /** The predictions for {@code x} as one batch, as Keras's {@code predict_on_batch}: one graph run. */
  public Data predictOnBatch(Data x) {
    return predict(x, Math.max(1, x.count()));
  }

  /** {@code x} and {@code y} checked against the compiled model, then {@code body} on their batches. */
  private Map<String, Double> onePass(String what, List<Data> x, List<Data> yGiven, Data sampleWeight, int batchSize,
      java.util.function.BiFunction<Engine, Batches, Map<String, Double>> body) {
    DataChecks.present("x", x);
    DataChecks.present("y", yGiven);
    requireCompiled(what);
    List<Data> y = DataChecks.classColumns(config.losses(), yGiven);
    DataChecks.counts(net().inputs(), x, y);
    Data weights = SampleWeights.of(sampleWeight, null, y);
    Batches data = Batches.of(x, SampleWeights.appended(y, weights), Math.min(batchSize, Math.max(1, x.get(0).count())));
    Engine e = engine(DataChecks.shapes(x));
    DataChecks.targets(e, y, "y");
    return body.apply(e, data);
  }

  /** Predictions for each row, batch by batch (32 per batch, as Keras). */
  public float[][] predict(float[][] x) {
    return predict(Data.of(x), 32).rows();
  }

  public Data predict(Data x, int batchSize, Callback... callbacks) {
    return predict(one("x", x), batchSize, callbacks).get(0);
  }

  /**
   * Every output's predictions for {@code x}, computed {@code batchSize} samples at a time;
   * {@code callbacks} get the predict hooks.
   */
  public List<Data> predict(List<Data> x, int batchSize, Callback... callbacks) {
    CallbackList list = new CallbackList(List.of(callbacks));
    guard.checkOpen("predict");
    DataChecks.present("x", x);
    DataChecks.counts(net().inputs(), x, List.of());
    return predictOn(Batches.of(x, List.of(), batchSize), list);
  }

  /** Builds the model for {@code data}'s inputs where not built yet, then predicts batch by batch. */
  private List<Data> predictOn(Feed data, CallbackList list) {
    List<long[]> shapes = data.inputShapes();
    if (engine == null) {
      guard.inTurn("build", () -> engine(shapes));
    }
    return guard.shared("predict", () -> Trainer.predict(this, engine(shapes), data, list,
        () -> guard.checkOpen("go on with predict")));
  }

  /**
   * Every output's predictions for the inputs of a {@link Dataset}, in its order (its targets, if
   * any, are not read), batched by 32 where it has no batch of its own.
   */
  public List<Data> predict(Dataset data, Callback... callbacks) {
    CallbackList list = new CallbackList(List.of(callbacks));
    guard.checkOpen("predict");
    try (Feed d = InputPipeline.open(data, 32)) {
      return predictOn(d, list);
    }
  }

  // ---------------------------------------------------------------- values and custom training loops

  /**
   * The model on {@code inputs} (one value per input, the batch first), as Keras's
   * {@code model(x)}: in inference mode; builds the model on first use.
   */
  public Value call(Value... inputs) {
    return callAll(inputs).get(0);
  }

  /** Every output of the model on {@code inputs}. */
  public List<Value> callAll(Value... inputs) {
    List<Data> x = new ArrayList<>();
    for (Value v : inputs) {
      x.add(data(v));
    }
    int n = x.isEmpty() ? 1 : Math.max(1, x.get(0).count());
    List<Value> out = new ArrayList<>();
    for (Data d : predict(x, n)) {
      out.add(value(d));
    }
    return out;
  }

  /**
   * The loss of one batch and the gradient of each trainable weight, for a training loop of your
   * own (Keras's GradientTape around {@code loss(y, model(x, training=True))}): one run, in
   * training mode; then {@link #applyGradients}. Builds the model on first use.
   */
  public LossGradients gradients(Loss loss, Value x, Value y) {
    return gradients(loss, List.of(x), y);
  }

  public LossGradients gradients(Loss loss, List<Value> x, Value y) {
    List<Data> data = x.stream().map(Model::data).toList();
    DataChecks.counts(net().inputs(), data, List.of(data(y)));
    return guard.exclusive("take gradients", () -> engine(DataChecks.shapes(data)).lossAndGradients(this, loss, x, y));
  }

  /**
   * One step of {@code optimizer} with {@code gradients} (one per trainable weight, in
   * {@link #gradients} order), as Keras's {@code optimizer.apply_gradients}. The optimizer's
   * slots live with the model from its first step.
   */
  public void applyGradients(Optimizer optimizer, List<Value> gradients) {
    guard.exclusive("apply gradients", () -> requireBuilt("apply gradients").applyGradients(optimizer, gradients));
  }

  /**
   * Each weight's Keras path, in {@link #getWeights} order, as Keras 3's {@code weight.path}:
   * {@code dense/kernel}, {@code dense_1/bias}, {@code lstm/lstm_cell/kernel}, ... (the layer's
   * name in {@code summary()}, a recurrent layer's cell, then the weight's).
   */
  public List<String> weightNames() {
    return guard.shared("name its weights", () -> {
      Engine e = requireBuilt("name its weights");
      Map<Variable, String> paths = weightPaths();
      return e.weights().stream().map(w -> paths.getOrDefault(w.variable(), w.name())).toList();
    });
  }

  /** Each weight's Keras path ({@link KerasWeights#paths}); a model's own weights under its name. */
  private Map<Variable, String> weightPaths() {
    Map<Variable, String> paths = KerasWeights.paths(this);
    ownWeights().forEach(v -> paths.putIfAbsent(v, name() + "/" + v.name()));
    return paths;
  }


  /** The names of the trainable weights, in {@link #gradients} order. */
  public List<String> trainableWeightNames() {
    return guard.shared("name its weights",
        () -> requireBuilt("name its weights").trainableWeights().stream().map(TfGraph.Weight::name).toList());
  }

  private static Data data(Value v) {
    long[] shape = v.shape();
    if (shape.length == 0) {
      throw new IllegalArgumentException("a model takes a batch (the first axis), got a scalar");
    }
    return Data.of(v.toFloatArray(), Arrays.copyOfRange(shape, 1, shape.length));
  }

  private static Value value(Data d) {
    long[] sample = d.sampleShape();
    long[] shape = new long[sample.length + 1];
    shape[0] = d.count();
    System.arraycopy(sample, 0, shape, 1, sample.length);
    return Value.wrap(d.values(), shape);
  }

  // ---------------------------------------------------------------- weights, summary

  /** The weights' values, in the order the graph first reads them (layer by layer). */
  public List<float[]> getWeights() {
    return guard.shared("get its weights", () -> {
      Engine e = requireBuilt("get its weights");
      Map<Variable, float[]> values = e.weightValues();
      return e.weights().stream().map(w -> values.get(w.variable())).toList();
    });
  }

  /** Sets every weight, in {@link #getWeights} order, checking each size. */
  public void setWeights(List<float[]> values) {
    guard.exclusive("set its weights", () -> setWeightsAlone(values));
  }

  private void setWeightsAlone(List<float[]> values) {
    Engine e = requireBuilt("set its weights");
    List<TfGraph.Weight> ws = e.weights();
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

  /**
   * Sets each weight this model shares with {@code source} (built from the same layer objects:
   * a GAN's generator, used alone after training the GAN) to its value there, and returns how
   * many it set. Both must be built.
   */
  public int copyWeightsFrom(Model source) {
    Map<Variable, float[]> theirs = source.guard.shared("give its weights",
        () -> source.requireBuilt("give its weights").weightValues());
    return guard.exclusive("take weights", () -> copyWeights(theirs));
  }

  private int copyWeights(Map<Variable, float[]> theirs) {
    Engine mine = requireBuilt("take weights");
    Map<Variable, float[]> shared = new IdentityHashMap<>();
    for (TfGraph.Weight w : mine.weights()) {
      if (theirs.containsKey(w.variable())) {
        shared.put(w.variable(), theirs.get(w.variable()));
      }
    }
    mine.setWeightValues(shared);
    return shared.size();
  }

  /** The table Keras's {@code summary()} prints: layers, output shapes, parameter counts. */
  public String summary() {
    return guard.shared("summarize it", () -> Summary.of(this, requireBuilt("summarize it (Keras needs an input shape"
        + " too)")));
  }

  // ---------------------------------------------------------------- export, checkpoints

  /**
   * Writes the model as a TensorFlow SavedModel: signature {@code serving_default}, tag
   * {@code serve}, inputs {@code input_0, input_1, ...} and outputs {@code output_0, ...} (as
   * Keras's {@code model.export}), any batch size, the weights as variables under their Keras
   * paths ({@link #weightNames}). {@code dir} is replaced atomically.
   */
  public void export(Path dir) throws IOException {
    export(dir, ExportOptions.serving());
  }

  /** As {@link #export(Path)}, with the signature's input and output names. */
  public void export(Path dir, List<String> inputNames, List<String> outputNames) throws IOException {
    export(dir, ExportOptions.serving().inputNames(inputNames.toArray(String[]::new))
        .outputNames(outputNames.toArray(String[]::new)));
  }

  /** As {@link #export(Path)}, with {@code preprocessing} in front: see {@link ExportOptions#preprocessing}. */
  public void export(Path dir, dev.leibniz.data.InputMap preprocessing) throws IOException {
    export(dir, ExportOptions.serving().preprocessing(preprocessing));
  }

  /**
   * As {@link #export(Path)}, with what {@code options} add (names, preprocessing, a TF Serving
   * version folder, a logits signature, warm-up requests); returns the folder written (the
   * version subfolder where one was asked for). On a worker other than the chief of a cluster
   * ({@link #distribute}) it writes nothing and returns {@code dir}.
   */
  public Path export(Path dir, ExportOptions options) throws IOException {
    java.util.Objects.requireNonNull(options, "options");
    Path[] written = new Path[1];
    if (!isChief()) {
      return dir; // the chief writes
    }
    ioShared("export it", () -> {
      Engine e = requireBuilt("export it");
      written[0] = Export.write(net(), e.inputShapes, e.weightValues(), weightPaths(), e.outputs.size(), dir, options);
    });
    return written[0];
  }

  /** Something that writes files. */
  private interface Io {
    void run() throws IOException;
  }

  private void ioShared(String what, Io body) throws IOException {
    try {
      guard.shared(what, () -> {
        try {
          body.run();
          return null;
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private <T> T ioExclusive(String what, java.util.concurrent.Callable<T> body) throws IOException {
    try {
      return guard.exclusive(what, () -> {
        try {
          return body.call();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        } catch (RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
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
    if (!isChief()) {
      return; // the chief writes
    }
    ioShared("save a checkpoint", () -> saveCheckpointNow(file));
  }

  private void saveCheckpointNow(Path file) throws IOException {
    Engine e = requireBuilt("save a checkpoint");
    List<TfGraph.State> all = new ArrayList<>(e.weightStates());
    all.addAll(e.optimizerStates());
    Checkpoint.of(epochsTrained, config == null ? null : config.optimizerName(), e.inputShapes, e.weightStates(),
        e.optimizerStates(), e.values(all)).write(file);
  }

  /**
   * Restores a checkpoint's weights and, when the model is compiled with the same kind of
   * optimizer, its optimizer state; builds the model first if needed. Resume training with
   * {@code FitOptions.initialEpoch(checkpoint.epoch())}.
   */
  public Checkpoint loadCheckpoint(Path file) throws IOException {
    guard.checkOpen("load a checkpoint");
    Checkpoint c = Checkpoint.read(file);
    return ioExclusive("load a checkpoint", () -> restore(c, file));
  }

  private Checkpoint restore(Checkpoint c, Path file) {
    Engine e = engine == null ? engine(c.inputShapes()) : engine;
    DataChecks.shapes(e.inputShapes, c.inputShapes(), "built");
    e.assign(c.valuesFor("checkpoint " + file, e.weightStates(), e.optimizerStates(),
        config == null ? null : config.optimizerName()));
    e.learningRatesRestored();
    epochsTrained = c.epoch();
    return c;
  }

  /**
   * Writes the weights as Keras 3's {@code model.save_weights("x.weights.h5")} does, so that the
   * same model built in Keras loads them with {@code load_weights}; atomically, as checkpoints.
   * The file's name must end in {@code .weights.h5}.
   */
  public void saveWeights(Path file) throws IOException {
    if (!isChief()) {
      return; // the chief writes
    }
    ioShared("save its weights", () -> KerasWeights.save(this, requireBuilt("save its weights"), file));
  }

  /**
   * Reads weights that Keras 3's {@code model.save_weights} wrote for the same model (the same
   * layers in the same order): each layer's weights by its Keras name, checked against their
   * shapes. A file that does not fit is an error listing what it holds and what the model
   * expects, and changes nothing.
   */
  public void loadWeights(Path file) throws IOException {
    ioExclusive("load weights", () -> {
      KerasWeights.load(this, requireBuilt("load weights (build it first, as in Keras)"), file);
      return null;
    });
  }

  // ---------------------------------------------------------------- helpers

  /** One data argument as a list, refusing null by name. */
  private static List<Data> one(String what, Data d) {
    if (d == null) {
      throw new IllegalArgumentException(what + " is null; pass the data (Data.of(values, sampleShape...))");
    }
    return List.of(d);
  }

  private static List<Object> metricList(Object[] metrics) {
    List<Object> out = java.util.Arrays.asList(metrics == null ? new Object[0] : metrics);
    for (int i = 0; i < out.size(); i++) {
      if (out.get(i) == null) {
        throw new IllegalArgumentException("metric " + (i + 1) + " of " + out.size() + " is null");
      }
    }
    return out;
  }

  private Engine requireBuilt(String what) {
    if (engine == null) {
      throw new IllegalStateException("the model is not built yet, so it cannot " + what + ": call build(sampleShape)"
          + " or fit/predict first");
    }
    return engine;
  }

  private void requireCompiled(String what) {
    if (config == null) {
      throw new IllegalStateException("call compile(optimizer, loss, metrics...) before " + what
          + ", e.g. compile(\"rmsprop\", \"sparse_categorical_crossentropy\", \"accuracy\")");
    }
  }

  /**
   * Releases the graph and the session. Closing twice does nothing; any other call afterwards
   * throws. Calls in progress on other threads stop at their next batch (with that exception).
   */
  @Override
  public void close() {
    guard.close(() -> {
      if (engine != null) {
        engine.close();
        engine = null;
      }
    });
  }
}
