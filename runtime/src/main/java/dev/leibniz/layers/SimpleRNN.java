package dev.leibniz.layers;

import static dev.leibniz.dsl.Ops.add;
import static dev.leibniz.dsl.Ops.addWeight;
import static dev.leibniz.dsl.Ops.matmul;
import static dev.leibniz.dsl.Ops.rnn;
import static dev.leibniz.dsl.Ops.rnnStates;
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
 * Keras's {@code SimpleRNN} over sequences {@code [batch, steps, features]} of any length:
 * {@code h = tanh(x_t W + h U + b)} from {@code h = 0}, returning the last {@code h}
 * ({@code [batch, units]}). The time loop is one loop op in the graph ({@code rnn}) around the
 * generated step; its backward runs the step's generated backward from the last step to the first.
 */
@Layer
public final class SimpleRNN {
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
  public SimpleRNN(int units, boolean returnSequences) {
    this(units, Recurrence.ANY_LENGTH, returnSequences);
  }

  /** Returns the last output {@code [batch, units]}, for sequences of any length. */
  public SimpleRNN(int units) {
    this(units, false);
  }

  /** For sequences of {@code steps} steps only (a longer or shorter input is an error). */
  public SimpleRNN(int units, int steps, boolean returnSequences) {
    Recurrence.check("SimpleRNN", units, steps);
    this.units = units;
    this.steps = steps;
    this.returnSequences = returnSequences;
  }

  /** For sequences of {@code steps} steps only, returning the last output. */
  public SimpleRNN(int units, int steps) {
    this(units, steps, false);
  }

  @Build
  void build(Shape input) {
    Recurrence.checkInput("SimpleRNN", input, steps);
    kernel = addWeight("kernel", Shape.of(input.last(), units), Init.GLOROT_UNIFORM);
    recurrentKernel = addWeight("recurrent_kernel", Shape.of(units, units), Init.ORTHOGONAL);
    bias = addWeight("bias", Shape.of(units), Init.ZEROS);
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

  /** One step (Keras's SimpleRNNCell): the new state from {@code x_t [batch, features]} and the previous one. */
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

  /** A step from its input's product {@code xk = x_t kernel}, the bias added after the recurrent product. */
  @Call
  private Tensor recurrent(Tensor xk, Tensor h) {
    return tanh(add(add(xk, matmul(h, recurrentKernel)), bias));
  }
}
