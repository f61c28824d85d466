package dev.leibniz;

import dev.leibniz.callbacks.Callback;
import dev.leibniz.data.Data;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Keras's {@code fit} arguments: {@code FitOptions.epochs(5).batchSize(128).validationSplit(0.2)}.
 * Defaults as Keras: batch 32, shuffle each epoch, a progress bar ({@link #verbose}).
 */
public final class FitOptions {
  int epochs = 1;
  int initialEpoch;
  int batchSize = 32;
  boolean shuffle = true;
  List<Data> validationX;
  List<Data> validationY;
  dev.leibniz.data.Dataset validationDataset;
  double validationSplit;
  final List<Callback> callbacks = new ArrayList<>();
  int verbose = 1;
  PrintStream out = System.out;
  long seed = 1;
  Data sampleWeight;
  java.util.Map<Integer, Double> classWeight;

  private FitOptions() {}

  public static FitOptions epochs(int epochs) {
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
    }
    FitOptions o = new FitOptions();
    o.epochs = epochs;
    return o;
  }

  /**
   * The epoch to start at, as Keras's {@code initial_epoch}: training runs epochs
   * {@code initialEpoch + 1} to {@code epochs}. With {@code Checkpoint.epoch()} it resumes a run,
   * shuffling each epoch as the uninterrupted run would have.
   */
  public FitOptions initialEpoch(int initialEpoch) {
    if (initialEpoch < 0 || initialEpoch >= epochs) {
      throw new IllegalArgumentException("initialEpoch must be in [0, epochs = " + epochs + "), got " + initialEpoch);
    }
    this.initialEpoch = initialEpoch;
    return this;
  }

  public FitOptions batchSize(int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
    }
    this.batchSize = batchSize;
    return this;
  }

  public FitOptions shuffle(boolean shuffle) {
    this.shuffle = shuffle;
    return this;
  }

  /** Evaluated at the end of every epoch; logged with "val_" names. */
  public FitOptions validationData(Data x, Data y) {
    return validationData(List.of(x), List.of(y));
  }

  public FitOptions validationData(float[][] x, float[][] y) {
    return validationData(Data.of(x), Data.of(y));
  }

  public FitOptions validationData(float[][] x, int[] labels) {
    return validationData(Data.of(x), Data.labels(labels));
  }

  public FitOptions validationData(List<Data> x, List<Data> y) {
    this.validationX = List.copyOf(x);
    this.validationY = List.copyOf(y);
    return this;
  }

  /** A dataset evaluated at the end of every epoch (batched by {@link #batchSize} where it has no batch of its own). */
  public FitOptions validationData(dev.leibniz.data.Dataset data) {
    this.validationDataset = java.util.Objects.requireNonNull(data, "validation dataset");
    return this;
  }

  /** Holds out the last {@code fraction} of the samples (before shuffling) for validation, as Keras. */
  public FitOptions validationSplit(double fraction) {
    if (!(fraction >= 0 && fraction < 1)) {
      throw new IllegalArgumentException("validationSplit must be in [0, 1), got " + fraction);
    }
    this.validationSplit = fraction;
    return this;
  }

  public FitOptions callbacks(Callback... callbacks) {
    this.callbacks.addAll(List.of(callbacks));
    return this;
  }

  /**
   * As Keras: 0 quiet; 1 (the default) a progress bar redrawn per batch when printing to a
   * terminal, and only its finished line per epoch elsewhere (a pipe, a file: no carriage returns
   * or escape codes); 2 one line per epoch.
   */
  public FitOptions verbose(int verbose) {
    if (verbose < 0 || verbose > 2) {
      throw new IllegalArgumentException("verbose is 0 (quiet), 1 (progress bar) or 2 (one line per epoch), got "
          + verbose);
    }
    this.verbose = verbose;
    return this;
  }

  /** Where progress goes (System.out by default). */
  public FitOptions printTo(PrintStream out) {
    this.out = out;
    return this;
  }

  /**
   * Keras's {@code sample_weight}: one weight per sample (0 or more); each output's loss is
   * {@code sum(w * loss) / rows}, Keras 3's "sum over batch size". As Keras 3's compiled
   * {@code metrics}, the metrics count every sample alike. A {@code validationSplit} splits the
   * weights with the samples.
   */
  public FitOptions sampleWeight(float[] weights) {
    return sampleWeight(Data.of(weights));
  }

  public FitOptions sampleWeight(Data weights) {
    this.sampleWeight = weights;
    return this;
  }

  /**
   * Keras's {@code class_weight}: each sample weighs its class's weight (classes not listed weigh
   * 1), its class being its label, or its one-hot row's argmax. For a model with one output; not
   * with {@link #sampleWeight}.
   */
  public FitOptions classWeight(java.util.Map<Integer, Double> weights) {
    this.classWeight = java.util.Map.copyOf(weights);
    return this;
  }

  /** The seed of the shuffling; each epoch's order depends only on it and the epoch's number. */
  public FitOptions seed(long seed) {
    this.seed = seed;
    return this;
  }
}
