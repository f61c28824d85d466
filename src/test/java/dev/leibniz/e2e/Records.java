package dev.leibniz.e2e;

import static dev.leibniz.dsl.Ops.*;

import dev.leibniz.dsl.Build;
import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Init;
import dev.leibniz.dsl.Layer;
import dev.leibniz.dsl.Shape;
import dev.leibniz.dsl.Tensor;
import dev.leibniz.dsl.Variable;
import dev.leibniz.dsl.Weight;
import dev.leibniz.layers.Dense;

/** Layers with several outputs (a record of tensors), and layers that use them. */
final class Records {
  private Records() {}

  /** An encoder's two heads, as a VAE has them. */
  record MeanAndLogVar(Tensor mean, Tensor logVar) {}

  @Layer
  static final class Encoder {
    final Dense hidden = new Dense(4, "tanh");
    final Dense mean = new Dense(2);
    final Dense logVar = new Dense(2);

    @Call
    public MeanAndLogVar call(Tensor x) {
      Tensor h = hidden.call(x);
      return new MeanAndLogVar(mean.call(h), logVar.call(h));
    }
  }

  /** Uses both outputs of the encoder. */
  @Layer
  static final class BothHeads {
    final Encoder encoder = new Encoder();

    @Call
    public Tensor call(Tensor x) {
      MeanAndLogVar e = encoder.call(x);
      return mul(e.mean(), exp(e.logVar()));
    }
  }

  /** Uses one output: the other's gradient is a symbolic zero. */
  @Layer
  static final class OneHead {
    final Encoder encoder = new Encoder();

    @Call
    public Tensor call(Tensor x) {
      var e = encoder.call(x);
      return square(e.logVar());
    }
  }

  /** An LSTM-like cell's state. */
  record State(Tensor h, Tensor c) {}

  /** One step: (x, h, c) to the next (h, c). */
  @Layer
  static final class Cell {
    final int units;
    @Weight Variable kernel;
    @Weight Variable recurrent;

    Cell(int units) {
      this.units = units;
    }

    @Build
    void build(Shape x, Shape h, Shape c) {
      kernel = addWeight("kernel", Shape.of(x.last(), 2L * units), Init.GLOROT_UNIFORM);
      recurrent = addWeight("recurrent", Shape.of(units, 2L * units), Init.ORTHOGONAL);
    }

    @Call
    public State call(Tensor x, Tensor h, Tensor c) {
      Tensor z = add(matmul(x, kernel), matmul(h, recurrent));
      Tensor next = add(mul(sigmoid(slice(z, 1, 0, units)), c), tanh(slice(z, 1, units, 2 * units)));
      return new State(mul(tanh(next), sigmoid(slice(z, 1, 0, units))), next);
    }
  }

  /** The cell over the steps of a sequence [batch, 3, features]; the last h. */
  @Layer
  static final class CellLoop {
    final Cell cell = new Cell(3);

    @Call
    public Tensor call(Tensor seq) {
      Tensor h = mul(sum(take(seq, 1, 0), 1, true), zeros(1, 3));
      Tensor c = h;
      for (int t = 0; t < 3; t++) {
        State s = cell.call(take(seq, 1, t), h, c);
        h = s.h();
        c = s.c();
      }
      return add(h, c);
    }
  }
}
