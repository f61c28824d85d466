package dev.leibniz.e2e;

import static dev.leibniz.dsl.Ops.greater;
import static dev.leibniz.dsl.Ops.take;

import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Layer;
import dev.leibniz.dsl.Tensor;
import dev.leibniz.layers.GRU;
import dev.leibniz.layers.LSTM;

/** Recurrent layers over padded sequences: the mask is 1 where an input's first feature is positive. */
final class PaddedSequences {
  private PaddedSequences() {}

  @Layer
  static final class PaddedLstm {
    final LSTM lstm = new LSTM(3, true);

    @Call
    public Tensor call(Tensor x) {
      return lstm.masked(x, greater(take(x, 2, 0), 0.0));
    }
  }

  @Layer
  static final class PaddedGru {
    final GRU gru = new GRU(2);

    @Call
    public Tensor call(Tensor x) {
      return gru.masked(x, greater(take(x, 2, 0), 0.0));
    }
  }
}
