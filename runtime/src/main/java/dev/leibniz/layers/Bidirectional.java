package dev.leibniz.layers;

import static dev.leibniz.dsl.Ops.concat;
import static dev.leibniz.dsl.Ops.reverse;

import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Layer;
import dev.leibniz.dsl.Tensor;
import java.util.Objects;

/**
 * Keras's {@code Bidirectional} around a {@link SimpleRNN}, {@link LSTM} or {@link GRU}: the
 * given layer reads the sequence forwards, a copy of it (its own weights) reads it backwards, and
 * their outputs are concatenated on the last axis (Keras's default {@code merge_mode="concat"}):
 * {@code [batch, 2 units]}, or with {@code returnSequences} {@code [batch, steps, 2 units]}, the
 * backward layer's outputs put back in the sequence's order, as Keras. Weights: the forward
 * layer's, then the backward layer's (Keras's order and its {@code forward_layer} /
 * {@code backward_layer} groups in weights files).
 */
@Layer
public final class Bidirectional {
  /** Which kind of recurrent layer: the processor calls each through its own generated graph. */
  final int kind;
  final boolean returnSequences;
  final SimpleRNN forwardRnn;
  final SimpleRNN backwardRnn;
  final LSTM forwardLstm;
  final LSTM backwardLstm;
  final GRU forwardGru;
  final GRU backwardGru;

  private Bidirectional(int kind, boolean returnSequences, SimpleRNN rnn, LSTM lstm, GRU gru) {
    this.kind = kind;
    this.returnSequences = returnSequences;
    this.forwardRnn = rnn;
    this.backwardRnn = rnn == null ? null : new SimpleRNN(rnn.units, rnn.steps, rnn.returnSequences);
    this.forwardLstm = lstm;
    this.backwardLstm = lstm == null ? null : new LSTM(lstm.units, lstm.steps, lstm.returnSequences);
    this.forwardGru = gru;
    this.backwardGru = gru == null ? null : new GRU(gru.units, gru.steps, gru.returnSequences);
  }

  public Bidirectional(SimpleRNN layer) {
    this(0, Objects.requireNonNull(layer, "layer").returnSequences, layer, null, null);
  }

  public Bidirectional(LSTM layer) {
    this(1, Objects.requireNonNull(layer, "layer").returnSequences, null, layer, null);
  }

  public Bidirectional(GRU layer) {
    this(2, Objects.requireNonNull(layer, "layer").returnSequences, null, null, layer);
  }

  @Call
  public Tensor call(Tensor x) {
    Tensor backwards = reverse(x, 1);
    Tensor ahead = x;
    Tensor behind = x;
    if (kind == 0) {
      ahead = forwardRnn.call(x);
      behind = backwardRnn.call(backwards);
    } else if (kind == 1) {
      ahead = forwardLstm.call(x);
      behind = backwardLstm.call(backwards);
    } else {
      ahead = forwardGru.call(x);
      behind = backwardGru.call(backwards);
    }
    if (returnSequences) {
      behind = reverse(behind, 1);
    }
    return concat(ahead, behind, -1);
  }

  /** Over padded sequences ({@code mask} 1 at real steps): each direction skips the padding, as Keras's. */
  @Call
  public Tensor masked(Tensor x, Tensor mask) {
    Tensor backwards = reverse(x, 1);
    Tensor backwardMask = reverse(mask, 1);
    Tensor ahead = x;
    Tensor behind = x;
    if (kind == 0) {
      ahead = forwardRnn.masked(x, mask);
      behind = backwardRnn.masked(backwards, backwardMask);
    } else if (kind == 1) {
      ahead = forwardLstm.masked(x, mask);
      behind = backwardLstm.masked(backwards, backwardMask);
    } else {
      ahead = forwardGru.masked(x, mask);
      behind = backwardGru.masked(backwards, backwardMask);
    }
    if (returnSequences) {
      behind = reverse(behind, 1);
    }
    return concat(ahead, behind, -1);
  }
}
