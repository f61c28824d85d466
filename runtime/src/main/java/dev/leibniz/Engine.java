package dev.leibniz;

import dev.leibniz.dsl.Variable;
import dev.leibniz.losses.Loss;
import dev.leibniz.metrics.Metric;
import dev.leibniz.metrics.Metrics;
import dev.leibniz.optimizers.Optimizer;
import dev.leibniz.tf.FeedTensor;
import dev.leibniz.tf.Natives;
import dev.leibniz.tf.PreparedRun;
import dev.leibniz.tf.Tf;
import dev.leibniz.tf.TfGraph;
import dev.leibniz.tf.TfSession;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Tensor;
import org.tensorflow.op.Op;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * One model's TensorFlow graph and session: input placeholders, the forward, and when compiled
 * the targets, losses, generated backward, optimizer update and metric updates, so that a
 * training step is one session run. Built lazily, when the first data shows the input shapes.
 */
final class Engine implements AutoCloseable {
  /** What {@code compile} configured. */
  record CompileConfig(Optimizer optimizer, List<Loss> losses, float[] lossWeights, List<Object> metrics,
      Object module, List<Objective> objectives) {
    CompileConfig(Optimizer optimizer, List<Loss> losses, float[] lossWeights, List<Object> metrics) {
      this(optimizer, losses, lossWeights, metrics, null, List.of());
    }

    /** What a checkpoint records to match optimizer state: "adam", or each objective's "name:optimizer". */
    String optimizerName() {
      return optimizer != null ? optimizer.name() : String.join(",",
          objectives.stream().map(o -> o.name() + ":" + o.optimizer().name()).toList());
    }
  }

  private record MetricSlot(String name, Metric metric, List<TfGraph.State> totals) {}

  /** Each output's sample weights {@code [batch]}, fed when fit or evaluate is given some; else {@code [1]}, all alike. */
  final List<Operand<TFloat32>> sampleWeights = new ArrayList<>();

  /** An optimizer's update in this graph, and the last learning rate set on the optimizer that its variable holds. */
  private static final class OptimizerUpdate {
    final Optimizer optimizer;
    final Optimizer.Applied built;
    int rateVersion;

    OptimizerUpdate(Optimizer optimizer, Optimizer.Applied built) {
      this.optimizer = optimizer;
      this.built = built;
      this.rateVersion = optimizer.learningRateVersion();
    }
  }

  final Graph graph = Natives.newGraph();
  final TfGraph state;
  final Tf tf;
  final TfSession session;
  final List<long[]> inputShapes;
  final List<Operand<TFloat32>> inputs = new ArrayList<>();
  final List<Operand<TFloat32>> outputs;
  /** Each output's static shape, batch first (-1 where unknown): asked on every step's checks, fixed once built. */
  final List<long[]> outputShapes;
  final List<Net.Applied> applied = new ArrayList<>();
  final CompileConfig config;
  private final long seed;
  /** Fed to the graph's training flag in every training step. */
  private final FeedTensor trainingOn = FeedTensor.floats(new float[] {1f});
  final List<Operand<TFloat32>> targets = new ArrayList<>();
  /** The total loss, then (for several outputs) each output's own loss, as Keras logs them. */
  private final List<Operand<TFloat32>> losses = new ArrayList<>();
  /** What a training step fetches: {@link #losses}, or with a strategy, their means over every worker. */
  private List<Operand<TFloat32>> trainLosses = losses;
  private final List<String> lossNames = new ArrayList<>();
  private Op trainOp;
  private Op evalOp;
  private Op resetMetrics;
  /** trainOnBatch's step: trainOp with each metric's totals set to the batch's statistics (null with a strategy). */
  private Op trainOnBatchOp;
  /** testOnBatch's: the metric totals set to the batch's statistics, nothing trained. */
  private Op testOnBatchOp;
  /** What trainOnBatch and testOnBatch fetch: the losses, then each metric's statistics of the batch (in totals' order). */
  private final List<Operand<TFloat32>> onBatchFetches = new ArrayList<>();
  private final List<MetricSlot> metrics = new ArrayList<>();
  /** The optimizer's slots and step count: what a checkpoint saves besides the weights. */
  private List<TfGraph.State> optimizerStates = List.of();
  /** The forward on the inputs, whose backward fit and custom loops build. */
  private final Net.Built forward;
  /** Each loss a custom loop asked gradients of, its backward built once beside fit's. */
  private final Map<Loss, CustomLoss> customLosses = new HashMap<>();
  /** Each optimizer a custom loop applied, its update (fed gradients) built once. */
  private final Map<Optimizer, CustomUpdate> customUpdates = new IdentityHashMap<>();
  /** Steps of custom loops so far: each draws new dropout masks. */
  private long customSteps;
  /** The session runs of the steps, each prepared at its first use ({@link #prepared}). */
  private final Map<Integer, PreparedRun> preparedRuns = new java.util.concurrent.ConcurrentHashMap<>();
  /** Every optimizer update built in this graph, in order. */
  private final List<OptimizerUpdate> optimizers = new ArrayList<>();

