package dev.leibniz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cluster a strategy is told about: TF_CONFIG as Kubeflow's TFJob writes it, and the errors for what it cannot be. */
class MultiWorkerMirroredStrategyTest {
  @Test
  void readsTfConfigAsKubeflowWritesIt() {
    MultiWorkerMirroredStrategy s = MultiWorkerMirroredStrategy.fromTfConfig("{\"cluster\":{\"worker\":"
        + "[\"mnist-worker-0.ns.svc:2222\",\"mnist-worker-1.ns.svc:2222\"]},\"task\":{\"type\":\"worker\",\"index\":1},"
        + "\"environment\":\"cloud\"}");
    assertEquals(List.of("mnist-worker-0.ns.svc:2222", "mnist-worker-1.ns.svc:2222"), s.workers());
    assertEquals(1, s.taskIndex());
    assertEquals(2, s.numWorkers());
    assertFalse(s.isChief());
    assertEquals(MultiWorkerMirroredStrategy.DEFAULT_TIMEOUT, s.timeout());
  }

  @Test
  void aChiefJobIsTaskZeroBeforeTheWorkers() {
    String cluster = "{\"cluster\":{\"chief\":[\"c:2222\"],\"worker\":[\"w0:2222\",\"w1:2222\"]},";
    MultiWorkerMirroredStrategy chief = MultiWorkerMirroredStrategy.fromTfConfig(cluster
        + "\"task\":{\"type\":\"chief\",\"index\":0}}");
    MultiWorkerMirroredStrategy worker = MultiWorkerMirroredStrategy.fromTfConfig(cluster
        + "\"task\":{\"type\":\"worker\",\"index\":0}}");
    assertEquals(List.of("c:2222", "w0:2222", "w1:2222"), chief.workers());
    assertTrue(chief.isChief());
    assertEquals(0, chief.taskIndex());
    assertEquals(1, worker.taskIndex());
  }

  @Test
  void badClustersAreClearErrors() {
    IllegalArgumentException ps = assertThrows(IllegalArgumentException.class, () -> MultiWorkerMirroredStrategy
        .fromTfConfig("{\"cluster\":{\"worker\":[\"a:1\"],\"ps\":[\"b:2\"]},\"task\":{\"type\":\"worker\",\"index\":0}}"));
    assertTrue(ps.getMessage().contains("\"ps\" job"), ps.getMessage());
    IllegalArgumentException index = assertThrows(IllegalArgumentException.class, () -> MultiWorkerMirroredStrategy
        .fromTfConfig("{\"cluster\":{\"worker\":[\"a:1\",\"b:1\"]},\"task\":{\"type\":\"worker\",\"index\":2}}"));
    assertTrue(index.getMessage().contains("worker 2, but its cluster has 2 worker task(s)"), index.getMessage());
    IllegalArgumentException json = assertThrows(IllegalArgumentException.class,
        () -> MultiWorkerMirroredStrategy.fromTfConfig("worker=a:1"));
    assertTrue(json.getMessage().contains("not a JSON object"), json.getMessage());
    IllegalArgumentException noTask = assertThrows(IllegalArgumentException.class,
        () -> MultiWorkerMirroredStrategy.fromTfConfig("{\"cluster\":{\"worker\":[\"a:1\"]}}"));
    assertTrue(noTask.getMessage().contains("no \"task\""), noTask.getMessage());
    IllegalArgumentException address = assertThrows(IllegalArgumentException.class,
        () -> MultiWorkerMirroredStrategy.of(List.of("a:1", "b"), 0));
    assertTrue(address.getMessage().contains("host:port, got \"b\""), address.getMessage());
    assertThrows(IllegalArgumentException.class, () -> MultiWorkerMirroredStrategy.of(List.of("a:1", "a:1"), 0));
    assertThrows(IllegalArgumentException.class, () -> MultiWorkerMirroredStrategy.of(List.of("a:1"), 0)
        .timeout(Duration.ZERO));
  }

  @Test
  void distributingABuiltModelIsAnError() {
    try (Model m = Sequential.of(new dev.leibniz.layers.Dense(2))) {
      m.build(3);
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> m.distribute(MultiWorkerMirroredStrategy.of(List.of("localhost:1"), 0)));
      assertTrue(e.getMessage().contains("after the model's graph is built"), e.getMessage());
    }
  }
}
