package dev.leibniz.e2e;

import static dev.leibniz.dsl.Ops.lowerTriangle;
import static dev.leibniz.dsl.Ops.matmul;
import static dev.leibniz.dsl.Ops.onesLike;
import static dev.leibniz.dsl.Ops.take;
import static dev.leibniz.dsl.Ops.transpose;

import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Layer;
import dev.leibniz.dsl.Tensor;
import dev.leibniz.layers.GlobalAveragePooling1D;
import dev.leibniz.layers.MultiHeadAttention;

/** Layers around MultiHeadAttention and masked pooling for gradient checks. */
final class Attention {
  private Attention() {}

  /**
   * Self-attention with a padding mask made inside (sample i keeps its first i + 1 steps), so
   * that no 0/1 mask is an input for finite differences to perturb.
   */
  @Layer
  public static final class Padded {
    final MultiHeadAttention attention;

    public Padded(MultiHeadAttention attention) {
      this.attention = attention;
    }

    @Call
    public Tensor call(Tensor x) {
      return attention.masked(x, x, lowerTriangle(onesLike(take(x, 2, 0))));
    }
  }

  /** Self-attention with Keras's attention_mask [batch, T, S] made inside: step t sees steps up to t. */
  @Layer
  public static final class StepMasked {
    final MultiHeadAttention attention = new MultiHeadAttention(2, 3);

    @Call
    public Tensor call(Tensor x) {
      return attention.attentionMasked(x, x, lowerTriangle(onesLike(matmul(x, transpose(x, 0, 2, 1)))));
    }
  }

  /** GlobalAveragePooling1D's mean over the unmasked steps, with the same mask made inside. */
  @Layer
  public static final class PaddedPooling {
    final GlobalAveragePooling1D pooling = new GlobalAveragePooling1D();

    @Call
    public Tensor call(Tensor x) {
      return pooling.masked(x, lowerTriangle(onesLike(take(x, 2, 0))));
    }
  }
}
