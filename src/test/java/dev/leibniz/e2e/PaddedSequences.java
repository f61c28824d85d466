package dev.leibniz.e2e;

import static dev.leibniz.dsl.Ops.add;
import static dev.leibniz.dsl.Ops.expandDims;
import static dev.leibniz.dsl.Ops.greater;
import static dev.leibniz.dsl.Ops.mean;
import static dev.leibniz.dsl.Ops.mul;
import static dev.leibniz.dsl.Ops.take;

import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Layer;
import dev.leibniz.dsl.Ops.WithState;
import dev.leibniz.dsl.Ops.WithStates;
import dev.leibniz.dsl.Tensor;
import dev.leibniz.layers.GRU;
import dev.leibniz.layers.LSTM;

/**
 * Recurrent layers over padded sequences (the mask is 1 where an input's first feature is
 * positive), and encoder-decoders: a layer's final states start another.
 */
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

  /** An LSTM encoder's output and final (h, c), the decoder started from them, as seq2seq does. */
  @Layer
  static final class LstmEncoderDecoder {
    final LSTM encoder = new LSTM(3);
    final LSTM decoder = new LSTM(3, true);

    @Call
    public Tensor call(Tensor source, Tensor target) {
      WithStates s = encoder.withStates(source);
      return add(decoder.from(target, s.h(), s.c()), expandDims(mul(s.output(), 0.5), 1));
    }
  }

  /** A GRU encoder returning its sequence and final state; the decoder starts from that state. */
  @Layer
  static final class GruEncoderDecoder {
    final GRU encoder = new GRU(2, true);
    final GRU decoder = new GRU(2);

    @Call
    public Tensor call(Tensor source, Tensor target) {
      WithState s = encoder.withState(source);
      return add(decoder.from(target, s.h()), mean(s.output(), 1, false));
    }
  }
}
