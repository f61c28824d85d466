package dev.leibniz;

import dev.leibniz.callbacks.CallbackList;
import dev.leibniz.data.Batches;
import dev.leibniz.data.Data;
import dev.leibniz.data.Feed;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The loops of {@code fit}, {@code evaluate} and {@code predict} over an {@link Engine}: batches
 * from {@link Batches}, one session run per step, epoch results handed to the callbacks (the
 * progress output and the {@code History} among them).
 */
final class Trainer {
  private Trainer() {}

  /** Trains epochs {@code options.initialEpoch} to {@code options.epochs}, or until a callback stops it. */
  static void fit(Model model, Engine e, Feed train, Feed validation, FitOptions options, CallbackList callbacks,
      Runnable checkOpen) {
    long steps = train.steps();
    callbacks.onTrainBegin(model);
    for (int epoch = model.startEpoch(options.initialEpoch); epoch < options.epochs && !model.stopRequested(); epoch++) {
      callbacks.onEpochBegin(model, epoch);
      Running running = new Running(e);
      for (Batches.Batch b : train.pass("fit", epoch, options.shuffle, options.seed)) {
        try (b) {
          checkOpen.run();
          if (callbacks.hasTrainBatchHooks()) {
            callbacks.onTrainBatchBegin(model, b.step());
          }
          float[] losses = e.trainStep(b.x(), b.y(), (long) epoch * steps + b.step());
          running.add(losses, b.size());
          if (callbacks.hasTrainBatchHooks()) {
            callbacks.onTrainBatchEnd(model, b.step(), running.logs());
          }
          if (!Float.isFinite(losses[0]) && !model.stopRequested()) { // TerminateOnNaN stops it; else it is an error
            throw new ArithmeticException("the loss became " + losses[0] + " at epoch " + (epoch + 1) + ", batch "
                + (b.step() + 1) + " of " + steps + "; the weights are no longer usable. Lower the learning rate, check"
                + " the inputs' scale, or use a loss from logits (or stop training with the TerminateOnNaN callback)");
          }
        }
        if (model.stopRequested()) {
          break; // as Keras: a callback's stop takes effect after the batch
        }
      }
      Map<String, Double> logs = running.results();
      if (validation != null) {
        evaluate(model, e, validation, callbacks, checkOpen).forEach((k, v) -> logs.put("val_" + k, v));
      }
      model.epochEnded(epoch);
      callbacks.onEpochEnd(model, epoch, logs);
    }
    e.endTraining(); // as Keras's fit: weights take an optimizer's moving averages (use_ema)
    callbacks.onTrainEnd(model);
  }

  /** The loss and each metric over all of the samples, as Keras's {@code evaluate(..., return_dict=True)}. */
  static Map<String, Double> evaluate(Model model, Engine e, Feed data, CallbackList callbacks, Runnable checkOpen) {
    callbacks.onTestBegin(model);
    Running running = new Running(e);
    for (Batches.Batch b : data.pass("evaluate", 0, false, 0)) {
      try (b) {
        checkOpen.run();
        if (callbacks.hasTestBatchHooks()) {
          callbacks.onTestBatchBegin(model, b.step());
        }
        running.add(e.evalStep(b.x(), b.y()), b.size());
        if (callbacks.hasTestBatchHooks()) {
          callbacks.onTestBatchEnd(model, b.step(), running.logs());
        }
      }
    }
    Map<String, Double> results = running.results();
    callbacks.onTestEnd(model, java.util.Collections.unmodifiableMap(results));
    return results;
  }

  /** {@code body} on {@code data}'s one batch (trainOnBatch's, testOnBatch's): its loss and metrics. */
  static Map<String, Double> onBatch(Batches data, java.util.function.Function<Batches.Batch, Map<String, Double>> body) {
    for (Batches.Batch b : data.pass(null)) {
      try (b) {
        return body.apply(b);
      }
    }
    throw new IllegalStateException("no batch in " + data.count() + " samples");
  }

  /**
   * The epoch so far, from reset metrics: each loss's mean over the samples seen (batch means
   * weighted by batch size, as Keras 3) and the metrics' results, read from the graph only when asked.
   */
  private static final class Running {
    private final Engine e;
    private final double[] lossSums;
    private int seen;