  /** The weights of the layers the model froze ({@code setTrainable(layer, false)}): no optimizer updates them. */
  private final java.util.Set<Variable> frozen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
  private final List<Object> frozenLayers;

  /** The workers this graph trains with, or null where it trains alone. */
  private final WorkerGroup workers;

  Engine(Net net, List<long[]> inputShapes, CompileConfig config, int threads, long seed, List<Object> frozenLayers,
      MultiWorkerMirroredStrategy strategy) {
    this.workers = strategy == null ? null : new WorkerGroup(strategy);
    this.seed = workers == null ? seed : workers.seed(seed);
    this.frozenLayers = List.copyOf(frozenLayers);
    this.inputShapes = List.copyOf(inputShapes);
    this.config = config;
    this.state = new TfGraph(graph, seed);
    this.tf = state.tf();
    try {
      for (int i = 0; i < inputShapes.size(); i++) {
        inputs.add(state.placeholder("input_" + i, batched(inputShapes.get(i))));
      }
      Net.Built built = net.forward(tf, inputs, applied);
      this.forward = built;
      frozenLayers.forEach(layer -> frozen.addAll(LayerGraphs.weights(layer))); // created by the forward
      // An output that is an input (a layer that returns its input) is read through an identity:
      // TensorFlow refuses to fetch a tensor it is fed.
      this.outputs = built.outputs().stream()
          .map(o -> inputs.contains(o) ? (Operand<TFloat32>) state.ops().identity(o) : o).toList();
      this.outputShapes = outputs.stream().map(o -> o.shape().asArray()).toList();
      if (config != null && !config.objectives().isEmpty()) {
        buildObjectives();
      } else if (config != null) {
        buildTraining(built);
      }
      this.session = workers == null ? new TfSession(state, threads) : workers.session(state, threads);
      session.initialize(state);
    } catch (RuntimeException e) {
      graph.close();
      trainingOn.close();
      throw e;
    }
  }

