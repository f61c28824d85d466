package dev.leibniz.tf;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A session on a TensorFlow server's {@code grpc://} target, which TensorFlow Java 1.1.0 cannot
 * open by itself ({@link GrpcSession}), runs a graph's variables and collectives; a process
 * serves one cluster. The server listens on every interface, so it runs in a child JVM inside a
 * private network namespace with only loopback ({@code unshare -n}, as root).
 */
class GrpcSessionTest {
  @Test
  void aSessionOnTheServerRunsVariablesAndCollectives() throws Exception {
    Process probe = new ProcessBuilder("unshare", "-n", "true").redirectErrorStream(true).start();
    assumeTrue(probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0,
        "cannot make a private network namespace (unshare -n needs root)");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder("unshare", "-n", "sh", "-c", "ip link set lo up && exec '" + java
        + "' -cp \"$LEIBNIZ_CP\" " + GrpcSessionChild.class.getName()).redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put("LEIBNIZ_CP", System.getProperty("java.class.path"));
    Process p = builder.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child did not finish");
    assertTrue(out.contains("initial [1.0, 1.0]"), out);
    assertTrue(out.contains("assigned [4.0, 5.0]"), out);
    assertTrue(out.contains("reduced [1.0, 2.0, 3.0]"), out);
    assertTrue(out.contains("again true"), out);
    assertTrue(out.contains("second cluster refused: this process already runs TensorFlow's server at localhost:23470"),
        out);
  }
}
