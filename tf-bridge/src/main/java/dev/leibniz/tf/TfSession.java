package dev.leibniz.tf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Op;
import org.tensorflow.proto.ConfigProto;

/**
 * A session on a {@link TfGraph}: thread settings, weight initialization, and runs that feed
 * tensors and fetch float arrays. Close it (and the graph) when done.
 */
public final class TfSession implements AutoCloseable {
  /** Sets the thread count of every session in the process that asks for none. */
  public static final String THREADS_PROPERTY = "leibniz.threads";
  /** The size TensorFlow gave its thread pools at the process's first session; 0 before it. */
  private static final AtomicInteger POOLS = new AtomicInteger();
  private static final AtomicBoolean WARNED = new AtomicBoolean();
  /** Held while the process's first session is made, so that the pools' size is recorded as TensorFlow sets it. */
  private static final Object FIRST = new Object();
  private final Session session;
  private final List<PreparedRun> prepared = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean closed;
  /** In this process (TensorFlow's direct session), not a distributed one's master. */
  private final boolean local;
  /** Prepared runs hold the read lock while they run and read their results; closing takes the write lock. */
  private final java.util.concurrent.locks.ReentrantReadWriteLock runLock = new java.util.concurrent.locks.ReentrantReadWriteLock();

  /** {@code threads <= 0}: {@link #processThreads}. */
  public TfSession(TfGraph graph, int threads) {
    this.session = open(graph.graph(), threads);
    this.local = true;
  }

  /**
   * The process's first local session on {@code graph} (sizing TensorFlow's pools to {@link
   * #processThreads}), or null where another session came first.
   */
  static TfSession first(TfGraph graph) {
    synchronized (FIRST) {
      return POOLS.get() == 0 ? new TfSession(graph, 0) : null;
    }
  }

  /** The thread count of a session that asks for none: {@code -Dleibniz.threads}, else 0 (all cores). */
  public static int processThreads() {
    return Integer.getInteger(THREADS_PROPERTY, 0);
  }

  /**
   * A local session on {@code graph} with {@code threads} intra- and inter-op threads ({@code <= 0}:
   * {@link #processThreads}).
   */
  public static Session open(Graph graph, int threads) {
    if (POOLS.get() == 0) {
      synchronized (FIRST) { // the first session: no other made before its count is recorded
        if (POOLS.get() == 0) {
          int count = count(threads);
          CpuMemory.pool(); // before TensorFlow's first device, which reads it (usually on the warm-up's thread)
          Session first = create(graph, count);
          record(count);
          return first;
        }
      }
    }
    return create(graph, threads(threads));
  }

  private static Session create(Graph graph, int count) {
    // Without a config where there is nothing to set: a session made with one takes 0.15 s longer to open
    return count > 0 ? new Session(graph, ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(count).setInterOpParallelismThreads(count).build()) : new Session(graph);
  }

  /**
   * The thread count a session asking for {@code threads} gets: that, else {@link #processThreads} (0:
   * all cores). TensorFlow sizes both pools once per process, at its first session (Leibniz's warm-up's,
   * or the first model's where the warm-up is off): a later session asking for another count keeps the
   * first one's pools, and gets a warning, once.
   */
  static int threads(int threads) {
    int count = count(threads);
    record(count);
    return count;
  }

  private static int count(int threads) {
    return threads > 0 ? threads : processThreads();
  }

  /** Records the pools' size where no session did yet, else warns (once) where {@code count} differs from it. */
  private static void record(int count) {
    int pools = count > 0 ? count : Runtime.getRuntime().availableProcessors();
    if (!POOLS.compareAndSet(0, pools) && POOLS.get() != pools && WARNED.compareAndSet(false, true)) {
      System.getLogger(TfSession.class.getName()).log(System.Logger.Level.WARNING, poolsKept(POOLS.get(), pools));
    }
  }

  /** The thread pools' size, fixed by the process's first session; 0 before it. */
  static int pools() {
    return POOLS.get();
  }

  static String poolsKept(int pools, int asked) {
    return "A session asked for " + asked + (asked == 1 ? " thread" : " threads") + ", but TensorFlow sized its"
        + " thread pools at " + pools + " at this process's first session, and keeps them. To have " + asked
        + ", start the JVM with -D" + THREADS_PROPERTY + "=" + asked + ".";
  }