  private void buildTraining(Net.Built built) {
    List<Operand<TFloat32>> dOutputs = new ArrayList<>();
    List<Loss.Built> outputLosses = new ArrayList<>();
    List<Operand<TFloat32>> lossWeights = new ArrayList<>();
    List<Op> updates = new ArrayList<>();
    Map<TfGraph.State, Operand<TFloat32>> statistics = new LinkedHashMap<>();
    for (int i = 0; i < outputs.size(); i++) {
      Operand<TFloat32> out = outputs.get(i);
      Loss l = config.losses().get(i);
      long[] outShape = out.shape().asArray();
      // Class indices: one per output row, the output's shape without its class axis ([batch], or [batch, steps]).
      Operand<TFloat32> target = l.sparse()
          ? state.placeholder("target_" + i, java.util.Arrays.copyOf(outShape, Math.max(1, outShape.length - 1)))
          : state.placeholder("target_" + i, outShape);
      targets.add(target);
      Operand<TFloat32> lossWeight = tf.scalar(config.lossWeights()[i]);
      // An output with a padding mask: the loss (and the metrics) over its real steps only, as Keras's.
      Operand<TInt64> real = realSteps(built.outputMasks().get(i), out);
      Operand<TFloat32> scored = real == null ? out : state.ops().gatherNd(out, real);
      Operand<TFloat32> scoredTarget = real == null ? target : state.ops().gatherNd(target, real);
      Operand<TFloat32> weights = state.ops().withName("sample_weight_" + i).placeholderWithDefault(
          state.ops().constant(new float[] {1f}), org.tensorflow.ndarray.Shape.of(-1));
      sampleWeights.add(weights);
      Operand<TFloat32> scoredWeights = real == null ? weights : realStepWeights(weights, out, real);
      Loss.Built lb = l.build(state, scoredTarget, scored, lossWeight, scoredWeights);
      outputLosses.add(lb);
      lossWeights.add(lossWeight);
      dOutputs.add(real == null ? lb.dPredictions()
          : state.ops().scatterNd(real, lb.dPredictions(), state.ops().shape(out, TInt64.class)));
      long units = outShape.length == 0 ? 1 : outShape[outShape.length - 1];
      for (Object spec : config.metrics()) {
        Metric m = spec instanceof Metric metric ? metric : Metrics.get((String) spec, l, units);
        String name = outputs.size() == 1 ? m.name() : "output_" + i + "_" + m.name();
        List<TfGraph.State> totals = new ArrayList<>();
        // as Keras 3's compile(metrics=...): the metrics do not weigh samples, only the loss does
        for (Operand<TFloat32> stat : m.statistics(state, scoredTarget, scored)) {
          if (stat.shape().hasUnknownDimension()) {
            throw new IllegalStateException("metric " + m.name() + " gave a statistic of unknown shape " + stat.shape());
          }
          TfGraph.State st = state.state("metric_" + name, stat.shape().asArray(), 0);
          totals.add(st);
          statistics.put(st, stat);
          updates.add(state.ops().assignAddVariableOp(st.handle(), stat));
        }
        metrics.add(new MetricSlot(name, m, totals));
      }
    }
    built.backward(tf, dOutputs);
    // After the backward: a loss's value is the form (from logits or not) its gradients came from.
    Operand<TFloat32> total = tf.accumulate(addedLosses(), regularization());
    for (int i = 0; i < outputLosses.size(); i++) {
      Operand<TFloat32> value = outputLosses.get(i).value();
      if (outputs.size() > 1) {
        losses.add(value);
        lossNames.add("output_" + i + "_loss");
      }
      Operand<TFloat32> weighted = tf.mul(value, lossWeights.get(i));
      total = total == null ? weighted : tf.add(total, weighted);
    }
    losses.add(0, total);
    lossNames.add(0, "loss");
    java.util.function.Function<Variable, Operand<TFloat32>> gradients = v -> trains(v) ? state.gradient(v) : null;
    List<Op> step = new ArrayList<>();
    if (workers != null) { // summed across the workers; evaluation keeps the local losses and metric updates
      WorkerGroup.Step reduced = workers.allReduced(state, WorkerSum.rowsOf(state.ops(), inputs.get(0)), gradients,
          losses, statistics);
      gradients = reduced.gradients();
      trainLosses = reduced.losses();
      step.addAll(reduced.updates());
    } else {
      step.addAll(updates);
      step.addAll(state.updates()); // moving statistics (batch normalization)
    }
    int before = state.states().size();
    Op update = applied(config.optimizer(), gradients);
    step.add(update);
    List<TfGraph.State> all = state.states();
    this.optimizerStates = all.subList(before, all.size());
    this.trainOp = state.group(step);
    this.evalOp = state.group(updates);
    // Keras's train_on_batch and test_on_batch reset the metrics, then count the batch: the totals
    // set to the batch's statistics, which the same run fetches.
    List<Op> fresh = new ArrayList<>();
    onBatchFetches.addAll(losses);
    statistics.forEach((metricTotal, stat) -> {
      fresh.add(state.ops().assignVariableOp(metricTotal.handle(), stat));
      onBatchFetches.add(stat);
    });
    this.testOnBatchOp = state.group(fresh);
    if (workers == null) {
      List<Op> onBatch = new ArrayList<>(fresh);
      onBatch.addAll(state.updates());
      onBatch.add(update);
      this.trainOnBatchOp = state.group(onBatch);
    }
    List<Op> resets = new ArrayList<>();
    for (MetricSlot m : metrics) {
      m.totals().forEach(s -> resets.add(s.reset()));
    }
    this.resetMetrics = state.group(resets);
  }

  /**
   * Before multi-worker training: waits for every worker to join and checks they agree on the
   * model and the data ({@link WorkerGroup#join}); nothing alone.
   */
  void joinWorkers(long steps, int batchSize) {
    if (workers != null) {
      workers.join(session, steps, batchSize, state.weights().stream().mapToLong(w -> w.variable().shape().size()).sum());
    }
  }

  private void refuseDistributed(String what) {
    if (workers != null) {
      throw workers.refused(what);
    }
  }

  /**
   * The positions {@code [n, 2]} of the real steps of an output {@code [batch, steps, ...]} whose
   * mask is {@code [batch, steps]}, or null where it has none: Keras averages a loss over those
   * (the sum of the masked losses divided by the count of real steps).
   */
  private Operand<TInt64> realSteps(Operand<TFloat32> mask, Operand<TFloat32> out) {
    if (mask == null || out.shape().numDimensions() != mask.shape().numDimensions() + 1) {
      return null;
    }
    return state.ops().where(state.ops().math.greater(mask, tf.scalar(0f)));
  }

