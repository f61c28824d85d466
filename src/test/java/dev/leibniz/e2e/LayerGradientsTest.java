package dev.leibniz.e2e;

import static dev.leibniz.e2e.GradCheckTest.assertClose;
import static dev.leibniz.e2e.GradCheckTest.d;
import static dev.leibniz.e2e.GradCheckTest.isNull;
import static dev.leibniz.e2e.GradCheckTest.s;

import dev.leibniz.dsl.Padding;
import dev.leibniz.layers.Add;
import dev.leibniz.layers.Conv1D;
import dev.leibniz.layers.Conv1D_Graph;
import dev.leibniz.layers.Conv2DTranspose;
import dev.leibniz.layers.GlobalAveragePooling2D;
import dev.leibniz.layers.GlobalAveragePooling2D_Graph;
import dev.leibniz.layers.GlobalMaxPooling1D;
import dev.leibniz.layers.GlobalMaxPooling1D_Graph;
import dev.leibniz.layers.LayerNormalization;
import dev.leibniz.layers.LayerNormalization_Graph;
import dev.leibniz.layers.MaxPooling1D;
import dev.leibniz.layers.Bidirectional;
import dev.leibniz.layers.Bidirectional_Graph;
import dev.leibniz.layers.MultiHeadAttention;
import dev.leibniz.layers.PositionEmbedding;
import dev.leibniz.layers.PositionEmbedding_Graph;
import dev.leibniz.layers.MultiHeadAttention_Graph;
import dev.leibniz.layers.MaxPooling1D_Graph;
import dev.leibniz.layers.Dense;
import dev.leibniz.layers.Dense_Graph;
import dev.leibniz.layers.Conv2DTranspose_Graph;
import dev.leibniz.layers.LeakyReLU;
import dev.leibniz.layers.LeakyReLU_Graph;
import dev.leibniz.layers.Rescaling;
import dev.leibniz.layers.Rescaling_Graph;
import dev.leibniz.layers.UpSampling2D;
import dev.leibniz.layers.UpSampling2D_Graph;
import dev.leibniz.layers.Add_Graph;
import dev.leibniz.layers.AveragePooling2D;
import dev.leibniz.layers.AveragePooling2D_Graph;
import dev.leibniz.layers.BatchNormalization;
import dev.leibniz.layers.BatchNormalization_Graph;
import dev.leibniz.layers.Concatenate;
import dev.leibniz.layers.Concatenate_Graph;
import dev.leibniz.layers.Conv2D;
import dev.leibniz.layers.Conv2D_Graph;
import dev.leibniz.layers.Embedding;
import dev.leibniz.layers.Embedding_Graph;
import dev.leibniz.layers.GRU;
import dev.leibniz.layers.GRU_Graph;
import dev.leibniz.layers.LSTM;
import dev.leibniz.layers.LSTM_Graph;
import dev.leibniz.layers.SimpleRNN;
import dev.leibniz.layers.SimpleRNN_Graph;
import dev.leibniz.tf.Forward;
import dev.leibniz.tf.LayerGraph;
import dev.leibniz.tf.Tensors;
import dev.leibniz.tf.Tf;
import dev.leibniz.tf.TfGraph;
import dev.leibniz.tf.TfSession;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Tensor;
import org.tensorflow.types.TFloat32;

/**
 * The library's layers end to end: the generated backward (input gradients and every weight's
 * gradient) against central finite differences and against TensorFlow's Graph.addGradients on
 * the same forward graph. The recurrent layers' time loops are unrolled while the graph is built,
 * so TensorFlow can differentiate them too; batch normalization is checked in training mode,
 * where its gradient flows through the batch statistics.
 */
