package dev.leibniz.e2e;

import static dev.leibniz.dsl.Ops.mul;

import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Layer;
import dev.leibniz.dsl.Tensor;
import dev.leibniz.layers.Dense;

/** A sublayer called inside a branch of a second-order @Call (the processor once crashed on its backward's backward). */
@Layer
public final class BranchedSublayer {
  final boolean gated;
  final Dense inner = new Dense(3, "tanh");

  public BranchedSublayer(boolean gated) {
    this.gated = gated;
  }

  @Call(order = 2)
  public Tensor call(Tensor x) {
    Tensor y = x;
    if (gated) {
      y = inner.call(x);
    }
    return mul(y, y);
  }
}
