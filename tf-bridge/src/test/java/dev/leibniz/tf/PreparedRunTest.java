package dev.leibniz.tf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.exceptions.TFInvalidArgumentException;
import org.tensorflow.op.Op;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A prepared run gives what TensorFlow Java's runner gives for the same feeds, fetches and
 * targets, run after run: values, shapes, a fetch named twice, the targets' effects, TensorFlow's
 * errors, and a clear refusal once its session is closed.
 */
class PreparedRunTest {
  @Test
  void runsAsTheRunnerDoesRunAfterRun() {
    try (Graph g = new Graph()) {
      TfGraph state = new TfGraph(g);
      Operand<TFloat32> x = state.placeholder("x", -1, 2);
      Operand<TFloat32> y = state.placeholder("y", -1, 2);
      TfGraph.State total = state.state("total", new long[] {}, 0f);
      Operand<TFloat32> sum = state.ops().math.add(x, y);
      Operand<TFloat32> all = state.ops().reduceSum(sum, state.ops().constant(new int[] {0, 1}));
      Op accumulate = state.ops().assignAddVariableOp(total.handle(), all);
      try (TfSession session = new TfSession(state)) {
        session.initialize(state);
        PreparedRun run = session.prepare(List.of(x, y), List.of(sum, all, sum));
        PreparedRun step = session.prepare(List.of(x, y), List.of(all), accumulate);
        for (int i = 1; i <= 3; i++) {
          float[] bv = {i, i, i, i, i, i};
          try (TFloat32 a = Tensors.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
              TFloat32 b = Tensors.of(bv, 3, 2);
              FeedTensor fedA = FeedTensor.of(Tensors.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2));
              FeedTensor fedB = FeedTensor.floats(bv, 3, 2)) {
            List<Tensors.Shaped> out = run.shaped(fedA, fedB);
            List<Tensors.Shaped> expected = session.runShaped(Map.of(x, a, y, b), List.of(sum, all, sum));
            for (int k = 0; k < 3; k++) {
              assertArrayEquals(expected.get(k).shape(), out.get(k).shape());
              assertArrayEquals(expected.get(k).values(), out.get(k).values());
            }
            assertArrayEquals(new long[] {3, 2}, out.get(2).shape());
            assertArrayEquals(new float[] {21 + 6 * i}, step.scalars(fedA, fedB));
          }
        }
        assertEquals(21 * 3 + 6 * (1 + 2 + 3), session.run(Map.of(), List.of(total.value())).get(0)[0],
            "each run of the target added once");
      }
    }
  }

  @Test
  void bothWaysOfRunningGiveTheSameValuesAndTheRunKeepsOne() {
    try (Graph g = new Graph()) {
      TfGraph state = new TfGraph(g);
      Operand<TFloat32> a = state.placeholder("a", -1, 512);
      // two long products, independent of each other: runs long enough (over a millisecond) to try both ways
      Operand<TFloat32> left = state.ops().linalg.matMul(a, a, org.tensorflow.op.linalg.MatMul.transposeB(true));
      Operand<TFloat32> right = state.ops().linalg.matMul(a, a, org.tensorflow.op.linalg.MatMul.transposeA(true));
      Operand<TFloat32> both = state.ops().math.add(state.ops().reduceSum(left, state.ops().constant(new int[] {0, 1})),
          state.ops().reduceSum(right, state.ops().constant(new int[] {0, 1})));
      float[] values = new float[512 * 512];
      for (int i = 0; i < values.length; i++) {
        values[i] = (i % 7 - 3) / 7f;
      }
      try (TfSession session = new TfSession(state);
          FeedTensor in = FeedTensor.floats(values, 512, 512);
          TFloat32 tensor = Tensors.of(values, 512, 512)) {
        float expected = session.run(Map.of(a, tensor), List.of(both)).get(0)[0];
        PreparedRun run = session.prepare(List.of(a), List.of(both));
        int runs = RunDispatch.WARM_UP + RunDispatch.BLOCK * RunDispatch.BLOCKS + 2;
        for (int i = 0; i < runs; i++) {
          assertEquals(expected, run.scalars(in)[0], "run " + i + " (on the calling thread or the pool)");
        }
        assertTrue(run.onCallingThread() != null, "the runs chose a way");
      }
    }
  }

  @Test
  void tensorFlowsErrorsAndClosedSessionsAreReported() {
    try (Graph g = new Graph()) {
      TfGraph state = new TfGraph(g);
      Operand<TFloat32> x = state.placeholder("x", -1, 2);
      Operand<TFloat32> doubled = state.ops().math.mul(x, state.ops().constant(new float[] {2, 2}));
      Operand<TInt32> shape = state.ops().shape(x);
      try (TfSession session = new TfSession(state)) {
        PreparedRun run = session.prepare(List.of(x), List.of(doubled));
        failsThenCloses(session, run, x, shape);
      }
    }
  }

  private static void failsThenCloses(TfSession session, PreparedRun run, Operand<TFloat32> x, Operand<TInt32> shape) {
    try (FeedTensor wrong = FeedTensor.floats(new float[] {1, 2, 3}, 3)) {
      assertThrows(TFInvalidArgumentException.class, () -> run.scalars(wrong), "[3] times [2]");
    }
    try (FeedTensor right = FeedTensor.floats(new float[] {1, 2}, 1, 2)) {
      assertArrayEquals(new float[] {2, 4}, run.shaped(right).get(0).values(), "the run goes on after a failed one");
      IllegalArgumentException notFloat = assertThrows(IllegalArgumentException.class,
          () -> session.prepare(List.of(x), List.of(shape)).shaped(right));
      assertTrue(notFloat.getMessage().contains("DT_INT32"), notFloat.getMessage());
      assertThrows(IllegalArgumentException.class, () -> run.scalars(right, right), "two tensors for one feed");
      session.close();
      IllegalStateException closed = assertThrows(IllegalStateException.class, () -> run.scalars(right));
      assertEquals("this session is closed", closed.getMessage());
    }
  }

  @Test
  void concurrentRunsEachGetTheirOwnResults() throws Exception {
    try (Graph g = new Graph()) {
      TfGraph state = new TfGraph(g);
      Operand<TFloat32> x = state.placeholder("x", -1);
      Operand<TFloat32> squared = state.ops().math.square(x);
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try (TfSession session = new TfSession(state)) {
        PreparedRun run = session.prepare(List.of(x), List.of(squared));
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new java.util.ArrayList<>();
        for (int t = 0; t < 4; t++) {
          float v = t + 1;
          results.add(pool.submit(() -> {
            start.await();
            for (int i = 0; i < 300; i++) {
              try (FeedTensor in = FeedTensor.floats(new float[] {v, -v}, 2)) {
                List<Tensors.Shaped> out = run.shaped(in);
                if (out.get(0).values()[0] != v * v || out.get(0).values()[1] != v * v) {
                  return false;
                }
              }
            }
            return true;
          }));
        }
        start.countDown();
        for (Future<Boolean> r : results) {
          assertTrue(r.get());
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
