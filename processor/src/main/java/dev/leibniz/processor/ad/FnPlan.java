package dev.leibniz.processor.ad;

import dev.leibniz.processor.ir.Block;
import dev.leibniz.processor.ir.Builder;
import dev.leibniz.processor.ir.Fn;
import java.util.List;
import java.util.Map;

/**
 * Everything the generator writes for one {@code @Call}: the simplified forward, its backward
 * from the adjoints {@code seeds} of its outputs (one, or one per component of a record), the adjoint of each input and weight that has one (absent: a
 * symbolic zero), the {@link Tape} of forward values the backward reads, and for
 * {@code order = 2} the gradient and the gradient of the gradient as self-contained blocks
 * (static functions) and the backward of the backward (null otherwise). {@code nodes} knows every node.
 */
public record FnPlan(Fn forward, Block backward, List<Integer> seeds, Map<Integer, Integer> adjoints, Tape tape,
    Whole grad, Whole grad2, Hvp hvp, SecondBackward secondBackward, Builder nodes) {

  /** A block computing gradients from the inputs alone. */
  public record Whole(Block block, Map<Integer, Integer> adjoints) {}

  /**
   * The Hessian-vector product: {@code whole} computes, from the inputs and one vector per input
   * ({@code vectors}: input id to the vector's node), the gradient of sum_j sum(grad_j * v_j).
   */
  public record Hvp(Whole whole, Map<Integer, Integer> vectors) {}

  /**
   * The backward of the backward ({@code order = 2}): {@code whole} computes, from the inputs, the
   * seed of the backward ({@code seed}) and the adjoints of the input gradients it gave
   * ({@code inputAdjoints}: input id to that adjoint's node), the gradients of the inputs, the
   * weights and the seed.
   */
  public record SecondBackward(Whole whole, int seed, Map<Integer, Integer> inputAdjoints) {}
}