  /**
   * The weights' regularizers (Keras's {@code kernel_regularizer}...): the sum of the penalties
   * {@code l1 * sum(|w|) + l2 * sum(w^2)} of the weights optimizers train, or null where none has
   * one; each penalty's gradient {@code l1 * sign(w) + 2 * l2 * w} added to its weight's.
   */
  private Operand<TFloat32> regularization() {
    Operand<TFloat32> sum = null;
    for (TfGraph.Weight w : state.weights()) {
      dev.leibniz.dsl.Regularizer r = w.variable().regularizer();
      if (r == null || !trains(w.variable())) {
        continue;
      }
      Operand<TFloat32> value = w.value();
      Operand<TFloat32> penalty = null;
      Operand<TFloat32> gradient = null;
      if (r.l1() > 0) {
        penalty = tf.mul(tf.scalar((float) r.l1()), tf.sum(state.ops().math.abs(value)));
        gradient = tf.mul(tf.scalar((float) r.l1()), state.ops().math.sign(value));
      }
      if (r.l2() > 0) {
        penalty = tf.accumulate(penalty, tf.mul(tf.scalar((float) r.l2()), tf.sum(tf.square(value))));
        gradient = tf.accumulate(gradient, tf.mul(tf.scalar((float) (2 * r.l2())), value));
      }
      tf.addGradient(w.variable(), gradient);
      sum = tf.accumulate(sum, penalty);
    }
    return sum;
  }

  /** The weight of each real step's sample: the sample weights {@code [batch]} (or {@code [1]}) at {@code real}'s first column. */
  private Operand<TFloat32> realStepWeights(Operand<TFloat32> weights, Operand<TFloat32> out, Operand<TInt64> real) {
    var ops = state.ops();
    Operand<TInt64> batch = ops.slice(ops.shape(out, TInt64.class), ops.constant(new long[] {0}), ops.constant(new long[] {1}));
    Operand<TFloat32> each = tf.mul(weights, ops.fill(batch, ops.constant(1f)));
    Operand<TInt64> samples = ops.reshape(ops.slice(real, ops.constant(new long[] {0, 0}), ops.constant(new long[] {-1, 1})),
        ops.constant(new long[] {-1}));
    return ops.gather(each, samples, ops.constant(0));
  }

  /** The sum of the losses layers added ({@code addLoss}), or null where none did. */
  private Operand<TFloat32> addedLosses() {
    Operand<TFloat32> sum = null;
    for (Operand<TFloat32> l : state.addedLosses()) {
      sum = tf.accumulate(sum, l);
    }
    return sum;
  }

  /**
   * A custom step: each objective's loss method on the inputs, its generated backward, and its
   * optimizer's update of its layers' weights, one after the other in one run: each objective
   * reads the weights the previous one updated, as Keras's GAN train_step does.
   */
  private void buildObjectives() {
    refuseDistributed("custom objectives (compile(Objective...))");
    List<Op> step = new ArrayList<>();
    int before = state.states().size();
    for (Objective o : config.objectives()) {
      @SuppressWarnings("unchecked")
      dev.leibniz.tf.LayerGraph<Object> graph = (dev.leibniz.tf.LayerGraph<Object>) o.loss();
      if (graph.inputs() != inputs.size()) {
        throw new IllegalArgumentException("objective " + o.name() + " takes " + graph.inputs() + " input(s), but the"
            + " model's call takes " + inputs.size() + "; its loss method takes what fit feeds, as call does");
      }
      dev.leibniz.tf.Forward f = graph.call(tf, config.module(), inputs);
      Operand<TFloat32> value = f.output().shape().numDimensions() == 0 ? f.output() : tf.mean(f.output());
      Map<Variable, Operand<TFloat32>> grads = state.collectGradients(
          () -> graph.backward(tf, config.module(), f, tf.onesLike(f.output())));
      java.util.Set<Variable> own = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
      o.layers().forEach(layer -> own.addAll(LayerGraphs.weights(layer)));
      Op apply = applied(o.optimizer(), v -> own.contains(v) && trains(v) ? grads.get(v) : null);
      step.add(apply);
      losses.add(value);
      lossNames.add(o.name());
      state.readAfter(apply);
    }
    state.readAfter(null); // what is built later (predict, custom gradients) reads the weights as they are
    List<TfGraph.State> all = state.states();
    this.optimizerStates = all.subList(before, all.size());
    step.addAll(state.updates());
    this.trainOp = state.group(step);
    this.evalOp = state.group(List.of());
    this.resetMetrics = state.group(List.of());
  }

