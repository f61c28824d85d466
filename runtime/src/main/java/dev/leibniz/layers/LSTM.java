package dev.leibniz.layers;

import static dev.leibniz.dsl.Ops.add;
import static dev.leibniz.dsl.Ops.addWeight;
import static dev.leibniz.dsl.Ops.matmul;
import static dev.leibniz.dsl.Ops.mul;
import static dev.leibniz.dsl.Ops.rnn;
import static dev.leibniz.dsl.Ops.rnnStates;
import static dev.leibniz.dsl.Ops.sigmoid;
import static dev.leibniz.dsl.Ops.slice;
import static dev.leibniz.dsl.Ops.tanh;

import dev.leibniz.dsl.Build;
import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Init;
import dev.leibniz.dsl.Layer;
import dev.leibniz.dsl.Ops.WithStates;
import dev.leibniz.dsl.Shape;
import dev.leibniz.dsl.Tensor;
import dev.leibniz.dsl.Variable;
import dev.leibniz.dsl.Weight;

/**
 * Keras's {@code LSTM} over sequences {@code [batch, steps, features]} of any length, returning
 * the last output {@code h}. Gates in Keras's order (input, forget, cell, output) in
 * one kernel {@code [features, 4 units]}; the forget gate's bias starts at 1 (Keras's
 * {@code unit_forget_bias}), stored in the bias as Keras stores it, so Keras's weights load as they are.
 */
@Layer
public final class LSTM {
  final int units;
  /** The sequence length it was made for, or -1: any (the loop runs as many steps as the input has). */
  final int steps;
  final boolean returnSequences;

  @Weight Variable kernel;
  @Weight Variable recurrentKernel;
  @Weight Variable bias;
  /** Whether the loop reads the input's product with the kernel, taken before it ({@link Recurrence#projectFirst}). */
  boolean projectFirst;

  /** With {@code returnSequences}, the output at every step {@code [batch, steps, units]} (to stack another). */
  public LSTM(int units, boolean returnSequences) {
    this(units, Recurrence.ANY_LENGTH, returnSequences);
  }

  /** Returns the last output {@code [batch, units]}, for sequences of any length. */
  public LSTM(int units) {
    this(units, false);
  }

  /** For sequences of {@code steps} steps only (a longer or shorter input is an error). */
  public LSTM(int units, int steps, boolean returnSequences) {
    Recurrence.check("LSTM", units, steps);
    this.units = units;
    this.steps = steps;
    this.returnSequences = returnSequences;
  }

  /** For sequences of {@code steps} steps only, returning the last output. */
  public LSTM(int units, int steps) {
    this(units, steps, false);
  }

  @Build
  void build(Shape input) {
    Recurrence.checkInput("LSTM", input, steps);
    kernel = addWeight("kernel", Shape.of(input.last(), 4L * units), Init.GLOROT_UNIFORM);
    recurrentKernel = addWeight("recurrent_kernel", Shape.of(units, 4L * units), Init.ORTHOGONAL);
    bias = addWeight("bias", Shape.of(4L * units), Init.UNIT_FORGET_BIAS);
    projectFirst = Recurrence.projectFirst(input, units);
  }

  @Call
  public Tensor call(Tensor x) {
    return rnn(this::loopStep, loopInput(x), returnSequences, units, units);
  }

  /**
   * Keras's {@code return_state=True}: the output and the final {@code h} and {@code c}, e.g. a
   * seq2seq encoder's ({@code WithStates s = encoder.withStates(x);} then {@code s.h()}, {@code s.c()}).
   */
  @Call
  public WithStates withStates(Tensor x) {
    return rnnStates(this::loopStep, loopInput(x), returnSequences, units, units);
  }

  /** From the states {@code h0} and {@code c0} instead of zeros (Keras's {@code initial_state}), e.g. a seq2seq decoder. */
  @Call
  public Tensor from(Tensor x, Tensor h0, Tensor c0) {
    return rnn(this::loopStep, loopInput(x), returnSequences, h0, c0);
  }

  /**
   * Over padded sequences: {@code mask} {@code [batch, steps]} is 1 at real steps; at padding the
   * state and the output stay what they were (Keras's masking, as after Embedding(mask_zero=True)).
   */
  @Call
  public Tensor masked(Tensor x, Tensor mask) {
    return rnn(this::loopStep, loopInput(x), mask, returnSequences, units, units);
  }

  /** An LSTM's state after a step: the output {@code h} and the cell {@code c}. */
  public record State(Tensor h, Tensor c) {}

  /** One step (Keras's LSTMCell): the new state from {@code x_t [batch, features]} and the previous one. */
  @Call
  public State step(Tensor x, Tensor h, Tensor c) {
    return recurrent(matmul(x, kernel), h, c);
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
  State loopStep(Tensor in, Tensor h, Tensor c) {
    Tensor xk = in;
    if (!projectFirst) {
      xk = matmul(in, kernel);
    }
    return recurrent(xk, h, c);
  }

  /** A step from its input's product {@code xk = x_t kernel}: the gates, the bias added after the recurrent product. */
  @Call
  private State recurrent(Tensor xk, Tensor h, Tensor c) {
    Tensor z = add(add(xk, matmul(h, recurrentKernel)), bias);
    Tensor input = sigmoid(slice(z, 1, 0, units));
    Tensor forget = sigmoid(slice(z, 1, units, 2 * units));
    Tensor candidate = tanh(slice(z, 1, 2 * units, 3 * units));
    Tensor output = sigmoid(slice(z, 1, 3 * units, 4 * units));
    Tensor cell = add(mul(forget, c), mul(input, candidate));
    return new State(mul(output, tanh(cell)), cell);
  }
}
