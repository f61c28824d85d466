package dev.leibniz.e2e;

import static dev.leibniz.e2e.GradCheckTest.assertClose;
import static dev.leibniz.e2e.GradCheckTest.d;
import static dev.leibniz.e2e.GradCheckTest.isNull;
import static dev.leibniz.e2e.GradCheckTest.s;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.dsl.Activations;
import dev.leibniz.dsl.Padding;
import dev.leibniz.layers.Add;
import dev.leibniz.layers.Add_Graph;
import dev.leibniz.layers.AveragePooling2D;
import dev.leibniz.layers.AveragePooling2D_Graph;
import dev.leibniz.layers.Concatenate;
import dev.leibniz.layers.Concatenate_Graph;
import dev.leibniz.layers.Conv2D;
import dev.leibniz.layers.Conv2DTranspose;
import dev.leibniz.layers.Conv2DTranspose_Graph;
import dev.leibniz.layers.Conv2D_Graph;
import dev.leibniz.layers.Dense;
import dev.leibniz.layers.Dense_Graph;
import dev.leibniz.layers.Flatten;
import dev.leibniz.layers.Flatten_Graph;
import dev.leibniz.layers.GlobalAveragePooling2D;
import dev.leibniz.layers.GlobalAveragePooling2D_Graph;
import dev.leibniz.layers.LayerNormalization;
import dev.leibniz.layers.LayerNormalization_Graph;
import dev.leibniz.layers.LeakyReLU;
import dev.leibniz.layers.LeakyReLU_Graph;
import dev.leibniz.layers.MaxPooling2D;
import dev.leibniz.layers.MaxPooling2D_Graph;
import dev.leibniz.layers.Reshape;
import dev.leibniz.layers.Reshape_Graph;
import dev.leibniz.layers.UpSampling2D;
import dev.leibniz.layers.UpSampling2D_Graph;
import dev.leibniz.tf.Forward;
import dev.leibniz.tf.LayerGraph;
import dev.leibniz.tf.Tf;
import dev.leibniz.tf.TfGraph;
import dev.leibniz.tf.TfSession;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
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
import org.tensorflow.types.TFloat32;

/**
 * The built-in layers' backward of their backward ({@code @Call(order = 2)}, what an in-body
 * {@code gradient(...)} is differentiated with): for S = sum_i <dInput_i, v_i>, where dInput_i
 * is the layer's generated backward from seed {@code dOutput}, the generated
 * {@code callBackwardBackward} gives dS/dInput_i, dS/dWeight and dS/dOutput; each is checked against
 * central finite differences of S and, where TensorFlow's C++ gradients have rules for the
 * backward's ops, against Graph.addGradients of S. (They have none for ReluGrad, TanhGrad,
 * SigmoidGrad and a few more, whose rows are checked by finite differences only.)
 */
