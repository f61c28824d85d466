package dev.leibniz.tf;

import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * TensorFlow's collective ops across the workers of a {@link TfCluster}. The generated wrapper
 * named {@code CollectiveReduce} builds {@code CollectiveReduceV3} (communicator based), so the
 * ring all-reduce {@code CollectiveReduceV2}, which runs over gRPC between CPU workers, is built
 * by name.
 */
public final class Collectives {
  private Collectives() {}

  /**
   * The sum over the {@code groupSize} workers of each one's {@code x} (every worker builds the
   * same op with the same keys); fails with DEADLINE_EXCEEDED when a worker has not joined within
   * {@code timeoutSeconds}.
   */
  public static Operand<TFloat32> allReduceSum(Ops ops, Operand<TFloat32> x, int groupSize, int groupKey,
      int instanceKey, float timeoutSeconds) {
    var scope = ops.scope();
    return scope.apply(scope.env().opBuilder("CollectiveReduceV2", scope.makeOpName("all_reduce"), scope))
        .addInput(x.asOutput())
        .addInput(ops.constant(groupSize).asOutput())
        .addInput(ops.constant(groupKey).asOutput())
        .addInput(ops.constant(instanceKey).asOutput())
        .addInputList(new Output<?>[0])
        .setAttr("merge_op", "Add")
        .setAttr("final_op", "Id")
        .setAttr("communication_hint", "auto")
        .setAttr("timeout_seconds", timeoutSeconds)
        .build().output(0);
  }
}
