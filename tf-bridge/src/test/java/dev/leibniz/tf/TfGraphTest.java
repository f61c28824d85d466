package dev.leibniz.tf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.dsl.Init;
import dev.leibniz.dsl.Ops;
import dev.leibniz.dsl.Shape;
import dev.leibniz.dsl.Variable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** The graph's state and the bridge's own logic: names, variables, initializers, symbolic zeros, feeding. */
class TfGraphTest {
  @Test
  void namesAreMadeUnique() {
    try (Graph g = new Graph()) {
      TfGraph state = new TfGraph(g);
      state.placeholder("x", -1, 2);
      Operand<TFloat32> second = state.placeholder("x", -1, 2);
      assertEquals("x_1", second.op().name());
    }
  }

  @Test
  void weightsAreCreatedOnFirstReadInReadOrderAndInitialized() {
    try (Graph g = new Graph()) {
      TfGraph state = new TfGraph(g, 7);
      Variable ones = Ops.addWeight("ones", Shape.of(2, 2), Init.ONES);
      Variable glorot = Ops.addWeight("kernel", Shape.of(30, 20), Init.GLOROT_UNIFORM);
      Operand<TFloat32> read = state.tf().read(glorot);
      assertSame(read, state.tf().read(glorot), "one variable per weight and graph");
      state.tf().read(ones);
      assertEquals(List.of("kernel", "ones"), state.weights().stream().map(TfGraph.Weight::name).toList());
      try (TfSession session = new TfSession(state)) {
        session.initialize(state);
        List<float[]> values = session.run(Map.of(), List.of(read, state.tf().read(ones)));
        double limit = Math.sqrt(6.0 / 50);
        for (float v : values.get(0)) {
          assertTrue(Math.abs(v) <= limit, v + " outside Glorot's +-" + limit);
        }
        assertArrayEquals(new float[] {1, 1, 1, 1}, values.get(1));
      }
    }
  }

  @Test
  void aConcatOfConcatsIsOneOpUnlessTheInnerOneIsRead() {
    try (Graph g = new Graph()) {
      TfGraph state = new TfGraph(g);
      Tf tf = state.tf();
      org.tensorflow.op.Ops ops = org.tensorflow.op.Ops.create(g);
      Operand<TFloat32> a = ops.constant(new float[][] {{1}, {2}});
      Operand<TFloat32> b = ops.constant(new float[][] {{3}, {4}});
      Operand<TFloat32> c = ops.constant(new float[][] {{5}, {6}});
      Operand<TFloat32> all = tf.concat(a, tf.concat(b, c, 1), -1);
      assertEquals(3, ((org.tensorflow.GraphOperation) all.op()).numInputs() - 1, "a, b, c (and the axis): one op");
      Operand<TFloat32> inner = tf.concat(a, b, 1);
      Operand<TFloat32> read = tf.square(inner);
      Operand<TFloat32> outer = tf.concat(inner, c, 1);
      assertEquals(2, ((org.tensorflow.GraphOperation) outer.op()).numInputs() - 1, "the inner concat is read elsewhere, so it stays a piece");
      // The gradient of a slice that is the whole axis is the gradient itself.
      assertSame(all, tf.sliceGrad(all, all, 1, 0, 3));
      try (TfSession session = new TfSession(state)) {
        List<float[]> v = session.run(Map.of(), List.of(all, outer, read));
        assertArrayEquals(new float[] {1, 3, 5, 2, 4, 6}, v.get(0));
        assertArrayEquals(new float[] {1, 3, 5, 2, 4, 6}, v.get(1));
        assertArrayEquals(new float[] {1, 9, 4, 16}, v.get(2));
      }
    }
  }

  @Test
  void orthogonalKernelsHaveOrthonormalColumns() {
    try (Graph g = new Graph()) {
      TfGraph state = new TfGraph(g);
      Variable q = Ops.addWeight("q", Shape.of(6, 4), Init.ORTHOGONAL);
      Operand<TFloat32> qtq = state.tf().matmul(state.tf().read(q), state.tf().read(q), true, false);
      try (TfSession session = new TfSession(state)) {
        session.initialize(state);
        float[] product = session.run(Map.of(), List.of(qtq)).get(0);
        for (int i = 0; i < 4; i++) {
          for (int j = 0; j < 4; j++) {
            assertEquals(i == j ? 1 : 0, product[i * 4 + j], 1e-5);
          }
        }
      }
    }
  }

  @Test
  void statesResetAndAssign() {
    try (Graph g = new Graph()) {
      TfGraph state = new TfGraph(g);
      TfGraph.State total = state.state("total", new long[] {3}, 0.5f);
      try (TfSession session = new TfSession(state)) {
        session.initialize(state);
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, session.run(Map.of(), List.of(total.value())).get(0));
        session.assign(Map.of(total, new float[] {1, 2, 3}));
        assertArrayEquals(new float[] {1, 2, 3}, session.run(Map.of(), List.of(total.value())).get(0));
        session.run(Map.of(), List.of(), total.reset());
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, session.run(Map.of(), List.of(total.value())).get(0));
      }
    }
  }

  @Test
  void symbolicZerosBuildNoOp() {
    try (Graph g = new Graph()) {
      TfGraph state = new TfGraph(g);
      Tf tf = state.tf();
      Operand<TFloat32> x = tf.ones(new long[] {2});
      assertSame(x, tf.accumulate(null, x));
      assertSame(x, tf.accumulate(x, null));
      assertNull(tf.accumulate(null, null));
      assertSame(x, tf.orZerosLike(x, x));
      Variable w = Ops.addWeight("w", Shape.of(2), Init.ZEROS);
      tf.read(w);
      tf.addGradient(w, null);
      assertNull(state.gradient(w), "a null gradient is no gradient");
      tf.addGradient(w, x);
      tf.addGradient(w, x);
      try (TfSession session = new TfSession(state)) {
        assertArrayEquals(new float[] {0, 0}, session.run(Map.of(), List.of(tf.orZerosLike(null, x))).get(0));
        assertArrayEquals(new float[] {2, 2}, session.run(Map.of(), List.of(state.gradient(w))).get(0));
      }
    }
  }

  @Test
  void tensorsCheckTheirShapeAndRoundTrip() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensors.of(new float[5], 2, 3));
    assertTrue(e.getMessage().contains("shape [2, 3] holds 6 values, got an array of 5"), e.getMessage());
    try (TFloat32 t = Tensors.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3)) {
      assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, Tensors.toFloats(t));
    }
  }

  @Test
  void sessionsFetchARepeatedOutputOnce() {
    try (Graph g = new Graph()) {
      TfGraph state = new TfGraph(g);
      Operand<TFloat32> x = state.tf().scalar(3);
      try (TfSession session = new TfSession(state, 1)) {
        List<float[]> got = session.run(Map.of(), List.of(x, x));
        assertEquals(3f, got.get(0)[0]);
        assertEquals(3f, got.get(1)[0]);
      }
    }
  }

  @Test
  void dropoutRatesOutsideTheUnitIntervalAreRefused() {
    try (Graph g = new Graph()) {
      TfGraph state = new TfGraph(g);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> state.tf().nn().dropoutMask(state.tf().ones(new long[] {2}), 1f));
      assertTrue(e.getMessage().contains("dropout rate must be in [0, 1), got 1.0"), e.getMessage());
    }
  }
}