  /** Whether optimizers update {@code v}: a trainable weight of a layer the model has not frozen. */
  boolean trains(Variable v) {
    return v.trainable() && !frozen.contains(v);
  }

  /** The layers frozen when this graph was built. */
  List<Object> frozenLayers() {
    return frozenLayers;
  }

  /** {@code optimizer}'s update of the weights by {@code gradients}, remembered for its learning rate. */
  private Op applied(Optimizer optimizer, java.util.function.Function<Variable, Operand<TFloat32>> gradients) {
    OptimizerUpdate a = new OptimizerUpdate(optimizer, optimizer.build(state, gradients));
    optimizers.add(a);
    return a.built.update();
  }

  /** Learning rates set on the optimizers since the last step, into their variables (one run, only when one changed). */
  private void syncLearningRates() {
    Map<TfGraph.State, float[]> changed = null; // every step comes here: nothing allocated when nothing changed
    for (OptimizerUpdate a : optimizers) {
      int version = a.optimizer.learningRateVersion();
      if (version != a.rateVersion && a.built.learningRate() != null) {
        changed = changed == null ? new LinkedHashMap<>() : changed;
        changed.put(a.built.learningRate(), new float[] {a.optimizer.learningRate()});
        a.rateVersion = version;
      }
    }
    if (changed != null) {
      session.assign(changed);
    }
  }

  /** The rate {@code optimizer}'s next step in this graph uses (its schedule's at the current step), or NaN if it has none here. */
  double learningRate(Optimizer optimizer) {
    syncLearningRates();
    for (OptimizerUpdate a : optimizers) {
      if (a.optimizer == optimizer) {
        return session.run(Map.of(), List.of(a.built.currentRate())).get(0)[0];
      }
    }
    return Double.NaN;
  }

  /** The steps {@code optimizer} has taken in this graph (Keras's {@code optimizer.iterations}), or -1 if it has none here. */
  long iterations(Optimizer optimizer) {
    for (OptimizerUpdate a : optimizers) {
      if (a.optimizer == optimizer) {
        return (long) values(List.of(a.built.iterations())).get(0)[0];
      }
    }
    return -1;
  }

  /** After a checkpoint set the learning-rate variables: the optimizers take the rates restored. */
  void learningRatesRestored() {
    List<OptimizerUpdate> variable = optimizers.stream().filter(a -> a.built.learningRate() != null).toList();
    if (variable.isEmpty()) {
      return;
    }
    List<float[]> values = values(variable.stream().map(a -> a.built.learningRate()).toList());
    for (int i = 0; i < variable.size(); i++) {
      OptimizerUpdate a = variable.get(i);
      if (values.get(i)[0] != a.optimizer.learningRate()) {
        a.optimizer.setLearningRate(values.get(i)[0]);
      }
      a.rateVersion = a.optimizer.learningRateVersion();
    }
  }

  static long[] batched(long[] sampleShape) {
    long[] shape = new long[sampleShape.length + 1];
    shape[0] = -1;
    System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
    return shape;
  }

  /**
   * What a step feeds, in order: the inputs, the targets, then the outputs' sample weights where
   * given ({@code yCount} in all), and for training the training flag and the random seed where the
   * graph has them.
   */
  private List<Operand<?>> feedOrder(int xCount, int yCount, boolean training) {
    List<Operand<?>> order = new ArrayList<>(inputs.subList(0, xCount));
    for (int i = 0; i < yCount; i++) {
      order.add(i < targets.size() ? targets.get(i) : sampleWeights.get(i - targets.size()));
    }
    if (training && state.trainingFlag() != null) {
      order.add(state.trainingFlag());
    }
    if (training && state.randomSeedFeed() != null) {
      order.add(state.randomSeedFeed());
    }
    return order;
  }

  /** The tensors for {@link #feedOrder}'s operands: {@code x}, {@code y}, then {@code extra}'s that are not null. */
  private static FeedTensor[] feedValues(List<FeedTensor> x, List<FeedTensor> y, FeedTensor... extra) {
    List<FeedTensor> values = new ArrayList<>(x);
    if (y != null) {
      values.addAll(y);
    }
    for (FeedTensor t : extra) {
      if (t != null) {
        values.add(t);
      }
    }
    return values.toArray(new FeedTensor[0]);
  }

  private static final int TRAIN = 0;
  private static final int EVAL = 1;
  private static final int PREDICT = 2;
  private static final int TRAIN_ON_BATCH = 3;
  private static final int TEST_ON_BATCH = 4;

