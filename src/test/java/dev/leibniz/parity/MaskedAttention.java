package dev.leibniz.parity;

import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Model;
import dev.leibniz.dsl.Tensor;
import dev.leibniz.layers.Dense;
import dev.leibniz.layers.MultiHeadAttention;

/** make_parity.py's "masked_attention": self-attention with a padding mask, then causal self-attention with it too. */
@Model
public final class MaskedAttention {
  final MultiHeadAttention first = new MultiHeadAttention(2, 3);
  final MultiHeadAttention second = new MultiHeadAttention(2, 3).withCausalMask();
  final Dense out = new Dense(2);

  @Call
  public Tensor call(Tensor x, Tensor mask) {
    Tensor a = first.masked(x, x, mask);
    return out.call(second.masked(a, a, mask));
  }
}
