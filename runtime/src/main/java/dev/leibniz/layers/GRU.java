package dev.leibniz.layers;

import static dev.leibniz.dsl.Ops.add;
import static dev.leibniz.dsl.Ops.addWeight;
import static dev.leibniz.dsl.Ops.matmul;
import static dev.leibniz.dsl.Ops.mul;
import static dev.leibniz.dsl.Ops.rnn;
import static dev.leibniz.dsl.Ops.rnnStates;
import static dev.leibniz.dsl.Ops.sigmoid;
import static dev.leibniz.dsl.Ops.slice;
import static dev.leibniz.dsl.Ops.sub;
import static dev.leibniz.dsl.Ops.take;
import static dev.leibniz.dsl.Ops.tanh;

import dev.leibniz.dsl.Build;
import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Init;
import dev.leibniz.dsl.Layer;
import dev.leibniz.dsl.Ops.WithState;
import dev.leibniz.dsl.Shape;
import dev.leibniz.dsl.Tensor;
import dev.leibniz.dsl.Variable;
import dev.leibniz.dsl.Weight;

/**
 * Keras's {@code GRU} (its default {@code reset_after=True} form) over sequences
 * {@code [batch, steps, features]} of any length, returning the last {@code h}. Gates in
 * Keras's order (update z, reset r, candidate) in one kernel {@code [features, 3 units]}:
 * {@code hh = tanh(x Wh + bh + r (h Uh + uh))}, {@code h = z h + (1 - z) hh}.
 */
@Layer
public final class GRU {
  final int units;
  /** The sequence length it was made for, or -1: any (the loop runs as many steps as the input has). */
  final int steps;
  final boolean returnSequences;

  @Weight Variable kernel;
  @Weight Variable recurrentKernel;
  /** Keras's layout: row 0 the input side's bias, row 1 the recurrent side's. */
  @Weight Variable bias;
  /** Whether the loop reads the input's product with the kernel, taken before it ({@link Recurrence#projectFirst}). */
  boolean projectFirst;

  /** With {@code returnSequences}, the output at every step {@code [batch, steps, units]} (to stack another). */
  public GRU(int units, boolean returnSequences) {
    this(units, Recurrence.ANY_LENGTH, returnSequences);
  }

  /** Returns the last output {@code [batch, units]}, for sequences of any length. */
  public GRU(int units) {
    this(units, false);
  }

  /** For sequences of {@code steps} steps only (a longer or shorter input is an error). */
  public GRU(int units, int steps, boolean returnSequences) {
    Recurrence.check("GRU", units, steps);
    this.units = units;
    this.steps = steps;
    this.returnSequences = returnSequences;
  }

  /** For sequences of {@code steps} steps only, returning the last output. */
  public GRU(int units, int steps) {
    this(units, steps, false);
  }

  @Build
  void build(Shape input) {
    Recurrence.checkInput("GRU", input, steps);
    kernel = addWeight("kernel", Shape.of(input.last(), 3L * units), Init.GLOROT_UNIFORM);
    recurrentKernel = addWeight("recurrent_kernel", Shape.of(units, 3L * units), Init.ORTHOGONAL);
    bias = addWeight("bias", Shape.of(2, 3L * units), Init.ZEROS);
    projectFirst = Recurrence.projectFirst(input, units);
  }

  @Call
  public Tensor call(Tensor x) {
    return rnn(this::loopStep, loopInput(x), returnSequences, units);
  }

  /**
   * Keras's {@code return_state=True}: the output and the final state {@code h}, e.g. a seq2seq
   * encoder's ({@code WithState s = encoder.withState(x);} then {@code s.h()}).
   */
  @Call
  public WithState withState(Tensor x) {
    return rnnStates(this::loopStep, loopInput(x), returnSequences, units);
  }

  /** From the state {@code h0} instead of zeros (Keras's {@code initial_state}), e.g. a seq2seq decoder. */
  @Call
  public Tensor from(Tensor x, Tensor h0) {
    return rnn(this::loopStep, loopInput(x), returnSequences, h0);
  }

  /**
   * Over padded sequences: {@code mask} {@code [batch, steps]} is 1 at real steps; at padding the
   * state and the output stay what they were (Keras's masking, as after Embedding(mask_zero=True)).
   */
  @Call
  public Tensor masked(Tensor x, Tensor mask) {
    return rnn(this::loopStep, loopInput(x), mask, returnSequences, units);
  }

  /** One step (Keras's GRUCell, reset after the recurrent product): the new state from {@code x_t} and the previous one. */
  @Call
  public Tensor step(Tensor x, Tensor h) {
    return recurrent(matmul(x, kernel), h);
  }

  /** What the loop reads: {@code x}, or its product with the kernel for every step ({@link Recurrence#projectFirst}). */
  @Call
  private Tensor loopInput(Tensor x) {
    Tensor in = x;
    if (projectFirst) {
      in = matmul(x, kernel);
    }
    return in;
  }

  /** The loop's step: {@link #step} on what {@link #loopInput} gave for this step. */
  @Call
  Tensor loopStep(Tensor in, Tensor h) {
    Tensor xk = in;
    if (!projectFirst) {
      xk = matmul(in, kernel);
    }
    return recurrent(xk, h);
  }

  /** A step from its input's product {@code xk = x_t kernel}. */
  @Call
  private Tensor recurrent(Tensor xk, Tensor h) {
    Tensor xz = add(xk, take(bias, 0, 0));
    Tensor hz = add(matmul(h, recurrentKernel), take(bias, 0, 1));
    Tensor z = sigmoid(add(slice(xz, 1, 0, units), slice(hz, 1, 0, units)));
    Tensor r = sigmoid(add(slice(xz, 1, units, 2 * units), slice(hz, 1, units, 2 * units)));
    Tensor hh = tanh(add(slice(xz, 1, 2 * units, 3 * units), mul(r, slice(hz, 1, 2 * units, 3 * units))));
    return add(mul(z, h), mul(sub(1.0, z), hh));
  }
}
