package dev.leibniz.data;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import dev.leibniz.tf.FeedTensor;

/**
 * Samples cut into batches, as {@code fit}, {@code evaluate} and {@code predict} walk them:
 * several inputs and their targets (none for {@code predict}) aligned by index, in the order
 * they are stored or in an epoch's shuffled order. Each batch is copied into native tensors in
 * one bulk copy per array; close it after the step.
 */
public final class Batches implements Feed {
  private final List<Data> x;
  private final List<Data> y;
  private final int batchSize;
  private final int count;
  /** Multi-worker training: this worker's share of each batch, share {@code share} of {@code shares}. */
  private final int shares;
  private final int share;

  private Batches(List<Data> x, List<Data> y, int batchSize) {
    this(x, y, batchSize, 1, 0);
  }

  private Batches(List<Data> x, List<Data> y, int batchSize, int shares, int share) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
    }
    this.x = List.copyOf(x);
    this.y = List.copyOf(y);
    this.batchSize = batchSize;
    this.count = x.get(0).count();
    this.shares = shares;
    this.share = share;
    for (Data d : this.y) {
      if (d.count() != count) {
        throw new IllegalArgumentException("targets hold " + d.count() + " samples, inputs " + count);
      }
    }
  }

  /** Inputs {@code x} (one or more arrays) and targets {@code y} (empty for prediction), in batches of {@code batchSize}. */
  public static Batches of(List<Data> x, List<Data> y, int batchSize) {
    return new Batches(x, y, batchSize);
  }

  public int count() {
    return count;
  }

  /** Batches per pass (the last one may be smaller). */
  @Override
  public long steps() {
    return (count + batchSize - 1) / batchSize;
  }

  @Override
  public List<long[]> inputShapes() {
    return x.stream().map(Data::sampleShape).toList();
  }

  @Override
  public List<long[]> targetShapes() {
    return y.stream().map(Data::sampleShape).toList();
  }

  @Override
  public Iterable<Batch> pass(String what, int epoch, boolean shuffle, long seed) {
    return pass(shuffle ? shuffled(count, seed, epoch) : null);
  }

  /** As {@link Feed#shard}: only this worker's rows of each batch are copied into tensors. */
  @Override
  public Batches shard(int workers, int index) {
    WorkerShard.check(workers, index);
    return new Batches(x, y, batchSize, workers, index);
  }

  public List<Data> inputs() {
    return x;
  }

  public List<Data> targets() {
    return y;
  }

  /** The samples split at a fraction: training first, the last {@code fraction} for validation. */
  public record Split(Batches training, Batches validation) {}

  /**
   * Holds out the last {@code fraction} of the samples for validation, before any shuffling, as
   * Keras's {@code validation_split} does (training keeps {@code floor(count * (1 - fraction))}).
   */
  public Split split(double fraction) {
    int at = (int) Math.floor(count * (1 - fraction));
    if (at == 0 || at == count) {
      throw new IllegalArgumentException("validationSplit " + fraction + " of " + count + " samples leaves no samples for "
          + (at == 0 ? "training" : "validation"));
    }
    return new Split(new Batches(slice(x, 0, at), slice(y, 0, at), batchSize),
        new Batches(slice(x, at, count), slice(y, at, count), batchSize));
  }

  private static List<Data> slice(List<Data> data, int from, int to) {
    return data.stream().map(d -> d.slice(from, to)).toList();
  }

  /**
   * The order of an epoch's samples, shuffled from the seed and the epoch's number alone, so that
   * a run resumed at that epoch sees the batches the uninterrupted run would have.
   */
  public static int[] shuffled(int count, long seed, int epoch) {
    SplittableRandom random = new SplittableRandom(seed + 0x9E3779B97F4A7C15L * epoch);
    int[] p = new int[count];
    for (int i = 0; i < count; i++) {
      p[i] = i;
    }
    for (int i = count - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /**
   * One batch's tensors: each input's and each target's; close them once the step has run.
   * {@code size}: the samples it stands for in the epoch's results (a worker's share of a global
   * batch stands for the whole, whose losses the workers average).
   */
  public record Batch(int step, List<FeedTensor> x, List<FeedTensor> y, int size) implements AutoCloseable {
    public Batch(int step, List<FeedTensor> x, List<FeedTensor> y) {
      this(step, x, y, (int) x.get(0).rows());
    }

    @Override
    public void close() {
      x.forEach(FeedTensor::close);
      y.forEach(FeedTensor::close);
    }
  }

  /** The batches of one pass over the samples, in {@code order} (null: as stored). */
  public Iterable<Batch> pass(int[] order) {
    return () -> new Iterator<>() {
      private int step;

      @Override
      public boolean hasNext() {
        return step < steps();
      }

      @Override
      public Batch next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        int from = step * batchSize;
        int size = Math.min(count, from + batchSize) - from;
        int first = from + WorkerShard.rowsBefore(size, share, shares);
        int end = from + WorkerShard.rowsBefore(size, share + 1, shares);
        return new Batch(step++, tensors(x, order, first, end), tensors(y, order, first, end), size);
      }
    };
  }

  private static List<FeedTensor> tensors(List<Data> data, int[] order, int from, int to) {
    List<FeedTensor> out = new ArrayList<>();
    try {
      for (Data d : data) {
        out.add(d.batch(order, from, to));
      }
    } catch (RuntimeException e) {
      out.forEach(FeedTensor::close);
      throw e;
    }
    return out;
  }
}
