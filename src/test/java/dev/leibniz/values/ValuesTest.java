package dev.leibniz.values;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.Value;
import dev.leibniz.Var;
import dev.leibniz.dsl.Shape;
import org.junit.jupiter.api.Test;

/** Values and variables: making, reading, TensorFlow's math, printing, assignment, bad input. */
class ValuesTest {
  @Test
  void valuesFromAndToJavaArraysOfAnyRank() {
    float[][][] cube = {{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}};
    Value v = Value.of(cube);
    assertArrayEquals(new long[] {2, 2, 2}, v.shape());
    assertEquals(7f, v.get(1, 1, 0));
    assertArrayEquals(cube, v.toArray3());
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, v.toFloatArray());
    assertArrayEquals(new float[][] {{1, 2}, {3, 4}}, Value.of(new float[] {1, 2, 3, 4}, 2, 2).toMatrix());
    assertEquals(3f, Value.of(3f).floatValue());
    assertEquals(0, Value.of(3f).rank());
  }

  @Test
  void randomValuesAreSeededAndDistributedAsAsked() {
    Value a = Value.randomNormal(Shape.of(200, 50), 0, 1, 7);
    assertEquals(a, Value.randomNormal(Shape.of(200, 50), 0, 1, 7), "the same seed, the same draw");
    assertNotEquals(Value.randomNormal(Shape.of(3, 1)), Value.randomNormal(Shape.of(3, 1)), "unseeded draws differ");
    assertEquals(0, a.mean().floatValue(), 0.03);
    assertEquals(1, a.square().mean().floatValue(), 0.05);
    Value u = Value.randomUniform(Shape.of(10_000), 2, 3, 1);
    float[] values = u.toFloatArray();
    for (float x : values) {
      assertTrue(x >= 2 && x < 3, "uniform in [2, 3): " + x);
    }
    assertEquals(2.5, u.mean().floatValue(), 0.01);
  }

  @Test
  void listing39MathAndBroadcasting() {
    Value a = Value.ones(2, 2);
    Value d = a.square().add(a.sqrt());
    Value e = a.matmul(a.square()).mul(d);
    assertEquals(Value.fill(4, 2, 2), e);
    Value rows = Value.of(new float[][] {{1, 2, 3}, {4, 5, 6}});
    assertEquals(Value.of(new float[][] {{11, 22, 33}, {14, 25, 36}}), rows.add(Value.of(new float[] {10, 20, 30})));
    assertEquals(Value.of(new float[][] {{1, 4}, {2, 5}, {3, 6}}), rows.transpose());
    assertEquals(21f, rows.sum().floatValue());
    assertThrows(IllegalArgumentException.class, () -> rows.matmul(rows));
  }

  @Test
  void printsAsTensorFlowDoes() {
    assertEquals("Value([[1.0],\n       [1.0]], shape=(2, 1), dtype=float32)", Value.ones(2, 1).toString());
    assertEquals("Value(6.0, shape=(), dtype=float32)", Value.of(6f).toString());
  }

  @Test
  void valuesAreImmutableAndVariablesAssignable() {
    Value ones = Value.ones(2, 2);
    Value changed = ones.with(0f, 0, 0);
    assertEquals(1f, ones.get(0, 0), "the original is unchanged");
    assertEquals(0f, changed.get(0, 0));
    Var v = Var.of(Value.zeros(3, 1));
    v.assign(Value.ones(3, 1)).assign(3f, 0, 0).assignAdd(Value.ones(3, 1));
    assertEquals(Value.of(new float[][] {{4}, {2}, {2}}), v.value());
    v.assignSub(Value.ones(3, 1));
    assertEquals(Value.of(new float[][] {{3}, {1}, {1}}), v.value());
    assertThrows(IllegalArgumentException.class, () -> v.assign(Value.ones(2)));
    assertThrows(IndexOutOfBoundsException.class, () -> v.assign(1f, 3, 0));
  }
}
