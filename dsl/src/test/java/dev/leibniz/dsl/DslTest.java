package dev.leibniz.dsl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What the DSL computes by itself: shapes, names of generated code, weights and their checks, Keras names. */
class DslTest {
  @Test
  void shapesCountFromTheEndAndKnowWhatIsUnknown() {
    Shape s = Shape.of(-1, 28, 28, 3);
    assertEquals(4, s.rank());
    assertEquals(3, s.last());
    assertEquals(28, s.dim(-2));
    assertFalse(s.isFullyKnown());
    assertEquals("[?, 28, 28, 3]", s.toString());
    assertEquals(2352, Shape.of(28, 28, 3).size());
    assertThrows(IllegalStateException.class, s::size);
    assertThrows(IllegalStateException.class, () -> Shape.scalar().last());
    IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> s.dim(4));
    assertTrue(e.getMessage().contains("axis 4 of a rank-4 shape"), e.getMessage());
    long[] dims = s.dims();
    dims[1] = 5;
    assertEquals(28, s.dim(1), "dims() is a copy");
    assertEquals(Shape.of(2, 3), Shape.of(2, 3));
  }

  @Test
  void weightsNeedAFullyKnownShape() {
    Variable v = Ops.addWeight("kernel", Shape.of(3, 4), Init.GLOROT_UNIFORM);
    assertTrue(v.trainable());
    assertFalse(Ops.addWeight("moving", Shape.of(4), Init.ZEROS, false).trainable());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Ops.addWeight("kernel", Shape.of(-1, 4), Init.ZEROS));
    assertTrue(e.getMessage().contains("weight 'kernel' needs a fully known shape, got [?, 4]"), e.getMessage());
  }

  @Test
  void initializersRefuseEmptyRanges() {
    assertThrows(IllegalArgumentException.class, () -> Init.uniform(1, 1));
    assertThrows(IllegalArgumentException.class, () -> Init.normal(0, 0));
    assertEquals(new Init.RandomUniform(-0.05, 0.05), Init.RANDOM_UNIFORM);
  }

  @Test
  void activationsByKerasName() {
    assertEquals(Activations.RELU, Activations.of("ReLU"));
    assertEquals(Activations.LINEAR, Activations.of(null));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Activations.of("gelu"));
    assertTrue(e.getMessage().contains("unknown activation \"gelu\"; expected one of [linear, relu, sigmoid, tanh,"
        + " softmax]"), e.getMessage());
  }

  @Test
  void opsOutsideAGraphSayWhereTheyBelong() {
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> Ops.relu(null));
    assertTrue(e.getMessage().startsWith("relu(...) was called directly"), e.getMessage());
  }

  @Test
  void theNamesOfGeneratedCode() {
    assertEquals("pkg.Outer_Dense_Graph", GraphNames.graphClass("pkg", List.of("Outer", "Dense")));
    assertEquals("Dense_Graph", GraphNames.graphClass("", List.of("Dense")));
    assertEquals("MEAN_SQUARED_ERROR", GraphNames.functionConstant("meanSquaredError"));
    assertEquals("L2_NORMALIZE", GraphNames.functionConstant("l2Normalize"));
    assertEquals("CallForward", GraphNames.forwardRecord("call"));
    assertEquals("CallGradients", GraphNames.gradientsRecord("call"));
    assertEquals("callBackward", GraphNames.backwardMethod("call"));
    assertEquals("positionGrad2", GraphNames.grad2Method("position"));
    assertEquals("dKernel", GraphNames.gradientOf("kernel"));
    assertArrayEquals(new String[] {"dOutput", "fwd", "layer", "stepFwd", "stepGrads", "stepStates", "stepTf", "stepX", "tf"},
        GraphNames.RESERVED.stream().sorted().toArray(String[]::new));
  }
}
