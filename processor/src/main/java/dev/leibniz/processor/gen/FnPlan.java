package dev.leibniz.processor.gen;

import dev.leibniz.processor.ir.Block;
import dev.leibniz.processor.ir.Builder;
import dev.leibniz.processor.ir.Fn;
import java.util.Map;

/**
 * Everything the generator writes for one {@code @Call}: the simplified forward, its backward
 * from the adjoint {@code seed}, and for static functions the gradient and the gradient of the
 * gradient as self-contained blocks (null where not generated). Adjoint maps go from an input
 * or weight id to the id of its gradient. {@code nodes} knows every node.
 */
public record FnPlan(Fn forward, Block backward, int seed, Map<Integer, Integer> adjoints,
    Whole grad, Whole grad2, Builder nodes) {

  /** A block computing gradients from the inputs alone. */
  public record Whole(Block block, Map<Integer, Integer> adjoints) {}
}