    Running(Engine e) {
      this.e = e;
      this.lossSums = new double[e.lossNames().size()];
      e.resetMetrics();
    }

    void add(float[] batchMeans, int batchSize) {
      for (int i = 0; i < lossSums.length; i++) {
        lossSums[i] += (double) batchMeans[i] * batchSize;
      }
      seen += batchSize;
    }

    /** The results so far, in name order (as Keras prints them). */
    Map<String, Double> results() {
      double[] means = new double[lossSums.length];
      for (int i = 0; i < means.length; i++) {
        means[i] = lossSums[i] / Math.max(1, seen);
      }
      return e.results(means, e.metricResults());
    }

    /**
     * The results so far as a map computed when first read: a batch hook that does not look costs
     * nothing, one that reads only a loss (TerminateOnNaN) costs no graph run.
     */
    Map<String, Double> logs() {
      return new java.util.AbstractMap<>() {
        private Map<String, Double> computed;

        @Override
        public Double get(Object key) {
          int loss = e.lossNames().indexOf(key);
          return computed == null && loss >= 0 ? lossSums[loss] / Math.max(1, seen) : super.get(key);
        }

        @Override
        public java.util.Set<Entry<String, Double>> entrySet() {
          if (computed == null) {
            computed = java.util.Collections.unmodifiableMap(results());
          }
          return computed.entrySet();
        }
      };
    }
  }

  /**
   * Every output's predictions, batch by batch; each sample's shape as the first batch's outputs
   * have it. The batches' outputs are joined at the end: a dataset's sample count is known only once
   * it is read.
   */
  static List<Data> predict(Model model, Engine e, Feed data, CallbackList callbacks, Runnable checkOpen) {
    callbacks.onPredictBegin(model);
    List<List<float[]>> chunks = new ArrayList<>();
    List<long[]> outShapes = new ArrayList<>();
    for (Batches.Batch b : data.pass("predict", 0, false, 0)) {
      try (b) {
        checkOpen.run();
        if (callbacks.hasPredictBatchHooks()) {
          callbacks.onPredictBatchBegin(model, b.step());
        }
        List<dev.leibniz.tf.Tensors.Shaped> got = e.predict(b.x());
        for (int i = 0; i < got.size(); i++) {
          float[] g = got.get(i).values();
          long rows = got.get(i).shape().length == 0 ? -1 : got.get(i).shape()[0];
          if (rows != b.size()) {
            throw new IllegalStateException("output " + i + " has " + (rows < 0 ? "no batch axis" : rows + " rows")
                + " for a batch of " + b.size() + " samples (shape " + Arrays.toString(got.get(i).shape()) + "): a"
                + " layer mixed the samples of the batch (a Reshape whose target does not keep the batch axis?)");
          }
          if (chunks.size() == i) {
            long[] s = got.get(i).shape();
            outShapes.add(Arrays.copyOfRange(s, 1, s.length));
            chunks.add(new ArrayList<>());
          }
          chunks.get(i).add(g);
        }
        if (callbacks.hasPredictBatchHooks()) {
          callbacks.onPredictBatchEnd(model, b.step());
        }
      }
    }
    List<Data> result = new ArrayList<>();
    for (int i = 0; i < chunks.size(); i++) {
      float[] flat = new float[Math.toIntExact(chunks.get(i).stream().mapToLong(c -> c.length).sum())];
      int at = 0;
      for (float[] c : chunks.get(i)) {
        System.arraycopy(c, 0, flat, at, c.length);
        at += c.length;
      }
      result.add(Data.of(flat, outShapes.get(i)));
    }
    for (int i = result.size(); i < e.outputs.size(); i++) { // no samples: the static shape, 0 where unknown
      long[] s = e.outputShapes.get(i);
      result.add(Data.of(new float[0], Arrays.stream(Arrays.copyOfRange(s, 1, s.length)).map(d -> Math.max(d, 0)).toArray()));
    }
    callbacks.onPredictEnd(model);
    return result;
  }

}
