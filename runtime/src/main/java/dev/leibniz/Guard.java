package dev.leibniz;

import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * A model's rules for threads and closing. Predictions (reads of the weights) run side by side;
 * what changes the model (fit, evaluate's metrics, building, setting weights, compiling) runs one
 * at a time, after the predictions in progress, and a second such call from another thread is
 * refused with the name of what is running rather than queued behind a fit of unknown length.
 * After {@link #close}, every call throws; the loops check between batches, so close waits for
 * at most one batch of each call in progress, never for a whole fit.
 */
final class Guard {
  /** Fair, so that a waiting change (or close) is not starved by a stream of predictions. */
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock(true);
  private final Supplier<String> name;
  private volatile boolean closed;
  /** The change in progress and its thread, or null. */
  private String running;
  private Thread owner;

  Guard(Supplier<String> name) {
    this.name = name;
  }

  /** {@code body} beside other reads (predict, getWeights, export): waits only for a change in progress. */
  <T> T shared(String what, Supplier<T> body) {
    return holding(lock.readLock(), what, body);
  }

  /** {@code body} under {@code held}, the model checked open before waiting and again after. */
  private <T> T holding(java.util.concurrent.locks.Lock held, String what, Supplier<T> body) {
    checkOpen(what);
    held.lock();
    try {
      checkOpen(what);
      return body.get();
    } finally {
      held.unlock();
    }
  }

  /**
   * {@code body} alone: refused if another thread is changing the model, else run after the
   * reads in progress. Nested calls from the same thread (a callback that evaluates during fit)
   * run at once.
   */
  <T> T exclusive(String what, Supplier<T> body) {
    checkOpen(what);
    if (lock.isWriteLockedByCurrentThread()) {
      return body.get();
    }
    synchronized (this) {
      if (running != null) {
        throw new IllegalStateException("model '" + name.get() + "' cannot " + what + " now: " + running
            + " is running on thread '" + owner.getName() + "'. A model runs one fit, evaluate or other change at a"
            + " time (predict may run from many threads); wait for it to end, or use another model");
      }
      running = what;
      owner = Thread.currentThread();
    }
    try {
      return holding(lock.writeLock(), what, body);
    } finally {
      synchronized (this) {
        running = null;
        owner = null;
      }
    }
  }

  /** {@code body} alone, waiting for whatever runs (the build a first predict needs: each thread's turn comes). */
  <T> T inTurn(String what, Supplier<T> body) {
    return holding(lock.writeLock(), what, body);
  }

  void exclusive(String what, Runnable body) {
    exclusive(what, () -> {
      body.run();
      return null;
    });
  }

  /** Throws if the model is closed: at every call, and between the batches of a loop. */
  void checkOpen(String what) {
    if (closed) {
      throw new IllegalStateException("model '" + name.get() + "' is closed, so it cannot " + what + ": close()"
          + " released its graph and weights. Keep it open while you use it; to keep what it learned, saveCheckpoint,"
          + " saveWeights or export it before closing");
    }
  }

  /**
   * Closes once: later calls throw; {@code release} runs after the calls in progress reach their
   * next batch (or at once when called from inside one of them, such as a callback of fit).
   */
  void close(Runnable release) {
    if (lock.getReadHoldCount() > 0 && !lock.isWriteLockedByCurrentThread()) {
      // Other threads may be reading too, and this one cannot wait for them while it reads.
      throw new IllegalStateException("model '" + name.get() + "' cannot be closed from inside its own predict;"
          + " close it after the call returns");
    }
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    if (lock.isWriteLockedByCurrentThread()) {
      release.run(); // from inside a change (a callback of fit): nothing else runs now
      return;
    }
    lock.writeLock().lock();
    try {
      release.run();
    } finally {
      lock.writeLock().unlock();
    }
  }
}
