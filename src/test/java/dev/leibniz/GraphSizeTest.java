package dev.leibniz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.examples.MnistConvnet;
import dev.leibniz.examples.MnistMlp;
import dev.leibniz.optimizers.Optimizers;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The training graphs of the MNIST MLP and convnet (forward, loss, generated backward, optimizer
 * and metrics) do not grow: no more ops than before symbolic zeros crossed regions (322 and 462,
 * of which 7 and 12 were ZerosLike), and no zeros tensor built for a gradient nobody wrote.
 */
class GraphSizeTest {
  static Map<String, Integer> opTypes(Model model) {
    Map<String, Integer> byType = new TreeMap<>();
    var it = model.graph().operations();
    while (it.hasNext()) {
      byType.merge(it.next().type(), 1, Integer::sum);
    }
    return byType;
  }

  static int total(Map<String, Integer> byType) {
    return byType.values().stream().mapToInt(Integer::intValue).sum();
  }

  @Test
  void mlpTrainingGraph() {
    try (Model m = MnistMlp.model()) {
      m.compile(Optimizers.rmsprop(1e-3f), "sparse_categorical_crossentropy", "accuracy");
      m.build(new long[] {784});
      Map<String, Integer> ops = opTypes(m);
      System.out.println("MNIST MLP training graph: " + total(ops) + " ops " + ops);
      assertEquals(0, ops.getOrDefault("ZerosLike", 0), "ZerosLike ops: " + ops);
      assertTrue(total(ops) <= 322 - 7, "MLP graph grew: " + total(ops) + " ops " + ops);
    }
  }

  @Test
  void convnetTrainingGraph() {
    try (Model m = MnistConvnet.model()) {
      m.compile(Optimizers.adam(1e-3f), "sparse_categorical_crossentropy", "accuracy");
      m.build(new long[] {28, 28, 1});
      Map<String, Integer> ops = opTypes(m);
      System.out.println("MNIST convnet training graph: " + total(ops) + " ops " + ops);
      assertEquals(0, ops.getOrDefault("ZerosLike", 0), "ZerosLike ops: " + ops);
      assertTrue(total(ops) <= 462 - 12, "convnet graph grew: " + total(ops) + " ops " + ops);
    }
  }
}
