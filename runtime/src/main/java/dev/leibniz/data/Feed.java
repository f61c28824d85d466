package dev.leibniz.data;

import java.util.List;

/** What {@code fit}, {@code evaluate} and {@code predict} walk: arrays cut into batches ({@link Batches}) or a dataset's pipeline. */
public interface Feed extends AutoCloseable {
  /** Batches per pass. */
  long steps();

  /** Each input's sample shape. */
  List<long[]> inputShapes();

  /** Each target's sample shape (none for predict). */
  List<long[]> targetShapes();

  /**
   * The batches of epoch {@code epoch}; arrays are shuffled from (seed, epoch) where {@code shuffle}
   * asks (a dataset shuffles as its own {@code shuffle} says). {@code what} names the loop for errors.
   */
  Iterable<Batches.Batch> pass(String what, int epoch, boolean shuffle, long seed);

  /**
   * Worker {@code index} of {@code workers}' share of each batch, for multi-worker training
   * ({@link WorkerShard}): every worker walks the same batches and keeps its rows.
   */
  default Feed shard(int workers, int index) {
    return new WorkerShard(this, workers, index);
  }

  /** Releases what the feed holds (a pipeline's graph, a generator's thread); arrays hold nothing. */
  @Override
  default void close() {}
}
