package dev.leibniz;

import dev.leibniz.tf.Collectives;
import dev.leibniz.tf.TfGraph;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * What the workers of a training step add up, in one all-reduce of one flat vector: the
 * gradients, losses and moving-statistic updates as means over every worker's samples (each
 * worker's batch mean weighted by its row count, divided by the rows of all: exact where shares
 * differ by a row), the metric statistics as plain sums. Built once per graph; {@link #add} each
 * part, then {@link #reduce}, then read each part's result.
 */
final class WorkerSum {
  private final Ops ops;
  private final Operand<TFloat32> rows;
  private final List<Operand<TFloat32>> parts = new ArrayList<>();
  private final List<Boolean> means = new ArrayList<>();
  private final List<Operand<TFloat32>> results = new ArrayList<>();

  /** {@code rows}: this worker's samples in the step (a float scalar). */
  WorkerSum(TfGraph graph, Operand<TFloat32> rows) {
    this.ops = graph.ops();
    this.rows = rows;
  }

  /** The rows (samples) of {@code x}'s batch, as a float scalar. */
  static Operand<TFloat32> rowsOf(Ops ops, Operand<TFloat32> x) {
    Operand<TInt64> shape = ops.shape(x, TInt64.class);
    Operand<TInt64> first = ops.reshape(ops.slice(shape, ops.constant(new long[] {0}), ops.constant(new long[] {1})),
        ops.constant(new long[0]));
    return ops.dtypes.cast(first, TFloat32.class);
  }

  /** A part to average over all the workers' samples (a batch mean); its index. */
  int mean(Operand<TFloat32> part) {
    return add(part, true);
  }

  /** A part to sum over the workers (a metric's counts); its index. */
  int sum(Operand<TFloat32> part) {
    return add(part, false);
  }

  private int add(Operand<TFloat32> part, boolean mean) {
    if (part.shape().hasUnknownDimension()) {
      throw new IllegalStateException("a value the workers add up has no static shape: " + part.shape());
    }
    parts.add(part);
    means.add(mean);
    return parts.size() - 1;
  }

  /** Builds the all-reduce across {@code groupSize} workers: one op, one vector of every part and the rows. */
  void reduce(int groupSize, int instanceKey, float timeoutSeconds) {
    List<Operand<TFloat32>> flat = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      // a worker with no rows in the step (the last batch smaller than the cluster) adds 0, not its NaN mean
      Operand<TFloat32> p = means.get(i) ? ops.math.mulNoNan(parts.get(i), rows) : parts.get(i);
      flat.add(ops.reshape(p, ops.constant(new long[] {-1})));
    }
    flat.add(ops.reshape(rows, ops.constant(new long[] {1})));
    Operand<TFloat32> summed = Collectives.allReduceSum(ops, ops.concat(flat, ops.constant(0)), groupSize, 1,
        instanceKey, timeoutSeconds);
    long at = 0;
    List<Operand<TFloat32>> sums = new ArrayList<>();
    for (Operand<TFloat32> p : parts) {
      sums.add(piece(summed, at, p.shape().asArray()));
      at += p.shape().size();
    }
    Operand<TFloat32> allRows = piece(summed, at, new long[0]);
    for (int i = 0; i < parts.size(); i++) {
      results.add(means.get(i) ? ops.math.div(sums.get(i), allRows) : sums.get(i));
    }
  }

  /** The elements of {@code flat} from {@code at}, as a tensor of {@code shape}. */
  private Operand<TFloat32> piece(Operand<TFloat32> flat, long at, long[] shape) {
    long size = 1;
    for (long d : shape) {
      size *= d;
    }
    return ops.reshape(ops.slice(flat, ops.constant(new long[] {at}), ops.constant(new long[] {size})),
        ops.constant(shape));
  }

  /** Part {@code index} summed (or averaged) over the workers, after {@link #reduce}. */
  Operand<TFloat32> result(int index) {
    return results.get(index);
  }
}