class LayerGradientsTest {
  /**
   * A layer, its input shapes, whether to run in training mode, whether the last input holds ids,
   * and how the oracle gets the layer's output (null: the layer's own forward).
   */
  record Case(String name, Object layer, LayerGraph<?> graph, long[][] shapes, boolean training, boolean ids,
      Oracle oracle) {
    Case(String name, Object layer, LayerGraph<?> graph, long[][] shapes, boolean training, boolean ids) {
      this(name, layer, graph, shapes, training, ids, null);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /**
   * The layer's output built for TensorFlow's gradients. A recurrent layer runs its step in a loop
   * op, which {@code Graph.addGradients} cannot differentiate: the oracle unrolls the same
   * generated step with a Java loop on the same weights, and TensorFlow differentiates that.
   */
  interface Oracle {
    /** Null: no TensorFlow oracle (finite differences only). */
    Operand<TFloat32> output(TfGraph state, List<Operand<TFloat32>> inputs);
  }

  /** A layer whose loops sit inside sublayers the test cannot reach: finite differences only (each loop is checked above). */
  static final Oracle FINITE_DIFFERENCES_ONLY = (state, inputs) -> null;

  /** {@code step} unrolled over the input's steps from zero states of {@code sizes}: the last output, or all of them. */
  static Oracle unrolled(boolean sequences, int[] sizes, Tf.Step step) {
    return unrolled(sequences, sizes, step, false);
  }

  /**
   * The same; where {@code padded}, a step whose first input feature is not positive keeps every
   * state, as Keras's masking (by a select, which TensorFlow differentiates).
   */
  static Oracle unrolled(boolean sequences, int[] sizes, Tf.Step step, boolean padded) {
    return (state, inputs) -> {
      org.tensorflow.op.Ops o = state.ops();
      long batch = inputs.get(0).shape().size(0);
      List<Operand<TFloat32>> zeros = new ArrayList<>();
      for (int size : sizes) {
        zeros.add(o.zeros(o.constant(new long[] {batch, size}), TFloat32.class));
      }
      Unrolled u = unroll(state, inputs.get(0), zeros, step, padded);
      return sequences ? u.sequence(o) : u.states().get(0);
    };
  }

  /** A step unrolled: each step's output, and the final states. */
  record Unrolled(List<Operand<TFloat32>> outputs, List<Operand<TFloat32>> states) {
    Operand<TFloat32> sequence(org.tensorflow.op.Ops o) {
      return o.stack(outputs, org.tensorflow.op.core.Stack.axis(1L));
    }
  }

  static Unrolled unroll(TfGraph state, Operand<TFloat32> x, List<Operand<TFloat32>> initial, Tf.Step step,
      boolean padded) {
    org.tensorflow.op.Ops o = state.ops();
    List<Operand<TFloat32>> states = initial;
    List<Operand<TFloat32>> outputs = new ArrayList<>();
    for (int t = 0; t < x.shape().size(1); t++) {
      Operand<TFloat32> xt = o.gather(x, o.constant(t), o.constant(1));
      List<Operand<TFloat32>> next = step.call(state.tf(), xt, states).outputs();
      if (padded) {
        Operand<org.tensorflow.types.TBool> keep = o.math.greater(
            o.slice(xt, o.constant(new int[] {0, 0}), o.constant(new int[] {-1, 1})), o.constant(0f));
        List<Operand<TFloat32>> kept = new ArrayList<>();
        for (int k = 0; k < next.size(); k++) {
          kept.add(o.select(keep, next.get(k), states.get(k)));
        }
        next = kept;
      }
      states = next;
      outputs.add(states.get(0));
    }
    return new Unrolled(outputs, states);
  }

  /** The encoder-decoders of {@link PaddedSequences}, unrolled: the decoder from the encoder's final states. */
  static Oracle encoderDecoder(boolean lstm) {
    return (state, inputs) -> {
      org.tensorflow.op.Ops o = state.ops();
      long batch = inputs.get(0).shape().size(0);
      int units = lstm ? 3 : 2;
      List<Operand<TFloat32>> zeros = new ArrayList<>();
      for (int k = 0; k < (lstm ? 2 : 1); k++) {
        zeros.add(o.zeros(o.constant(new long[] {batch, units}), TFloat32.class));
      }
      if (lstm) {
        Unrolled enc = unroll(state, inputs.get(0), zeros,
            (tf, x, h) -> LSTM_Graph.step(tf, LSTM_SEQ2SEQ.encoder, x, h.get(0), h.get(1)), false);
        Unrolled dec = unroll(state, inputs.get(1), enc.states(),
            (tf, x, h) -> LSTM_Graph.step(tf, LSTM_SEQ2SEQ.decoder, x, h.get(0), h.get(1)), false);
        return o.math.add(dec.sequence(o), o.expandDims(o.math.mul(enc.states().get(0), o.constant(0.5f)),
            o.constant(1)));
      }
      Unrolled enc = unroll(state, inputs.get(0), zeros,
          (tf, x, h) -> GRU_Graph.step(tf, GRU_SEQ2SEQ.encoder, x, h.get(0)), false);
      Unrolled dec = unroll(state, inputs.get(1), enc.states(),
          (tf, x, h) -> GRU_Graph.step(tf, GRU_SEQ2SEQ.decoder, x, h.get(0)), false);
      return o.math.add(dec.states().get(0), o.math.mean(enc.sequence(o), o.constant(1)));
    };
  }

  static Case recurrent(String name, Object layer, LayerGraph<?> graph, long[] shape, boolean sequences, int[] sizes,
      Tf.Step step) {
    return new Case(name, layer, graph, s(shape), false, false, unrolled(sequences, sizes, step));
  }

  private static final SimpleRNN RNN = new SimpleRNN(3, 4);
  private static final LSTM LSTM3 = new LSTM(3);
  // As many input features as units or more: the input's product is taken before the loop (Recurrence.projectFirst).
  private static final LSTM LSTM_WIDE = new LSTM(3);
  private static final GRU GRU_WIDE = new GRU(3);
  private static final SimpleRNN RNN_WIDE = new SimpleRNN(3, true);
  private static final GRU GRU3 = new GRU(3, 3);
  private static final SimpleRNN RNN_SEQUENCES = new SimpleRNN(3, 4, true);
  private static final LSTM LSTM_SEQUENCES = new LSTM(2, true);
  private static final PaddedSequences.PaddedLstm PADDED_LSTM = new PaddedSequences.PaddedLstm();
  private static final PaddedSequences.PaddedGru PADDED_GRU = new PaddedSequences.PaddedGru();
  private static final PaddedSequences.LstmEncoderDecoder LSTM_SEQ2SEQ = new PaddedSequences.LstmEncoderDecoder();
  private static final PaddedSequences.GruEncoderDecoder GRU_SEQ2SEQ = new PaddedSequences.GruEncoderDecoder();

  static Stream<Case> cases() {
    return Stream.of(
        recurrent("SimpleRNN(3) over 4 steps", RNN, SimpleRNN_Graph.LAYER, d(2, 4, 2), false, new int[] {3},
            (tf, x, h) -> SimpleRNN_Graph.step(tf, RNN, x, h.get(0))),
        recurrent("LSTM(3) over 1 step", LSTM3, LSTM_Graph.LAYER, d(2, 1, 2), false, new int[] {3, 3},
            (tf, x, h) -> LSTM_Graph.step(tf, LSTM3, x, h.get(0), h.get(1))),
        recurrent("LSTM(3) over 3 steps", LSTM3, LSTM_Graph.LAYER, d(2, 3, 2), false, new int[] {3, 3},
            (tf, x, h) -> LSTM_Graph.step(tf, LSTM3, x, h.get(0), h.get(1))),
        recurrent("GRU(3) over 3 steps", GRU3, GRU_Graph.LAYER, d(2, 3, 2), false, new int[] {3},
            (tf, x, h) -> GRU_Graph.step(tf, GRU3, x, h.get(0))),
        recurrent("LSTM(3) over 3 steps of 4 features (the input's product before the loop)", LSTM_WIDE,
            LSTM_Graph.LAYER, d(2, 3, 4), false, new int[] {3, 3},
            (tf, x, h) -> LSTM_Graph.step(tf, LSTM_WIDE, x, h.get(0), h.get(1))),
        recurrent("GRU(3) over 3 steps of 3 features (the input's product before the loop)", GRU_WIDE, GRU_Graph.LAYER,
            d(2, 3, 3), false, new int[] {3}, (tf, x, h) -> GRU_Graph.step(tf, GRU_WIDE, x, h.get(0))),
        recurrent("SimpleRNN(3) returning sequences of 4 features (the input's product before the loop)", RNN_WIDE,
            SimpleRNN_Graph.LAYER, d(2, 4, 4), true, new int[] {3}, (tf, x, h) -> SimpleRNN_Graph.step(tf, RNN_WIDE, x,
                h.get(0))),
        new Case("LSTM(3) over padding, returning sequences", PADDED_LSTM, PaddedSequences_PaddedLstm_Graph.LAYER,
            s(d(2, 5, 2)), false, false, unrolled(true, new int[] {3, 3},
                (tf, x, h) -> LSTM_Graph.step(tf, PADDED_LSTM.lstm, x, h.get(0), h.get(1)), true)),
        new Case("GRU(2) over padding", PADDED_GRU, PaddedSequences_PaddedGru_Graph.LAYER, s(d(3, 4, 2)), false, false,
            unrolled(false, new int[] {2}, (tf, x, h) -> GRU_Graph.step(tf, PADDED_GRU.gru, x, h.get(0)), true)),
        new Case("an LSTM decoder from an LSTM encoder's final states", LSTM_SEQ2SEQ,
            PaddedSequences_LstmEncoderDecoder_Graph.LAYER, s(d(2, 4, 2), d(2, 3, 2)), false, false,
            encoderDecoder(true)),
        new Case("a GRU decoder from a GRU encoder's final state and sequence", GRU_SEQ2SEQ,
            PaddedSequences_GruEncoderDecoder_Graph.LAYER, s(d(2, 4, 2), d(2, 3, 2)), false, false,
            encoderDecoder(false)),
        recurrent("SimpleRNN(3) returning sequences", RNN_SEQUENCES, SimpleRNN_Graph.LAYER, d(2, 4, 2), true,
            new int[] {3}, (tf, x, h) -> SimpleRNN_Graph.step(tf, RNN_SEQUENCES, x, h.get(0))),
        recurrent("LSTM(2) returning sequences, any length", LSTM_SEQUENCES, LSTM_Graph.LAYER, d(2, 3, 2), true,
            new int[] {2, 2}, (tf, x, h) -> LSTM_Graph.step(tf, LSTM_SEQUENCES, x, h.get(0), h.get(1))),
        new Case("Conv2D(3, 2x3, strides 2x1, same, tanh)",
            new Conv2D(3, 2, 3, 2, 1, Padding.SAME, dev.leibniz.dsl.Activations.TANH, true), Conv2D_Graph.LAYER,
            s(d(2, 5, 4, 2)), false, false),
        new Case("BatchNormalization in training", new BatchNormalization(0.9, 1e-3), BatchNormalization_Graph.LAYER,
            s(d(4, 3)), true, false),
        new Case("BatchNormalization over [2,3,3,2] in training", new BatchNormalization(), BatchNormalization_Graph.LAYER,
            s(d(2, 3, 3, 2)), true, false),
        new Case("Embedding(5, 3)", new Embedding(5, 3), Embedding_Graph.LAYER, s(d(2, 4)), false, true),
        new Case("Concatenate", new Concatenate(), Concatenate_Graph.LAYER, s(d(2, 3), d(2, 2)), false, false),
        new Case("Add", new Add(), Add_Graph.LAYER, s(d(2, 3), d(2, 3)), false, false),
        new Case("AveragePooling2D(2)", new AveragePooling2D(2), AveragePooling2D_Graph.LAYER, s(d(1, 4, 4, 2)), false,
            false),
        new Case("Conv2DTranspose(3, 3x3, strides 2, same, tanh)",
            new Conv2DTranspose(3, 3, 2, Padding.SAME, "tanh"), Conv2DTranspose_Graph.LAYER, s(d(2, 3, 3, 2)), false,
            false),
        new Case("Conv2DTranspose(2, 2x3, strides 2x1, valid)", new Conv2DTranspose(2, 2, 3, 2, 1, Padding.VALID,
            dev.leibniz.dsl.Activations.LINEAR, true), Conv2DTranspose_Graph.LAYER, s(d(2, 3, 2, 2)), false, false),
        new Case("UpSampling2D(2, 3)", new UpSampling2D(2, 3), UpSampling2D_Graph.LAYER, s(d(2, 2, 3, 2)), false, false),
        new Case("LeakyReLU(0.2)", new LeakyReLU(0.2), LeakyReLU_Graph.LAYER, s(d(3, 4)), false, false),
        new Case("Rescaling(0.5, -1)", new Rescaling(0.5, -1), Rescaling_Graph.LAYER, s(d(3, 4)), false, false),
        new Case("Dense(3, tanh) on [2,4,5] (every step)", new Dense(3, "tanh"), Dense_Graph.LAYER, s(d(2, 4, 5)), false,
            false),
        new Case("GlobalAveragePooling2D", new GlobalAveragePooling2D(), GlobalAveragePooling2D_Graph.LAYER,
            s(d(2, 3, 3, 2)), false, false),
        new Case("GlobalMaxPooling1D (distinct)", new GlobalMaxPooling1D(), GlobalMaxPooling1D_Graph.LAYER, s(d(2, 5, 3)), false,
            false),
        new Case("LayerNormalization over [2,3,4]", new LayerNormalization(), LayerNormalization_Graph.LAYER,
            s(d(2, 3, 4)), false, false),
        new Case("Conv1D(3, 3, stride 2, same, tanh)", new Conv1D(3, 3, 2, Padding.SAME, dev.leibniz.dsl.Activations.TANH,
            true), Conv1D_Graph.LAYER, s(d(2, 7, 2)), false, false),
        new Case("MaxPooling1D(2) (distinct)", new MaxPooling1D(2), MaxPooling1D_Graph.LAYER, s(d(2, 6, 3)), false, false),
        new Case("Bidirectional(LSTM(3, 4, returnSequences))", new Bidirectional(new LSTM(3, 4, true)),
            Bidirectional_Graph.LAYER, s(d(2, 4, 2)), false, false, FINITE_DIFFERENCES_ONLY),
        new Case("Bidirectional(GRU(2, 3))", new Bidirectional(new GRU(2, 3)), Bidirectional_Graph.LAYER, s(d(2, 3, 2)),
            false, false, FINITE_DIFFERENCES_ONLY),
        new Case("Bidirectional(SimpleRNN(2, 3))", new Bidirectional(new SimpleRNN(2, 3)), Bidirectional_Graph.LAYER,
            s(d(2, 3, 2)), false, false, FINITE_DIFFERENCES_ONLY),
        new Case("GlobalAveragePooling1D, masked", new Attention.PaddedPooling(), Attention_PaddedPooling_Graph.LAYER,
            s(d(2, 4, 3)), false, false),
        new Case("PositionEmbedding(6) over [2,4,3]", new PositionEmbedding(6), PositionEmbedding_Graph.LAYER,
            s(d(2, 4, 3)), false, false),
        new Case("MultiHeadAttention(2, 3): [2,4,5] attends to [2,6,4]", new MultiHeadAttention(2, 3),
            MultiHeadAttention_Graph.LAYER, s(d(2, 4, 5), d(2, 6, 4)), false, false),
        new Case("MultiHeadAttention(2, 3), attention dropout 0.4 in training",
            new MultiHeadAttention(2, 3).withDropout(0.4), MultiHeadAttention_Graph.LAYER, s(d(2, 3, 4), d(2, 5, 4)),
            true, false),
        new Case("MultiHeadAttention(3, 2, valueDim 4), causal", new MultiHeadAttention(3, 2, 4, true),
            MultiHeadAttention_Graph.LAYER, s(d(2, 4, 3), d(2, 4, 3)), false, false),
        new Case("MultiHeadAttention(2, 3), attention mask [batch, T, S]", new Attention.StepMasked(),
            Attention_StepMasked_Graph.LAYER, s(d(2, 4, 3)), false, false),
        new Case("MultiHeadAttention(2, 3), causal, padding mask", new Attention.Padded(new MultiHeadAttention(2, 3)
            .withCausalMask()), Attention_Padded_Graph.LAYER, s(d(2, 5, 4)), false, false),
        new Case("a sublayer with two outputs, both used", new Records.BothHeads(), Records_BothHeads_Graph.LAYER,
            s(d(3, 5)), false, false),
        new Case("a sublayer with two outputs, one used", new Records.OneHead(), Records_OneHead_Graph.LAYER,
            s(d(3, 5)), false, false),
        new Case("a cell returning (h, c) in a loop", new Records.CellLoop(), Records_CellLoop_Graph.LAYER,
            s(d(2, 3, 4)), false, false));
  }

  static final double H = 1e-2;

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  @SuppressWarnings("unchecked")
  void generatedGradientsMatchFiniteDifferencesAndTensorFlow(Case c) {
    Random random = new Random(c.name().hashCode());
    LayerGraph<Object> graph = (LayerGraph<Object>) c.graph();
    try (Graph g = new Graph()) {
      TfGraph state = new TfGraph(g, 5);
      Tf tf = state.tf();
      List<Operand<TFloat32>> inputs = new ArrayList<>();
      List<float[]> values = new ArrayList<>();
      for (int i = 0; i < c.shapes().length; i++) {
        inputs.add(state.placeholder("x" + i, c.shapes()[i]));
        int n = Math.toIntExact(org.tensorflow.ndarray.Shape.of(c.shapes()[i]).size());
        float[] v = new float[n];
        for (int j = 0; j < n; j++) {
          v[j] = c.ids() && i == c.shapes().length - 1 ? random.nextInt(5) + 0.5f : (float) random.nextGaussian();
        }
        if (c.name().contains("(distinct)")) {
          // Values 0.1 apart, shuffled: no difference step can change which one a window's maximum is.
          List<Float> grid = new ArrayList<>();
          for (int j = 0; j < n; j++) {
            grid.add((j - n / 2f) * 0.1f);
          }
          java.util.Collections.shuffle(grid, random);
          for (int j = 0; j < n; j++) {
            v[j] = grid.get(j);
          }
        }
        values.add(v);
      }
      Forward fwd = graph.call(tf, c.layer(), inputs);
      long[] outShape = fwd.output().shape().asArray();
      float[] r = new float[Math.toIntExact(org.tensorflow.ndarray.Shape.of(outShape).size())];
      for (int j = 0; j < r.length; j++) {
        r[j] = (float) (random.nextDouble() * 2 - 1);
      }
      Operand<TFloat32> dy = state.ops().constant(org.tensorflow.ndarray.Shape.of(outShape),
          org.tensorflow.ndarray.buffer.DataBuffers.of(r, true, false));
      Operand<TFloat32> scalar = tf.sum(tf.mul(fwd.output(), dy));
      // Zeros where the generated code has no gradient (a null: the output does not depend on it).
      List<Operand<TFloat32>> ours = new ArrayList<>();
      List<Operand<TFloat32>> dInputs = graph.backward(tf, c.layer(), fwd, dy);
      for (int i = 0; i < inputs.size(); i++) {
        ours.add(tf.orZerosLike(dInputs.get(i), inputs.get(i)));
      }
      List<TfGraph.Weight> weights = state.weights();
      for (TfGraph.Weight w : weights) {
        ours.add(tf.orZerosLike(state.gradient(w.variable()), w.value()));
      }
      List<Output<?>> wrt = new ArrayList<>();
      inputs.forEach(x -> wrt.add(x.asOutput()));
      weights.forEach(w -> wrt.add(w.value().asOutput()));
      Operand<TFloat32> oracleOutput = c.oracle() == null ? fwd.output() : c.oracle().output(state, inputs);
      Output<?>[] oracle = new Output<?>[wrt.size()];
      for (int i = 0; i < oracle.length && oracleOutput != null; i++) {
        try {
          oracle[i] = g.addGradients("oracle" + i, new Output<?>[] {oracleOutput.asOutput()},
              new Output<?>[] {wrt.get(i)}, new Output<?>[] {dy.asOutput()})[0];
        } catch (org.tensorflow.exceptions.TFInvalidArgumentException unreachable) {
          // A weight the output does not reach (an output of a sublayer nobody used): no gradient.
          org.junit.jupiter.api.Assertions.assertTrue(unreachable.getMessage().contains("unreachable"));
          oracle[i] = null;
        }
      }
      List<Operand<?>> fetches = new ArrayList<>(ours);
      for (Output<?> o : oracle) {
        if (o != null && !isNull(o)) {
          fetches.add(o);
        }
      }
      try (TfSession session = new TfSession(state, 1)) {
        session.initialize(state);
        List<float[]> got = run(session, state, c, inputs, values, fetches);

        int next = ours.size();
        for (int i = 0; i < ours.size(); i++) {
          String what = c + ": " + (i < inputs.size() ? "input " + i : weights.get(i - inputs.size()).name());
          float[] tfs = oracle[i] == null || isNull(oracle[i]) ? new float[got.get(i).length] : got.get(next++);
          if (oracleOutput != null) {
            assertClose(tfs, got.get(i), 1e-4, what + " against Graph.addGradients");
          }
          float[] fd = i < inputs.size()
              ? inputDifferences(session, state, c, inputs, values, scalar, i)
              : weightDifferences(session, state, c, inputs, values, scalar, weights.get(i - inputs.size()));
          assertClose(fd, got.get(i), 2e-2, what + " against finite differences");
        }
      }
    }
  }

  private static List<float[]> run(TfSession session, TfGraph state, Case c, List<Operand<TFloat32>> inputs,
      List<float[]> values, List<? extends Operand<?>> fetches) {
    Map<Operand<?>, Tensor> feeds = new HashMap<>();
    try {
      for (int i = 0; i < inputs.size(); i++) {
        feeds.put(inputs.get(i), Tensors.of(values.get(i), c.shapes()[i]));
      }
      if (c.training()) {
        feeds.put(state.trainingFlag(), Tensors.scalar(1f));
      }
      return session.run(feeds, fetches);
    } finally {
      feeds.values().forEach(Tensor::close);
    }
  }

  private static float[] inputDifferences(TfSession session, TfGraph state, Case c, List<Operand<TFloat32>> inputs,
      List<float[]> values, Operand<TFloat32> scalar, int i) {
    float[] x = values.get(i);
    float[] out = new float[x.length];
    for (int j = 0; j < x.length; j++) {
      float keep = x[j];
      x[j] = (float) (keep + H);
      double plus = run(session, state, c, inputs, values, List.of(scalar)).get(0)[0];
      x[j] = (float) (keep - H);
      double minus = run(session, state, c, inputs, values, List.of(scalar)).get(0)[0];
      x[j] = keep;
      out[j] = (float) ((plus - minus) / (2 * H));
    }
    return out;
  }

  private static float[] weightDifferences(TfSession session, TfGraph state, Case c, List<Operand<TFloat32>> inputs,
      List<float[]> values, Operand<TFloat32> scalar, TfGraph.Weight w) {
    float[] v = session.run(Map.of(), List.of(w.value())).get(0);
    float[] out = new float[v.length];
    for (int j = 0; j < v.length; j++) {
      float keep = v[j];
      v[j] = (float) (keep + H);
      assign(session, w, v);
      double plus = run(session, state, c, inputs, values, List.of(scalar)).get(0)[0];
      v[j] = (float) (keep - H);
      assign(session, w, v);
      double minus = run(session, state, c, inputs, values, List.of(scalar)).get(0)[0];
      v[j] = keep;
      assign(session, w, v);
      out[j] = (float) ((plus - minus) / (2 * H));
    }
    return out;
  }

  private static void assign(TfSession session, TfGraph.Weight w, float[] v) {
    session.assign(Map.of(w.state(), v));
  }
}
