package dev.leibniz.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Shapes proven equal beyond TensorFlow's static ones, and none proven that may differ: each
 * pair below has the static shape [-1, 3] (or [-1, 4]) on both sides.
 */
class SymbolicShapesTest {
  @Test
  void elementwiseOpsAndProductsKeepTheirOperandsDimensions() {
    try (Graph g = new Graph()) {
      TfGraph graph = new TfGraph(g);
      Tf tf = graph.tf();
      SymbolicShapes shapes = tf.symbolic();
      Operand<TFloat32> x = graph.placeholder("x", -1, 3);
      Operand<TFloat32> y = tf.mul(x, tf.sigmoid(x));
      assertTrue(shapes.same(y, x), "x sigmoid(x) has x's shape");
      assertSame(y, tf.unbroadcast(y, x), "nothing to sum where the shapes are proven equal");
      Operand<TFloat32> w = graph.placeholder("w", 3, 4);
      Operand<TFloat32> p = tf.matmul(x, w);
      Operand<TFloat32> q = tf.add(tf.matmul(tf.tanh(x), w), graph.placeholder("b", 4));
      assertTrue(shapes.same(p, q), "[b, 3] x [3, 4] twice, one plus a bias");
      Operand<TFloat32> halves = tf.concat(tf.slice(p, 1, 0, 2), tf.slice(p, 1, 2, 4), 1);
      assertTrue(shapes.same(halves, p), "the columns of p, cut and put back");
    }
  }

  @Test
  void whatMayDifferIsNeverProvenEqual() {
    try (Graph g = new Graph()) {
      TfGraph graph = new TfGraph(g);
      Tf tf = graph.tf();
      SymbolicShapes shapes = tf.symbolic();
      Operand<TFloat32> x = graph.placeholder("x", -1, 3);
      Operand<TFloat32> other = graph.placeholder("other", -1, 3);
      assertFalse(shapes.same(x, other), "two inputs of any batch");
      Operand<TFloat32> column = graph.placeholder("column", -1, 1);
      assertFalse(shapes.same(tf.mul(x, column), x), "a column of another batch may broadcast x");
      assertFalse(shapes.same(tf.concat(x, x, 0), x), "rows after rows: twice the batch");
      assertFalse(shapes.same(tf.slice(x, 0, 1, 2), x), "one row of x");
      Operand<TFloat32> mixed = tf.add(x, other);
      assertFalse(shapes.same(mixed, x) || shapes.same(mixed, other), "x + other: either may be one row");
      assertNotSame(x, tf.unbroadcast(x, other));
    }
  }

  @Test
  void valuesDeclaredWithOneBatchAreTheSameShape() {
    try (Graph g = new Graph()) {
      TfGraph graph = new TfGraph(g);
      Tf tf = graph.tf();
      SymbolicShapes shapes = tf.symbolic();
      Operand<TFloat32> h = graph.placeholder("h", -1, 3);
      Operand<TFloat32> c = graph.placeholder("c", -1, 3);
      SymbolicShapes.Symbol batch = new SymbolicShapes.Symbol();
      shapes.declareBatch(h, batch);
      shapes.declareBatch(c, batch);
      Operand<TFloat32> next = tf.add(tf.mul(h, c), tf.tanh(c));
      assertTrue(shapes.same(next, h));
      assertTrue(shapes.leads(next, batch));
      // The unbroadcast that is skipped gives what the full one would: the same values.
      try (TfSession session = new TfSession(graph);
          Tensor hv = TFloat32.tensorOf(Shape.of(2, 3), DataBuffers.of(1f, 2f, 3f, 4f, 5f, 6f));
          Tensor cv = TFloat32.tensorOf(Shape.of(2, 3), DataBuffers.of(6f, 5f, 4f, 3f, 2f, 1f))) {
        List<float[]> got = session.run(Map.of(h, hv, c, cv), List.of(tf.unbroadcast(next, h), next));
        assertEquals(6, got.get(0).length);
        assertTrue(Arrays.equals(got.get(0), got.get(1)));
      }
    }
  }
}