class LayerSecondOrderTest {
  record Case(String name, Object layer, LayerGraph<?> graph, long[][] shapes, boolean distinct) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("Dense(3, tanh)", new Dense(3, "tanh"), Dense_Graph.LAYER, s(d(2, 4)), false),
        new Case("Dense(3, sigmoid) on [2,3,4]", new Dense(3, "sigmoid"), Dense_Graph.LAYER, s(d(2, 3, 4)), false),
        new Case("Dense(4, softmax)", new Dense(4, "softmax"), Dense_Graph.LAYER, s(d(3, 5)), false),
        new Case("Dense(3, relu)", new Dense(3, "relu"), Dense_Graph.LAYER, s(d(2, 4)), false),
        new Case("Dense(2), no bias", new Dense(2, Activations.LINEAR, false, dev.leibniz.dsl.Init.GLOROT_UNIFORM,
            dev.leibniz.dsl.Init.ZEROS), Dense_Graph.LAYER, s(d(3, 4)), false),
        new Case("Conv2D(3, 2x3, strides 2x1, same, tanh)",
            new Conv2D(3, 2, 3, 2, 1, Padding.SAME, Activations.TANH, true), Conv2D_Graph.LAYER, s(d(2, 5, 4, 2)), false),
        new Case("Conv2D(2, 3x3, strides 2, valid), linear", new Conv2D(2, 3, 3, 2, 2, Padding.VALID, Activations.LINEAR,
            true), Conv2D_Graph.LAYER, s(d(2, 5, 5, 2)), false),
        new Case("Conv2DTranspose(2, 3x3, strides 2, same, tanh)", new Conv2DTranspose(2, 3, 2, Padding.SAME, "tanh"),
            Conv2DTranspose_Graph.LAYER, s(d(2, 3, 3, 2)), false),
        new Case("LeakyReLU(0.2)", new LeakyReLU(0.2), LeakyReLU_Graph.LAYER, s(d(3, 4)), false),
        new Case("Flatten", new Flatten(), Flatten_Graph.LAYER, s(d(2, 3, 2, 2)), false),
        new Case("Reshape(3, 4)", new Reshape(3, 4), Reshape_Graph.LAYER, s(d(2, 12)), false),
        new Case("UpSampling2D(2, 3)", new UpSampling2D(2, 3), UpSampling2D_Graph.LAYER, s(d(2, 2, 3, 2)), false),
        new Case("AveragePooling2D(2)", new AveragePooling2D(2), AveragePooling2D_Graph.LAYER, s(d(1, 4, 4, 2)), false),
        new Case("MaxPooling2D(2) (distinct)", new MaxPooling2D(2), MaxPooling2D_Graph.LAYER, s(d(1, 4, 4, 2)), true),
        new Case("GlobalAveragePooling2D", new GlobalAveragePooling2D(), GlobalAveragePooling2D_Graph.LAYER,
            s(d(2, 3, 3, 2)), false),
        new Case("LayerNormalization over [2,3,4]", new LayerNormalization(), LayerNormalization_Graph.LAYER,
            s(d(2, 3, 4)), false),
        new Case("Add", new Add(), Add_Graph.LAYER, s(d(2, 3), d(2, 3)), false),
        new Case("Concatenate", new Concatenate(), Concatenate_Graph.LAYER, s(d(2, 3), d(2, 2)), false),
        new Case("a sublayer called in a branch", new BranchedSublayer(true), BranchedSublayer_Graph.LAYER, s(d(2, 4)),
            false));
  }

  static final double H = 1e-2;

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  @SuppressWarnings("unchecked")
  void backwardOfBackwardMatchesFiniteDifferencesAndTensorFlow(Case c) throws ReflectiveOperationException {
    Random random = new Random(c.name().hashCode());
    LayerGraph<Object> graph = (LayerGraph<Object>) c.graph();
    try (Graph g = new Graph()) {
      TfGraph state = new TfGraph(g, 5);
      Tf tf = state.tf();
      List<Operand<TFloat32>> inputs = new ArrayList<>();
      Map<Operand<?>, float[]> feeds = new HashMap<>();
      for (int i = 0; i < c.shapes().length; i++) {
        inputs.add(state.placeholder("x" + i, c.shapes()[i]));
        feeds.put(inputs.get(i), values(random, c.shapes()[i], c.distinct()));
      }
      Forward fwd = graph.call(tf, c.layer(), inputs);
      Operand<TFloat32> seed = state.placeholder("dOutput", fwd.output().shape().asArray());
      feeds.put(seed, values(random, fwd.output().shape().asArray(), false));
      List<Operand<TFloat32>> adjoints = new ArrayList<>();
      for (int i = 0; i < inputs.size(); i++) {
        adjoints.add(constant(state, random, c.shapes()[i]));
      }
      // S = sum_i <dInput_i, v_i>, its backward's weight gradients kept apart.
      Operand<TFloat32>[] s = new Operand[1];
      state.collectGradients(() -> {
        List<Operand<TFloat32>> dInputs = graph.backward(tf, c.layer(), fwd, seed);
        Operand<TFloat32> total = null;
        for (int i = 0; i < inputs.size(); i++) {
          Operand<TFloat32> term = tf.sum(tf.mul(tf.orZerosLike(dInputs.get(i), inputs.get(i)), adjoints.get(i)));
          total = total == null ? term : tf.add(total, term);
        }
        s[0] = total;
      });
      // Ours: the layer's generated backward of its backward.
      List<Operand<TFloat32>> ours = new ArrayList<>();
      List<TfGraph.Weight> weights = state.weights();
      Map<dev.leibniz.dsl.Variable, Operand<TFloat32>> weightGrads = state.collectGradients(() -> {
        Object record = secondBackward(c, tf, inputs, seed, adjoints);
        try {
          RecordComponent[] components = record.getClass().getRecordComponents();
          for (int i = 0; i < components.length; i++) {
            // null: no dependence (a symbolic zero)
            ours.add(tf.orZerosLike((Operand<TFloat32>) components[i].getAccessor().invoke(record),
                i < inputs.size() ? inputs.get(i) : seed));
          }
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      });
      for (TfGraph.Weight w : weights) {
        Operand<TFloat32> gw = weightGrads.get(w.variable());
        ours.add(gw == null ? tf.zerosLike(w.value()) : gw);
      }
      // In the order of ours: the inputs, the seed, the weights.
      List<Operand<TFloat32>> wrt = new ArrayList<>(inputs);
      wrt.add(seed);
      weights.forEach(w -> wrt.add(w.value()));
      Output<?>[] oracle = new Output<?>[wrt.size()];
      boolean tensorFlowHasRules = true;
      for (int i = 0; i < wrt.size(); i++) {
        try {
          oracle[i] = g.addGradients("oracle" + i, new Output<?>[] {s[0].asOutput()},
              new Output<?>[] {wrt.get(i).asOutput()}, null)[0];
        } catch (org.tensorflow.exceptions.TFInvalidArgumentException unreachable) {
          assertTrue(unreachable.getMessage().contains("unreachable"), unreachable.getMessage());
        } catch (org.tensorflow.exceptions.TensorFlowException noRule) {
          assertTrue(noRule.getMessage().contains("No gradient defined"), noRule.getMessage());
          tensorFlowHasRules = false;
        }
      }
      try (TfSession session = new TfSession(state, 1)) {
        session.initialize(state);
        List<float[]> got = FeedDifferences.run(session, feeds, ours);
        for (int i = 0; i < wrt.size(); i++) {
          String what = c + ": " + (i < inputs.size() ? "input " + i : i == inputs.size() ? "dOutput"
              : weights.get(i - inputs.size() - 1).name());
          if (tensorFlowHasRules) {
            float[] tfs = oracle[i] == null || isNull(oracle[i]) ? new float[got.get(i).length]
                : FeedDifferences.run(session, feeds, List.of((Output<TFloat32>) oracle[i]))
                    .get(0);
            assertClose(tfs, got.get(i), 1e-4, what + " against Graph.addGradients");
          }
          float[] fd = i <= inputs.size() ? FeedDifferences.ofFeed(session, feeds, s[0], wrt.get(i), H)
              : FeedDifferences.ofWeight(session, feeds, s[0], weights.get(i - inputs.size() - 1), H);
          assertClose(fd, got.get(i), 2e-2, what + " against finite differences");
        }
      }
    }
  }

  /** {@code <Layer>_Graph.callBackwardBackward(tf, layer, inputs..., dOutput, adjoints...)}. */
  private static Object secondBackward(Case c, Tf tf, List<Operand<TFloat32>> inputs, Operand<TFloat32> seed,
      List<Operand<TFloat32>> adjoints) {
    try {
      Class<?> type = Class.forName(c.layer().getClass().getName() + "_Graph");
      for (Method m : type.getMethods()) {
        if (m.getName().equals("callBackwardBackward")) {
          List<Object> args = new ArrayList<>(List.of(tf, c.layer()));
          args.addAll(inputs);
          args.add(seed);
          args.addAll(adjoints);
          return m.invoke(null, args.toArray());
        }
      }
      throw new AssertionError(type + " has no callBackwardBackward: is its @Call order = 2?");
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static float[] values(Random random, long[] shape, boolean distinct) {
    int n = Math.toIntExact(org.tensorflow.ndarray.Shape.of(shape).size());
    float[] v = new float[n];
    for (int j = 0; j < n; j++) {
      v[j] = distinct ? (j - n / 2f) * 0.1f : (float) random.nextGaussian();
    }
    if (distinct) {
      List<Float> grid = new ArrayList<>();
      for (float f : v) {
        grid.add(f);
      }
      java.util.Collections.shuffle(grid, random);
      for (int j = 0; j < n; j++) {
        v[j] = grid.get(j);
      }
    }
    return v;
  }

  private static Operand<TFloat32> constant(TfGraph state, Random random, long[] shape) {
    return state.ops().constant(org.tensorflow.ndarray.Shape.of(shape),
        org.tensorflow.ndarray.buffer.DataBuffers.of(values(random, shape, false), true, false));
  }
}
