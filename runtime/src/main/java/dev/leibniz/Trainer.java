package dev.leibniz;

import dev.leibniz.callbacks.CallbackList;
import dev.leibniz.data.Batches;
import dev.leibniz.data.Data;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The loops of {@code fit}, {@code evaluate} and {@code predict} over an {@link Engine}: batches
 * from {@link Batches}, one session run per step, epoch results handed to the callbacks (the
 * progress output and the {@code History} among them).
 */
final class Trainer {
  private Trainer() {}

  /** Trains epochs {@code options.initialEpoch} to {@code options.epochs}, or until a callback stops it. */
  static void fit(Model model, Engine e, Batches train, Batches validation, FitOptions options, CallbackList callbacks,
      Runnable checkOpen) {
    int steps = train.steps();
    callbacks.onTrainBegin(model);
    for (int epoch = options.initialEpoch; epoch < options.epochs && !model.stopRequested(); epoch++) {
      callbacks.onEpochBegin(model, epoch);
      int[] order = options.shuffle ? Batches.shuffled(train.count(), options.seed, epoch) : null;
      e.resetMetrics();
      double[] lossSums = new double[e.lossNames().size()];
      for (Batches.Batch b : train.pass(order)) {
        try (b) {
          checkOpen.run();
          float[] losses = e.trainStep(b.x(), b.y(), (long) epoch * steps + b.step());
          if (!Float.isFinite(losses[0])) {
            throw new ArithmeticException("the loss became " + losses[0] + " at epoch " + (epoch + 1) + ", batch "
                + (b.step() + 1) + " of " + steps + "; the weights are no longer usable. Lower the learning rate, check"
                + " the inputs' scale, or use a loss from logits");
          }
          accumulate(lossSums, losses, b.size());
        }
      }
      Map<String, Double> logs = new TreeMap<>();
      putLosses(logs, e, lossSums, train.count());
      logs.putAll(e.metricResults());
      if (validation != null) {
        evaluate(e, validation, checkOpen).forEach((k, v) -> logs.put("val_" + k, v));
      }
      model.epochEnded(epoch);
      callbacks.onEpochEnd(model, epoch, logs);
    }
    e.endTraining(); // as Keras's fit: weights take an optimizer's moving averages (use_ema)
    callbacks.onTrainEnd(model);
  }

  /** The loss and each metric over all of the samples, as Keras's {@code evaluate(..., return_dict=True)}. */
  static Map<String, Double> evaluate(Engine e, Batches data, Runnable checkOpen) {
    return results(e, data, b -> {
      checkOpen.run();
      return e.evalStep(b.x(), b.y());
    });
  }

  /** One training step per batch of {@code data} (one batch, for trainOnBatch), then its loss and metrics. */
  static Map<String, Double> trainOnBatch(Engine e, Batches data, long step) {
    return results(e, data, b -> e.trainStep(b.x(), b.y(), step));
  }

  /** {@code step} on every batch, from reset metrics: the losses' means over samples and the metrics' results. */
  private static Map<String, Double> results(Engine e, Batches data,
      java.util.function.Function<Batches.Batch, float[]> step) {
    e.resetMetrics();
    double[] lossSums = new double[e.lossNames().size()];
    for (Batches.Batch b : data.pass(null)) {
      try (b) {
        accumulate(lossSums, step.apply(b), b.size());
      }
    }
    Map<String, Double> out = new TreeMap<>();
    putLosses(out, e, lossSums, data.count());
    out.putAll(e.metricResults());
    return out;
  }

  /** Every output's predictions, batch by batch; each sample's shape as the first batch's outputs have it. */
  static List<Data> predict(Engine e, Batches data, Runnable checkOpen) {
    int count = data.count();
    List<float[]> flat = new ArrayList<>();
    List<long[]> outShapes = new ArrayList<>();
    for (Batches.Batch b : data.pass(null)) {
      try (b) {
        checkOpen.run();
        List<dev.leibniz.tf.Tensors.Shaped> got = e.predict(b.x());
        for (int i = 0; i < got.size(); i++) {
          float[] g = got.get(i).values();
          long rows = got.get(i).shape().length == 0 ? -1 : got.get(i).shape()[0];
          if (rows != b.size()) {
            throw new IllegalStateException("output " + i + " has " + (rows < 0 ? "no batch axis" : rows + " rows")
                + " for a batch of " + b.size() + " samples (shape " + Arrays.toString(got.get(i).shape()) + "): a"
                + " layer mixed the samples of the batch (a Reshape whose target does not keep the batch axis?)");
          }
          if (flat.size() == i) {
            long[] s = got.get(i).shape();
            outShapes.add(Arrays.copyOfRange(s, 1, s.length));
            flat.add(new float[Math.toIntExact((long) count * (g.length / b.size()))]);
          }
          System.arraycopy(g, 0, flat.get(i), b.from() * (g.length / b.size()), g.length);
        }
      }
    }
    List<Data> result = new ArrayList<>();
    for (int i = 0; i < flat.size(); i++) {
      result.add(Data.of(flat.get(i), outShapes.get(i)));
    }
    for (int i = result.size(); i < e.outputs.size(); i++) { // no samples: the static shape, 0 where unknown
      long[] s = e.outputs.get(i).shape().asArray();
      result.add(Data.of(new float[0], Arrays.stream(Arrays.copyOfRange(s, 1, s.length)).map(d -> Math.max(d, 0)).toArray()));
    }
    return result;
  }

  /** Batch means weighted by batch size: the epoch's mean over samples (as Keras 3). */
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
}
