package dev.leibniz.tf;

import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * {@link GrpcSessionTest}'s child, run in a private network namespace: a one-task cluster's
 * server, a session on it through {@link GrpcSession}, a variable set and read and an all-reduce
 * over a group of one run there; prints what it got, one result per line.
 */
public final class GrpcSessionChild {
  private GrpcSessionChild() {}

  public static void main(String[] args) {
    TfCluster cluster = new TfCluster(List.of("localhost:23470"), 0);
    try (Graph g = Natives.newGraph()) {
      TfGraph graph = new TfGraph(g);
      TfGraph.State counter = graph.state("counter", new long[] {2}, 1f);
      Operand<TFloat32> x = graph.placeholder("x", 3);
      Operand<TFloat32> sum = Collectives.allReduceSum(graph.ops(), x, 1, 1, cluster.nextInstanceKey(), 5f);
      try (TfSession session = new TfSession(graph, cluster, 1);
          TFloat32 fed = TFloat32.vectorOf(1f, 2f, 3f)) {
        session.initialize(graph);
        System.out.println("initial " + java.util.Arrays.toString(session.run(Map.of(), List.of(counter.value())).get(0)));
        session.assign(Map.of(counter, new float[] {4f, 5f}));
        System.out.println("assigned " + java.util.Arrays.toString(session.run(Map.of(), List.of(counter.value())).get(0)));
        System.out.println("reduced " + java.util.Arrays.toString(session.run(Map.of(x, fed), List.of(sum)).get(0)));
      }
    }
    System.out.println("again " + cluster.start().equals(new TfCluster(List.of("localhost:23470"), 0).start()));
    try {
      new TfCluster(List.of("localhost:23470", "localhost:23471"), 0).start();
      System.out.println("second cluster started");
    } catch (IllegalStateException e) {
      System.out.println("second cluster refused: " + e.getMessage());
    }
    System.exit(0); // the server cannot be stopped
  }
}
