package dev.leibniz.data;

import dev.leibniz.tf.FeedTensor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * One worker's share of each batch of a feed, for multi-worker training: of a global batch of
 * {@code n} samples, worker {@code index} of {@code workers} takes rows
 * {@code [n * index / workers, n * (index + 1) / workers)}. Every worker walks the same global
 * batches (the same shuffle, from the same seed), so all take the same number of steps, which
 * TensorFlow's collectives need; this is Keras's {@code AutoShardPolicy.DATA}: each worker reads
 * the data and keeps its part. Each share stands for its global batch in the epoch's results.
 */
public final class WorkerShard implements Feed {
  private final Feed all;
  private final int workers;
  private final int index;

  public WorkerShard(Feed all, int workers, int index) {
    check(workers, index);
    this.all = all;
    this.workers = workers;
    this.index = index;
  }

  /** Of a batch of {@code size} rows, the rows of the shares before share {@code index} of {@code workers}. */
  static int rowsBefore(int size, int index, int workers) {
    return (int) ((long) size * index / workers);
  }

  static void check(int workers, int index) {
    if (workers < 1 || index < 0 || index >= workers) {
      throw new IllegalArgumentException("worker " + index + " of " + workers);
    }
  }

  @Override
  public long steps() {
    return all.steps();
  }

  @Override
  public List<long[]> inputShapes() {
    return all.inputShapes();
  }

  @Override
  public List<long[]> targetShapes() {
    return all.targetShapes();
  }

  @Override
  public Iterable<Batches.Batch> pass(String what, int epoch, boolean shuffle, long seed) {
    Iterable<Batches.Batch> batches = all.pass(what, epoch, shuffle, seed);
    return () -> new Iterator<>() {
      private final Iterator<Batches.Batch> it = batches.iterator();

      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public Batches.Batch next() {
        try (Batches.Batch b = it.next()) {
          int from = rowsBefore(b.size(), index, workers);
          int to = rowsBefore(b.size(), index + 1, workers);
          List<FeedTensor> x = rows(b.x(), from, to);
          try {
            return new Batches.Batch(b.step(), x, rows(b.y(), from, to), b.size());
          } catch (RuntimeException e) {
            x.forEach(FeedTensor::close);
            throw e;
          }
        }
      }
    };
  }

  /** Rows {@code [from, to)} of each tensor, copied. */
  private static List<FeedTensor> rows(List<FeedTensor> tensors, int from, int to) {
    List<FeedTensor> out = new ArrayList<>();
    try {
      for (FeedTensor t : tensors) {
        out.add(t.rows(from, to));
      }
    } catch (RuntimeException e) {
      out.forEach(FeedTensor::close);
      throw e;
    }
    return out;
  }

  @Override
  public void close() {
    all.close();
  }
}
