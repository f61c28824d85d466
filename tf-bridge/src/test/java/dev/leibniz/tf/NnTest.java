package dev.leibniz.tf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.leibniz.dsl.Padding;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * conv2d's input gradient with its padding spelled out, as TensorFlow pads for SAME and VALID,
 * computes what the op with the padding's name computes.
 */
class NnTest {
  @Test
  void explicitPaddingIsTensorFlowsSameAndValid() {
    Shape kernel = Shape.of(3, 2, 4, 5);
    assertEquals(List.of(0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L),
        Nn.explicitPadding(Shape.of(-1, 7, 6, 4), kernel, 1, 1, Padding.VALID));
    // stride 1: k - 1 in all, the odd one after
    assertEquals(List.of(0L, 0L, 1L, 1L, 0L, 1L, 0L, 0L), Nn.explicitPadding(Shape.of(-1, 7, 6, 4), kernel, 1, 1, Padding.SAME));
    // stride 2 over 7: 4 outputs need 3 * 2 + 3 = 9 rows, 2 of them padding; over 6: 3 outputs, 2 * 2 + 2 = 6, none
    assertEquals(List.of(0L, 0L, 1L, 1L, 0L, 0L, 0L, 0L), Nn.explicitPadding(Shape.of(-1, 7, 6, 4), kernel, 2, 2, Padding.SAME));
    assertNull(Nn.explicitPadding(Shape.of(-1, -1, 6, 4), kernel, 1, 1, Padding.SAME), "unknown height");
    assertNull(Nn.explicitPadding(Shape.unknown(), kernel, 1, 1, Padding.SAME), "unknown rank");
  }

  @Test
  void theInputGradientEqualsTheNamedPaddingsOp() {
    for (Padding padding : Padding.values()) {
      for (long stride : new long[] {1, 2}) {
        try (Graph g = new Graph()) {
          TfGraph state = new TfGraph(g);
          java.util.Random r = new java.util.Random(stride);
          Operand<TFloat32> x = state.ops().constant(Shape.of(2, 7, 6, 3), floats(r, 2 * 7 * 6 * 3));
          Operand<TFloat32> k = state.ops().constant(Shape.of(3, 2, 3, 4), floats(r, 3 * 2 * 3 * 4));
          Operand<TFloat32> y = state.tf().nn().conv2d(x, k, stride, stride, padding);
          long[] ys = y.shape().asArray();
          Operand<TFloat32> dy = state.ops().constant(Shape.of(ys), floats(r, (int) Shape.of(ys).size()));
          Operand<TFloat32> ours = state.tf().nn().conv2dBackpropInput(x, k, dy, stride, stride, padding);
          assertEquals("EXPLICIT", ((org.tensorflow.GraphOperation) ours.op()).attributes().getAttrString("padding"));
          Operand<TFloat32> named = state.ops().nn.conv2dBackpropInput(state.ops().shape(x), k, dy,
              List.of(1L, stride, stride, 1L), padding.name());
          try (TfSession session = new TfSession(state)) {
            List<float[]> got = session.run(Map.of(), List.of(ours, named));
            assertArrayEquals(got.get(1), got.get(0), 1e-5f, padding + " stride " + stride);
          }
        }
      }
    }
  }

  private static org.tensorflow.ndarray.buffer.FloatDataBuffer floats(java.util.Random r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return org.tensorflow.ndarray.buffer.DataBuffers.of(v);
  }
}