  /**
   * The session run of a step ({@link #TRAIN}, {@link #EVAL}, {@link #PREDICT}, ...) that fetches
   * {@code fetches} and runs {@code target}, prepared at its first use for this many inputs and
   * targets (with sample weights or without), then kept.
   */
  private PreparedRun prepared(int kind, int xCount, int yCount, List<? extends Operand<?>> fetches, Op... target) {
    return preparedRuns.computeIfAbsent((kind * 1000 + xCount) * 1000 + yCount,
        k -> session.prepare(feedOrder(xCount, yCount, kind == TRAIN || kind == TRAIN_ON_BATCH), fetches, target));
  }

  /**
   * One training step: forward, loss, backward, update and metric updates in one run; the batch
   * losses ({@link #lossNames}). The graph's training flag is 1, and its random ops draw from (seed, step).
   */
  float[] trainStep(List<FeedTensor> x, List<FeedTensor> y, long step) {
    return training(prepared(TRAIN, x.size(), y.size(), trainLosses, trainOp)::scalars, x, y, step);
  }

  /**
   * Keras's {@code train_on_batch}: one training step whose metrics count this batch alone, its
   * losses and metrics read in the same run. With a strategy: a reset, the step, then the totals.
   */
  Map<String, Double> trainOnBatch(List<FeedTensor> x, List<FeedTensor> y, long step) {
    if (trainOnBatchOp == null) {
      resetMetrics();
      float[] batchLosses = trainStep(x, y, step);
      return batchResults(batchLosses, metricResults());
    }
    return batchResults(training(prepared(TRAIN_ON_BATCH, x.size(), y.size(), onBatchFetches, trainOnBatchOp)::shaped,
        x, y, step));
  }

  /** Keras's {@code test_on_batch}: the losses and metrics of this batch alone, in one run, nothing trained. */
  Map<String, Double> testOnBatch(List<FeedTensor> x, List<FeedTensor> y) {
    if (testOnBatchOp == null) { // a step of objectives: their losses, no metrics
      return batchResults(evalStep(x, y), Map.of());
    }
    return batchResults(prepared(TEST_ON_BATCH, x.size(), y.size(), onBatchFetches, testOnBatchOp)
        .shaped(feedValues(x, y)));
  }

  /** The losses then the batch's statistics, as one batch's results by name. */
  private Map<String, Double> batchResults(List<dev.leibniz.tf.Tensors.Shaped> fetched) {
    double[] means = new double[losses.size()];
    for (int i = 0; i < means.length; i++) {
      means[i] = fetched.get(i).values()[0];
    }
    List<float[]> totals = fetched.subList(losses.size(), fetched.size()).stream()
        .map(dev.leibniz.tf.Tensors.Shaped::values).toList();
    return results(means, metricResults(totals));
  }

  /** A batch's losses (from a run that fetched them alone) and metrics, by name. */
  private Map<String, Double> batchResults(float[] batchLosses, Map<String, Double> metricResults) {
    double[] means = new double[batchLosses.length];
    for (int i = 0; i < means.length; i++) {
      means[i] = batchLosses[i];
    }
    return results(means, metricResults);
  }

  /** Each loss ({@link #lossNames}' order) and metric by name, in name order, as Keras prints them. */
  Map<String, Double> results(double[] lossMeans, Map<String, Double> metricResults) {
    Map<String, Double> out = new java.util.TreeMap<>();
    for (int i = 0; i < lossMeans.length; i++) {
      out.put(lossNames.get(i), lossMeans[i]);
    }
    out.putAll(metricResults);
    return out;
  }

  /** A training run: the training flag on, random ops drawing from (seed, step). */
  private <T> T training(java.util.function.Function<FeedTensor[], T> run, List<FeedTensor> x, List<FeedTensor> y,
      long step) {
    syncLearningRates();
    FeedTensor seed = state.randomSeedFeed() == null ? null : FeedTensor.longs(this.seed, step);
    try {
      return run.apply(feedValues(x, y, state.trainingFlag() == null ? null : trainingOn, seed));
    } catch (org.tensorflow.exceptions.TensorFlowException ex) {
      if (workers == null) {
        throw ex;
      }
      throw workers.stepFailed(step, ex);
    } finally {
      if (seed != null) {
        seed.close();
      }
    }
  }

  /** The losses of a batch ({@link #lossNames}), with metric updates and no training. */
  float[] evalStep(List<FeedTensor> x, List<FeedTensor> y) {
    return prepared(EVAL, x.size(), y.size(), losses, evalOp).scalars(feedValues(x, y));
  }

