package dev.leibniz.tf;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewBufferFromString;

import java.util.Arrays;
import org.bytedeco.javacpp.BytePointer;
import org.tensorflow.internal.c_api.TF_Buffer;

/**
 * Where one kind of run's ops execute: one after another on the calling thread (TensorFlow's
 * {@code RunOptions.inter_op_thread_pool = -1}), or handed to the session's inter-op thread pool,
 * where independent ops run at once. Each op's kernel uses the intra-op pool either way, so the
 * results are the same to the bit. The calling thread saves a hand-off between threads per op: a
 * small model's step takes half the time, the MLP's a tenth less; the pool can win where
 * independent ops are each long (a convolution's two gradients), by a few percent. So each kind of
 * run measures. After {@value #WARM_UP} warm-up runs it runs in blocks of {@value #BLOCK}, the
 * calling thread's first, then the pool's, alternated ({@value #BLOCKS} blocks; the machine's
 * drift hits both alike), timing all but each block's first run (which pays for the switch), and
 * keeps the way with the lower median, the calling thread on a tie. Where the first block's runs
 * take under {@value #SHORT_NANOS} ns, hand-offs are most of a run and the pool is not tried. A
 * run that fails is not counted; until the choice is made, runs beyond the trials go on the calling
 * thread.
 */
final class RunDispatch {
  static final int WARM_UP = 2;
  static final int BLOCK = 4;
  static final int BLOCKS = 4;
  static final long SHORT_NANOS = 1_000_000;
  private static final int TIMED = BLOCK - 1; // per block

  private final long[][] nanos = new long[BLOCKS][TIMED];
  private int begun;
  private int timed;
  /** Null while trying both ways. */
  private volatile Boolean inline;

  /**
   * {@code RunOptions} with {@code inter_op_thread_pool = -1}, which sends a run's ops to the calling
   * thread (of a local session only), as the C API takes it: field 3, a varint, -1 as ten bytes.
   * Written out rather than built, because building the message loads the descriptors of all of
   * TensorFlow's config protos, 20 ms of a first epoch.
   */
  static final byte[] ON_CALLING_THREAD = {0x18, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0x01};

  /** {@link #ON_CALLING_THREAD} for the C API; made once, kept for the process. */
  private static final class Inline {
    static final TF_Buffer OPTIONS =
        TF_NewBufferFromString(new BytePointer(ON_CALLING_THREAD), ON_CALLING_THREAD.length);
  }

  /** Trying both ways; {@code local} false (a distributed session, whose runs go to its workers) keeps the pool. */
  RunDispatch(boolean local) {
    this.inline = local ? null : Boolean.FALSE;
  }

  /** A number for the run about to start, to pass to {@link #inline(int)} and {@link #ran}; -1 once chosen. */
  int begin() {
    if (inline != null) {
      return -1;
    }
    synchronized (this) {
      return inline != null ? -1 : begun++;
    }
  }

  /** Whether run {@code ticket} executes on the calling thread. */
  boolean inline(int ticket) {
    Boolean chosen = inline;
    if (chosen != null) {
      return chosen;
    }
    int trial = ticket - WARM_UP;
    return trial < 0 || trial >= BLOCK * BLOCKS || trial / BLOCK % 2 == 0;
  }

  /** {@code TF_SessionRun}'s run options for run {@code ticket}: null for TensorFlow's default, its pool. */
  TF_Buffer options(int ticket) {
    return inline(ticket) ? Inline.OPTIONS : null;
  }

  /** Run {@code ticket} took {@code elapsed} nanoseconds; after the first block or the last, the choice. */
  void ran(int ticket, long elapsed) {
    int trial = ticket - WARM_UP;
    if (trial < 0 || trial >= BLOCK * BLOCKS || trial % BLOCK == 0) {
      return;
    }
    synchronized (this) {
      if (inline != null) {
        return; // a run begun before the choice, ending after it
      }
      nanos[trial / BLOCK][trial % BLOCK - 1] = Math.max(1, elapsed); // 0 marks a time not yet in
      timed++;
      if (full(nanos[0]) && median(nanos[0]) < SHORT_NANOS) {
        inline = true;
      } else if (timed == BLOCKS * TIMED) {
        inline = median(way(0)) <= median(way(1));
      }
    }
  }

  /** The choice, or null while still trying. */
  Boolean chosen() {
    return inline;
  }

  /** The times of one way's blocks: 0 the calling thread's, 1 the pool's. */
  private long[] way(int way) {
    long[] out = new long[BLOCKS / 2 * TIMED];
    for (int b = way, i = 0; b < BLOCKS; b += 2, i += TIMED) {
      System.arraycopy(nanos[b], 0, out, i, TIMED);
    }
    return out;
  }

  private static boolean full(long[] times) {
    for (long t : times) {
      if (t == 0) {
        return false;
      }
    }
    return true;
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return (sorted[(sorted.length - 1) / 2] + sorted[sorted.length / 2]) / 2;
  }
}
