package dev.leibniz.values;

import static dev.leibniz.dsl.Ops.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.Function;
import dev.leibniz.Leibniz;
import dev.leibniz.Value;
import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Dims;
import dev.leibniz.dsl.Shape;
import dev.leibniz.dsl.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Compiled functions on values: value, gradients with respect to each input, Hessian-vector
 * products (mixed partials included) against finite differences, gradients of functions with
 * loops and branches, and the errors a user meets.
 */
class FunctionsTest {
  /** x^2 y + sin-free mixing: d/dx = 2xy, d/dy = x^2; d2/dx2 = 2y, d2/dxdy = 2x, d2/dy2 = 0. */
  @Call(order = 2)
  static Tensor mixed(Tensor x, Tensor y) {
    return mul(square(x), y);
  }

  /** A loop and a branch: first-order gradients only. */
  @Call
  static Tensor looped(@Dims({3}) Tensor x) {
    Tensor h = x;
    for (int i = 0; i < 3; i++) {
      h = tanh(mul(h, 1.5));
    }
    return sum(h);
  }

  /** Two outputs of one function. */
  public record SumAndProduct(Tensor sum, Tensor product) {}

  @Call
  static SumAndProduct both(Tensor x, Tensor y) {
    return new SumAndProduct(add(x, y), mul(x, y));
  }

  /** (x + y) x y, through the record. */
  @Call
  static Tensor combined(Tensor x, Tensor y) {
    SumAndProduct s = both(x, y);
    return mul(s.sum(), s.product());
  }

  @Test
  void aFunctionWithSeveralOutputs() {
    try (Function f = Leibniz.function(FunctionsTest_Graph.BOTH); Function g = Leibniz.function(FunctionsTest_Graph.COMBINED)) {
      Value x = Value.of(new float[] {2, -1});
      Value y = Value.of(new float[] {3, 4});
      List<Value> out = f.callAll(x, y);
      assertEquals(Value.of(new float[] {5, 3}), out.get(0));
      assertEquals(Value.of(new float[] {6, -4}), out.get(1));
      // d/dx of sum(x + y) + sum(x y) = 1 + y; d/dy = 1 + x.
      assertEquals(Value.of(new float[] {4, 5}), f.gradients(x, y).get(0));
      assertEquals(Value.of(new float[] {3, 0}), f.gradients(x, y).get(1));
      // d/dx of (x + y) x y = 2 x y + y^2; d/dy = x^2 + 2 x y.
      assertEquals(Value.of(new float[] {21, 8}), g.gradients(x, y).get(0));
      assertEquals(Value.of(new float[] {16, -7}), g.gradients(x, y).get(1));
    }
  }

  @Test
  void valueGradientsAndSecondDerivativesOfAScalarFunction() {
    try (Function f = Leibniz.function(FunctionsTest_Graph.MIXED)) {
      Value x = Value.of(3f);
      Value y = Value.of(2f);
      assertEquals(18f, f.call(x, y).floatValue());
      List<Value> g = f.gradients(x, y);
      assertEquals(12f, g.get(0).floatValue(), 1e-5);
      assertEquals(9f, g.get(1).floatValue(), 1e-5);
      // Hessian [[2y, 2x], [2x, 0]] = [[4, 6], [6, 0]] times v = (1, 0) and (0, 1): its columns.
      List<Value> column0 = f.hessianVectorProduct(List.of(x, y), List.of(Value.of(1f), Value.of(0f)));
      List<Value> column1 = f.hessianVectorProduct(List.of(x, y), List.of(Value.of(0f), Value.of(1f)));
      assertEquals(4f, column0.get(0).floatValue(), 1e-5);
      assertEquals(6f, column0.get(1).floatValue(), 1e-5, "a mixed partial, which Grad2 does not give");
      assertEquals(6f, column1.get(0).floatValue(), 1e-5);
      assertEquals(0f, column1.get(1).floatValue(), 1e-5);
      assertEquals(4f, f.secondDerivative(0, x, y).floatValue(), 1e-5);
    }
  }

  @Test
  void hessianVectorProductsOfTensorsAgainstFiniteDifferences() {
    try (Function f = Leibniz.function(FunctionsTest_Graph.MIXED)) {
      Value x = Value.randomNormal(Shape.of(2, 3), 0, 1, 1);
      Value y = Value.randomNormal(Shape.of(3), 0, 1, 2);
      Value vx = Value.randomNormal(Shape.of(2, 3), 0, 1, 3);
      Value vy = Value.randomNormal(Shape.of(3), 0, 1, 4);
      List<Value> hvp = f.hessianVectorProduct(List.of(x, y), List.of(vx, vy));
      // The HVP is the directional derivative of the gradient: (g(x + h v) - g(x - h v)) / 2h.
      float h = 1e-2f;
      List<Value> plus = f.gradients(x.add(vx.mul(h)), y.add(vy.mul(h)));
      List<Value> minus = f.gradients(x.sub(vx.mul(h)), y.sub(vy.mul(h)));
      for (int i = 0; i < 2; i++) {
        float[] fd = plus.get(i).sub(minus.get(i)).div(2 * h).toFloatArray();
        float[] ours = hvp.get(i).toFloatArray();
        for (int k = 0; k < fd.length; k++) {
          assertEquals(fd[k], ours[k], 2e-2 * Math.max(1, Math.abs(fd[k])), "input " + i + " element " + k);
        }
      }
    }
  }

  @Test
  void functionsWithLoopsHaveGradients() {
    try (Function f = Leibniz.function(FunctionsTest_Graph.LOOPED)) {
      Value x = Value.of(new float[] {0.1f, -0.4f, 0.7f});
      float[] g = f.gradient(0, x).toFloatArray();
      float h = 1e-3f;
      for (int i = 0; i < 3; i++) {
        float fd = (f.call(x.with(x.get(i) + h, i)).floatValue() - f.call(x.with(x.get(i) - h, i)).floatValue()) / (2 * h);
        assertEquals(fd, g[i], 2e-3, "element " + i);
      }
      UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
          () -> f.secondDerivative(0, x));
      assertTrue(e.getMessage().contains("looped is compiled to first order only"), e.getMessage());
    }
  }

  @Test
  void badInputSaysWhatWasExpected() {
    Function f = Leibniz.function(FunctionsTest_Graph.LOOPED);
    IllegalArgumentException shape = assertThrows(IllegalArgumentException.class, () -> f.call(Value.ones(4)));
    assertEquals("looped: input x has shape (4,), but its @Dims declares (3,)", shape.getMessage());
    IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
        () -> f.call(Value.ones(3), Value.ones(3)));
    assertTrue(count.getMessage().contains("looped takes 1 inputs [x], got 2"), count.getMessage());
    assertThrows(IndexOutOfBoundsException.class, () -> f.gradient(1, Value.ones(3)));
    f.close();
    IllegalStateException closed = assertThrows(IllegalStateException.class, () -> f.call(Value.ones(3)));
    assertEquals("function looped is closed", closed.getMessage());
  }

  @Test
  void eachSignatureIsTracedOnceAndReused() {
    try (Function f = Leibniz.function(FunctionsTest_Graph.MIXED)) {
      for (int i = 0; i < 50; i++) {
        assertArrayEquals(new float[] {2 * i}, f.call(Value.of(new float[] {1}), Value.of(new float[] {2f * i}))
            .toFloatArray());
      }
      assertEquals(8f, f.call(Value.of(2f), Value.of(2f)).floatValue(), "another signature");
    }
  }
}