  /** The metrics' names, in compile order. */
  List<String> metricNames() {
    return metrics.stream().map(MetricSlot::name).toList();
  }

  /** "loss", then "output_i_loss" for each output of a model with several. */
  List<String> lossNames() {
    return lossNames;
  }

  /** Each output for the batch, with its run-time shape (a model built for any length gives the length of these inputs). */
  List<dev.leibniz.tf.Tensors.Shaped> predict(List<FeedTensor> x) {
    return prepared(PREDICT, x.size(), 0, outputs).shaped(feedValues(x, null));
  }

  void resetMetrics() {
    if (!metrics.isEmpty()) { // no run at all for a model without metrics (a lean trainOnBatch)
      session.run(Map.of(), List.of(), resetMetrics);
    }
  }

  /** Each metric's value from the totals since the last reset, in compile order. */
  Map<String, Double> metricResults() {
    if (metrics.isEmpty()) {
      return Map.of();
    }
    List<Operand<TFloat32>> fetches = new ArrayList<>();
    metrics.forEach(m -> m.totals().forEach(t -> fetches.add(t.value())));
    return metricResults(session.run(Map.of(), fetches)); // one run for every metric's totals
  }

  /** Each metric's value from its totals ({@code totals}: every metric's, in compile order). */
  private Map<String, Double> metricResults(List<float[]> totals) {
    Map<String, Double> out = new LinkedHashMap<>();
    int at = 0;
    for (MetricSlot m : metrics) {
      int n = m.totals().size();
      out.put(m.name(), m.metric().result(totals.subList(at, at + n)));
      at += n;
    }
    return out;
  }

  List<TfGraph.Weight> weights() {
    return state.weights();
  }

  List<TfGraph.State> weightStates() {
    return state.weights().stream().map(TfGraph.Weight::state).toList();
  }

  /** What runs once when fit ends (an optimizer's moving averages into the weights). */
  void endTraining() {
    List<Op> ops = state.trainEnd();
    if (!ops.isEmpty()) {
      session.run(Map.of(), List.of(), ops.toArray(new Op[0]));
    }
  }

  List<TfGraph.State> optimizerStates() {
    return optimizerStates;
  }

  Map<Variable, float[]> weightValues() {
    List<TfGraph.Weight> ws = state.weights();
    List<float[]> values = values(weightStates());
    Map<Variable, float[]> out = new IdentityHashMap<>();
    for (int i = 0; i < ws.size(); i++) {
      out.put(ws.get(i).variable(), values.get(i));
    }
    return out;
  }

  /** Sets the weights found in {@code values}; the others keep their values. */
  void setWeightValues(Map<Variable, float[]> values) {
    Map<TfGraph.State, float[]> byState = new LinkedHashMap<>();
    for (TfGraph.Weight w : state.weights()) {
      if (values.containsKey(w.variable())) {
        byState.put(w.state(), values.get(w.variable()));
      }
    }
    assign(byState);
  }

  /** The current values of {@code states}, read in one run. */
  List<float[]> values(List<TfGraph.State> states) {
    return session.run(Map.of(), states.stream().map(TfGraph.State::value).toList());
  }

  /** Sets each state to its value, in one run. */
  void assign(Map<TfGraph.State, float[]> values) {
    session.assign(values);
  }

  // ---------------------------------------------------------------- custom training loops

  /** A loss's backward of its own in this graph: its target, value, and a gradient per trainable weight. */
  private record CustomLoss(Operand<TFloat32> target, Operand<TFloat32> value, List<Operand<TFloat32>> gradients,
      Op updates) {}

  /** An optimizer's update fed with gradients, one placeholder per trainable weight. */
  private record CustomUpdate(List<Operand<TFloat32>> gradients, Op apply) {}

  /** The trainable weights, in the order {@code getWeights} lists them. */
  List<TfGraph.Weight> trainableWeights() {
    return state.weights().stream().filter(w -> trains(w.variable())).toList();
  }

