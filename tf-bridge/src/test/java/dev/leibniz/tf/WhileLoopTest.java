package dev.leibniz.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** A hand-built TensorFlow loop: what it computes, and that a value it only reads is not a loop variable. */
class WhileLoopTest {
  /**
   * {@code sum = sum * decay + x} for {@code n} iterations, {@code x} and {@code decay} read from
   * outside; then a variable added to the loop after it was built (as a backward adds what it reads).
   */
  @Test
  void aLoopReadsOuterValuesOnceAndCarriesOnlyWhatChanges() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops o = Ops.create(g);
      Operand<TFloat32> x = o.placeholder(TFloat32.class, org.tensorflow.op.core.Placeholder.shape(Shape.of(-1, 2)));
      Operand<TInt32> n = o.placeholder(TInt32.class);
      Operand<TFloat32> decay = o.constant(0.5f);
      WhileLoop loop = new WhileLoop(o, "loop");
      WhileLoop.Carried<TInt32> counter = loop.carried(o.constant(0));
      WhileLoop.Carried<TFloat32> sum = loop.carried(o.zerosLike(x));
      loop.whileTrue(loop.condition().math.less(counter.merged(), loop.invariant(n)));
      Ops b = loop.body();
      assertEquals(2, sum.value().shape().numDimensions(), "a carried value keeps its initial value's static shape");
      assertEquals(2, sum.value().shape().size(1));
      loop.next(counter, b.math.add(counter.value(), b.constant(1)));
      loop.next(sum, b.math.add(b.math.mul(sum.value(), loop.invariant(decay)), loop.invariant(x)));
      Operand<TFloat32> result = sum.exit();
      // Added after the loop was built: the sum of the counters 0, 1, 2.
      WhileLoop.Carried<TFloat32> late = loop.carried(o.constant(0f));
      loop.next(late, b.math.add(late.value(), b.dtypes.cast(counter.value(), TFloat32.class)));

      try (Tensor xs = TFloat32.tensorOf(org.tensorflow.ndarray.StdArrays.ndCopyOf(new float[][] {{1f, 2f}, {4f, 8f}}));
          Tensor three = TInt32.scalarOf(3);
          org.tensorflow.Result run = s.runner().feed(x, xs).feed(n, three).fetch(result).fetch(late.exit()).run()) {
        TFloat32 out = (TFloat32) run.get(0);
        // 1.75 x: x, then 1.5 x, then 1.75 x
        assertEquals(1.75f, out.getFloat(0, 0), 1e-6f);
        assertEquals(14f, out.getFloat(1, 1), 1e-6f);
        assertEquals(3f, ((TFloat32) run.get(1)).getFloat(), 1e-6f);
      }
      Map<String, Integer> types = new TreeMap<>();
      int constantEnters = 0;
      for (var it = g.operations(); it.hasNext();) {
        GraphOperation op = (GraphOperation) it.next();
        types.merge(op.type(), 1, Integer::sum);
        if (op.type().equals("Enter") && op.attributes().getAttrBool("is_constant")) {
          constantEnters++;
        }
      }
      assertEquals(3, types.get("Merge"), "the counter, the sum and the late sum are the loop's variables: " + types);
      assertEquals(3, types.get("NextIteration"), types.toString());
      assertEquals(3, constantEnters, "n, decay and x enter once: " + types);
    }
  }

  @Test
  void aLoopIsBuiltInItsOrder() {
    try (Graph g = new Graph()) {
      Ops o = Ops.create(g);
      WhileLoop loop = new WhileLoop(o, "loop");
      assertThrows(IllegalStateException.class, () -> loop.whileTrue(o.constant(true)), "no variable");
      WhileLoop.Carried<TInt32> counter = loop.carried(o.constant(0));
      assertThrows(IllegalStateException.class, loop::body, "the body before the condition");
      loop.whileTrue(loop.condition().math.less(counter.merged(), loop.condition().constant(3)));
      assertThrows(IllegalStateException.class, counter::exit, "an exit before the next value");
      loop.next(counter, loop.body().math.add(counter.value(), loop.body().constant(1)));
      IllegalStateException twice = assertThrows(IllegalStateException.class, () -> loop.next(counter, counter.value()));
      assertTrue(twice.getMessage().contains("already"), twice.getMessage());
    }
  }
}
