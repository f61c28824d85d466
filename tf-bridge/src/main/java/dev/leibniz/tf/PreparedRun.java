package dev.leibniz.tf;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteTensor;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_Dim;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NumDims;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SessionRun;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.internal.c_api.TF_Operation;
import org.tensorflow.internal.c_api.TF_Output;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.internal.c_api.TF_Tensor;
import org.tensorflow.op.Op;

/**
 * One kind of session run, its feeds, fetches and targets fixed: the C API's arrays are filled
 * once, so each run puts its input tensors in, calls {@code TF_SessionRun} and copies the float
 * results out. TensorFlow Java's {@code Session.Runner} builds those arrays, a name per fetch, a
 * {@code Result} and a typed tensor per output on every run: a third of a small model's training
 * step in a fresh JVM, whose first steps run interpreted. Made by {@link TfSession#prepare}, which
 * closes it with the session. Runs from several threads at once (concurrent predictions on one
 * model) each take their own arrays for the tensors going in and out. Its ops run on the calling
 * thread or on TensorFlow's inter-op pool, whichever its first runs measured faster ({@link RunDispatch}).
 */
public final class PreparedRun {
  private final TfSession owner;
  private final TF_Session session;
  private final int feedCount;
  private final int targetCount;
  private final TF_Output inputs;
  /** Each fetch's place among the distinct outputs run (TensorFlow fetches each output once). */
  private final int[] fetchIndex;
  private final int distinct;
  private final TF_Output outputs;
  private final PointerPointer<TF_Operation> targetOps;
  /** On the calling thread or TensorFlow's inter-op pool, whichever this run measured faster. */
  private final RunDispatch dispatch;
  /** Arrays for runs to take, one per run in progress: a run puts its own back when done. */
  private final java.util.concurrent.ConcurrentLinkedDeque<Slot> free = new java.util.concurrent.ConcurrentLinkedDeque<>();
  private final java.util.List<Slot> all = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** One run's tensors in and out, and its status. */
  private static final class Slot {
    final PointerPointer<TF_Tensor> in;
    final PointerPointer<TF_Tensor> out;
    final TF_Status status = TF_Status.newStatus();

    Slot(int inputs, int outputs) {
      in = new PointerPointer<>(Math.max(1, inputs));
      out = new PointerPointer<>(Math.max(1, outputs));
    }

    void close() {
      in.close();
      out.close();
      status.close();
    }
  }

  PreparedRun(TfSession owner, Session session, List<Operand<?>> feeds, List<? extends Operand<?>> fetches,
      Op... targets) {
    this.owner = owner;
    this.session = TfInternals.session(session);
    this.dispatch = new RunDispatch(owner.local());
    this.feedCount = feeds.size();
    this.targetCount = targets.length;
    this.inputs = outputsOf(feeds);
    java.util.Map<org.tensorflow.Output<?>, Integer> index = new java.util.LinkedHashMap<>();
    this.fetchIndex = new int[fetches.size()];
    for (int i = 0; i < fetchIndex.length; i++) {
      fetchIndex[i] = index.computeIfAbsent(fetches.get(i).asOutput(), o -> index.size());
    }
    this.distinct = index.size();
    this.outputs = outputsOf(new ArrayList<>(index.keySet()));
    this.targetOps = new PointerPointer<>(Math.max(1, targets.length));
    for (int i = 0; i < targets.length; i++) {
      targetOps.put(i, ((GraphOperation) targets[i].op()).getUnsafeNativeHandle());
    }
  }

  /** The first value of each fetch (a loss, a metric's total), for {@code values} fed in order. */
  public float[] scalars(FeedTensor... values) {
    Slot slot = run(values);
    try {
      float[] out = new float[fetchIndex.length];
      for (int i = 0; i < out.length; i++) {
        out[i] = new FloatPointer(FeedTensor.floatData(slot.out.get(TF_Tensor.class, fetchIndex[i]))).get(0);
      }
      return out;
    } finally {
      done(slot);
    }
  }

  /** Each fetch, flat, with its run-time shape, for {@code values} fed in order. */
  public List<Tensors.Shaped> shaped(FeedTensor... values) {
    Slot slot = run(values);
    try {
      List<Tensors.Shaped> out = new ArrayList<>(fetchIndex.length);
      for (int i = 0; i < fetchIndex.length; i++) {
        TF_Tensor t = slot.out.get(TF_Tensor.class, fetchIndex[i]);
        long[] shape = new long[TF_NumDims(t)];
        long size = 1;
        for (int d = 0; d < shape.length; d++) {
          shape[d] = TF_Dim(t, d);
          size *= shape[d];
        }
        float[] flat = new float[Math.toIntExact(size)];
        new FloatPointer(FeedTensor.floatData(t)).get(flat);
        out.add(new Tensors.Shaped(shape, flat));
      }
      return out;
    } finally {
      done(slot);
    }
  }

  /** Runs with {@code values} in a slot of its own, which the caller reads, then hands to {@link #done}. */
  private Slot run(FeedTensor[] values) {
    if (values.length != feedCount) {
      throw new IllegalArgumentException("this run feeds " + feedCount + " tensors, got " + values.length);
    }
    owner.runs().lock(); // the session stays open until done() unlocks
    Slot slot = null;
    try {
      owner.checkOpen();
      slot = free.poll();
      if (slot == null) {
        slot = new Slot(feedCount, distinct);
        all.add(slot);
      }
      for (int i = 0; i < values.length; i++) {
        slot.in.put(i, values[i].handle());
      }
      int ticket = dispatch.begin();
      long start = System.nanoTime();
      TF_SessionRun(session, dispatch.options(ticket), inputs, slot.in, values.length, outputs, slot.out, distinct,
          targetOps, targetCount, null, slot.status);
      slot.status.throwExceptionIfNotOK(); // TensorFlow's own exception, as TensorFlow Java's runner throws
      dispatch.ran(ticket, System.nanoTime() - start);
      return slot;
    } catch (RuntimeException e) {
      if (slot != null) {
        free.push(slot);
      }
      owner.runs().unlock();
      throw e;
    }
  }

  /** The run's results are the caller's to delete: all of them, read or not; then the slot is free again. */
  private void done(Slot slot) {
    for (int i = 0; i < distinct; i++) {
      TF_DeleteTensor(slot.out.get(TF_Tensor.class, i));
    }
    free.push(slot);
    owner.runs().unlock();
  }

  /** Whether runs go on the calling thread: null while the first runs still try both ways. */
  Boolean onCallingThread() {
    return dispatch.chosen();
  }

  /** Frees the arrays; the session calls it once no run is in progress. */
  void close() {
    inputs.close();
    outputs.close();
    targetOps.close();
    all.forEach(Slot::close);
  }

  private static TF_Output outputsOf(List<? extends Operand<?>> operands) {
    TF_Output out = new TF_Output(Math.max(1, operands.size()));
    for (int i = 0; i < operands.size(); i++) {
      org.tensorflow.Output<?> o = operands.get(i).asOutput();
      out.getPointer(i).oper(((GraphOperation) o.op()).getUnsafeNativeHandle()).index(o.index());
    }
    return out;
  }
}