  /**
   * The loss of a batch and its gradient for each trainable weight, as Keras's GradientTape over
   * {@code loss(y, model(x, training=True))}: one run, in training mode (dropout on, batch
   * statistics, moving averages updated).
   */
  LossGradients lossAndGradients(Model model, Loss loss, List<Value> x, Value y) {
    refuseDistributed("custom training loops (gradients)");
    CustomLoss c = customLosses.computeIfAbsent(loss, this::customLoss);
    Map<Operand<?>, Tensor> feeds = new HashMap<>();
    try {
      for (int i = 0; i < x.size(); i++) {
        feeds.put(inputs.get(i), x.get(i).tensor());
      }
      feeds.put(c.target(), (loss.sparse() ? y.reshape(-1) : y).tensor());
      if (state.trainingFlag() != null) {
        feeds.put(state.trainingFlag(), TFloat32.scalarOf(1f));
      }
      if (state.randomSeedFeed() != null) {
        feeds.put(state.randomSeedFeed(), TInt64.vectorOf(seed, Long.MIN_VALUE + customSteps++));
      }
      List<Operand<TFloat32>> fetches = new ArrayList<>();
      fetches.add(c.value());
      fetches.addAll(c.gradients());
      List<dev.leibniz.tf.Tensors.Shaped> out = session.runShaped(feeds, fetches, c.updates());
      List<Value> gradients = new ArrayList<>();
      for (int i = 1; i < out.size(); i++) {
        gradients.add(Value.wrap(out.get(i).values(), out.get(i).shape()));
      }
      return new LossGradients(model, out.get(0).values()[0], gradients);
    } finally {
      feeds.values().forEach(Tensor::close);
    }
  }

  private CustomLoss customLoss(Loss loss) {
    if (outputs.size() != 1) {
      throw new IllegalArgumentException("gradients(loss, ...) takes a model with one output; this one has "
          + outputs.size());
    }
    Operand<TFloat32> out = outputs.get(0);
    Operand<TFloat32> target = state.placeholder("custom_target", loss.sparse() ? new long[] {-1} : out.shape().asArray());
    Loss.Built built = loss.build(state, target, out, tf.scalar(1));
    Operand<TFloat32>[] penalty = new Operand[1];
    Map<Variable, Operand<TFloat32>> grads = state.collectGradients(() -> {
      forward.backward(tf, List.of(built.dPredictions()));
      penalty[0] = regularization();
    });
    List<Operand<TFloat32>> gradients = new ArrayList<>();
    for (TfGraph.Weight w : trainableWeights()) {
      gradients.add(state.named("gradient_" + w.name(), tf.orZerosLike(grads.get(w.variable()), w.value())));
    }
    Operand<TFloat32> added = tf.accumulate(addedLosses(), penalty[0]);
    Operand<TFloat32> value = added == null ? built.value() : tf.add(built.value(), added);
    return new CustomLoss(target, value, gradients, state.group(state.updates()));
  }

  /** {@code optimizer}'s step with {@code gradients}, one per trainable weight; its slots are made on first use. */
  void applyGradients(Optimizer optimizer, List<Value> gradients) {
    refuseDistributed("custom training loops (applyGradients)");
    List<TfGraph.Weight> trainable = trainableWeights();
    if (gradients.size() != trainable.size()) {
      throw new IllegalArgumentException("the model has " + trainable.size() + " trainable weights, got "
          + gradients.size() + " gradients");
    }
    for (int i = 0; i < trainable.size(); i++) {
      if (!Arrays.equals(gradients.get(i).shape(), trainable.get(i).variable().shape().dims())) {
        throw new IllegalArgumentException("the gradient of " + trainable.get(i).name() + " has shape "
            + gradients.get(i).shapeText() + ", the weight " + Summary.shape(trainable.get(i).variable().shape().dims()));
      }
    }
    CustomUpdate u = customUpdates.computeIfAbsent(optimizer, this::customUpdate);
    syncLearningRates();
    Map<Operand<?>, Tensor> feeds = new HashMap<>();
    try {
      for (int i = 0; i < trainable.size(); i++) {
        feeds.put(u.gradients().get(i), gradients.get(i).tensor());
      }
      session.run(feeds, List.of(), u.apply());
    } finally {
      feeds.values().forEach(Tensor::close);
    }
  }

  private CustomUpdate customUpdate(Optimizer optimizer) {
    Map<Variable, Operand<TFloat32>> fed = new IdentityHashMap<>();
    List<Operand<TFloat32>> placeholders = new ArrayList<>();
    for (TfGraph.Weight w : trainableWeights()) {
      Operand<TFloat32> p = state.placeholder("applied_" + w.name(), w.variable().shape().dims());
      fed.put(w.variable(), p);
      placeholders.add(p);
    }
    int before = state.states().size();
    Op apply = applied(optimizer, fed::get);
    List<TfGraph.State> slots = state.states().subList(before, state.states().size());
    if (!slots.isEmpty()) {
      session.run(Map.of(), List.of(), slots.stream().map(TfGraph.State::reset).toArray(Op[]::new));
    }
    return new CustomUpdate(placeholders, apply);
  }

  @Override
  public void close() {
    session.close();
    graph.close();
    trainingOn.close();
  }
}