  /** A session on {@code cluster}'s task: its server started if need be, runs only on its own devices. */
  public TfSession(TfGraph graph, TfCluster cluster, int threads) {
    this.session = GrpcSession.open(graph.graph(), cluster.start(threads), cluster.sessionConfig(threads));
    this.local = false;
  }

  public TfSession(TfGraph graph) {
    this(graph, 0);
  }

  public Session session() {
    return session;
  }

  /** Sets every weight the graph has read to its initial value. */
  public void initialize(TfGraph graph) {
    session.runner().addTarget(graph.initializer()).run().close();
  }

  /** Runs {@code targets}, feeding {@code feeds}, and returns each fetch as a flat float array. */
  public List<float[]> run(Map<Operand<?>, Tensor> feeds, List<? extends Operand<?>> fetches, Op... targets) {
    return runShaped(feeds, fetches, targets).stream().map(Tensors.Shaped::values).toList();
  }

  /** As {@link #run}, each fetch with its run-time shape. */
  public List<Tensors.Shaped> runShaped(Map<Operand<?>, Tensor> feeds, List<? extends Operand<?>> fetches,
      Op... targets) {
    if (fetches.isEmpty() && targets.length == 0) {
      return List.of(); // nothing to run (a model without weights has none to read or set)
    }
    Session.Runner runner = session.runner();
    if (local) {
      runner.setOptions(OnCallingThread.OPTIONS); // these runs are small (reads, assigns) or a custom loop's step
    }
    feeds.forEach(runner::feed);
    // Each output fetched once (TensorFlow refuses a result with two of the same name).
    Map<Output<?>, Integer> index = new HashMap<>();
    for (Operand<?> f : fetches) {
      if (index.putIfAbsent(f.asOutput(), index.size()) == null) {
        runner.fetch(f);
      }
    }
    for (Op t : targets) {
      runner.addTarget(t);
    }
    List<Tensors.Shaped> out = new ArrayList<>();
    try (Result result = runner.run()) {
      for (Operand<?> f : fetches) {
        Tensor t = result.get(index.get(f.asOutput()));
        out.add(new Tensors.Shaped(t.shape().asArray(), Tensors.toFloats(t)));
      }
    }
    return out;
  }

  /**
   * A run of {@code targets} fetching {@code fetches}, fed {@code feeds} in this order, prepared
   * once for a loop that makes it at every step (a training step, a prediction batch).
   */
  public PreparedRun prepare(List<Operand<?>> feeds, List<? extends Operand<?>> fetches, Op... targets) {
    checkOpen();
    PreparedRun run = new PreparedRun(this, session, feeds, fetches, targets);
    prepared.add(run);
    return run;
  }

  /** {@link RunDispatch#ON_CALLING_THREAD} as TensorFlow Java's runner takes it, made at the first such run. */
  private static final class OnCallingThread {
    static final org.tensorflow.proto.RunOptions OPTIONS = parse();

    private static org.tensorflow.proto.RunOptions parse() {
      try {
        return org.tensorflow.proto.RunOptions.parseFrom(RunDispatch.ON_CALLING_THREAD);
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        throw new IllegalStateException(e); // the bytes are fixed and tested
      }
    }
  }

  boolean local() {
    return local;
  }

  java.util.concurrent.locks.Lock runs() {
    return runLock.readLock();
  }

  void checkOpen() {
    if (closed) {
      throw new IllegalStateException("this session is closed");
    }
  }

  /** Sets each variable to its value (fed through its placeholder), in one run. */
  public void assign(Map<TfGraph.State, float[]> values) {
    Map<Operand<?>, Tensor> feeds = new HashMap<>();
    List<Op> assigns = new ArrayList<>();
    try {
      values.forEach((state, v) -> {
        feeds.put(state.feed(), Tensors.of(v, state.shape()));
        assigns.add(state.assign());
      });
      run(feeds, List.of(), assigns.toArray(new Op[0]));
    } finally {
      feeds.values().forEach(Tensor::close);
    }
  }

  @Override
  public void close() {
    runLock.writeLock().lock(); // waits for prepared runs in progress
    try {
      if (closed) {
        return;
      }
      closed = true;
      prepared.forEach(PreparedRun::close);
      prepared.clear();
      session.close();
    } finally {
      runLock.writeLock().unlock();
    }
  }
}
