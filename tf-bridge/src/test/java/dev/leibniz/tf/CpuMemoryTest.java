package dev.leibniz.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;

/**
 * TensorFlow's tensors live in its CPU pool (the BFC allocator) in a process that uses Leibniz,
 * unless the environment chose otherwise. Each case runs in a JVM of its own, since TensorFlow
 * chooses its allocator once per process, when it makes its first device.
 */
class CpuMemoryTest {
  /** Run in the child JVM: the allocators a small graph's ops took their memory from. */
  public static void main(String[] args) {
    Natives.require();
    try (Graph g = new Graph(); Session s = TfSession.open(g, 0)) {
      Ops o = Ops.create(g);
      Operand<TFloat32> x = o.placeholder(TFloat32.class);
      Operand<TFloat32> big = o.math.mul(o.math.add(x, x), x);
      RunOptions trace = RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build();
      try (TFloat32 ones = TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(1024, 1024));
          Result r = s.runner().feed(x, ones).fetch(big).setOptions(trace).runAndFetchMetadata()) {
        Set<String> names = new TreeSet<>();
        r.getMetadata().orElseThrow().getStepStats().getDevStatsList().forEach(d -> d.getNodeStatsList().forEach(
            n -> n.getMemoryList().forEach(m -> names.add(m.getAllocatorName()))));
        // A tensor of no elements made in Java after the first device: its memory still from malloc.
        try (org.tensorflow.types.TInt32 none = org.tensorflow.types.TInt32.vectorOf()) {
          System.out.println("allocators " + names + " variable " + CpuMemory.c().getenv(CpuMemory.VARIABLE)
              + " empty " + none.shape());
        }
      }
    }
  }

  @Test
  void tensorsLiveInTensorFlowsPool() throws Exception {
    String out = child(null);
    assertTrue(out.contains("allocators [bfc_cpu_allocator"), out);
    assertTrue(out.contains("variable true"), out);
    assertTrue(out.contains("empty [0]"), out);
  }

  @Test
  void anEnvironmentThatChoseTheDefaultKeepsIt() throws Exception {
    String out = child("false");
    assertTrue(out.contains("allocators [cpu]"), out);
    assertTrue(out.contains("variable false"), out);
  }

  /** This class's main in a new JVM, with the variable set to {@code value} (null: unset): its last line. */
  private static String child(String value) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (flag.startsWith("--enable-native-access") || flag.startsWith("--sun-misc-unsafe-memory-access")) {
        command.add(flag);
      }
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), CpuMemoryTest.class.getName()));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().remove(CpuMemory.VARIABLE);
    if (value != null) {
      pb.environment().put(CpuMemory.VARIABLE, value);
    }
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child JVM did not end: " + out);
    assertEquals(0, p.exitValue(), out);
    String[] lines = out.strip().split("\n");
    return lines[lines.length - 1];
  }
}
