package dev.leibniz.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.Gson;
import dev.leibniz.History;
import dev.leibniz.Model;
import dev.leibniz.data.Mnist;
import dev.leibniz.examples.MnistMlp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SparkTraining} in Spark's {@code local[2]} (executors are threads of the driver) and
 * {@code local-cluster[2,1,1024]} (two executor JVMs, as on a cluster), inside a private network namespace with only
 * loopback (the workers' TensorFlow servers listen on every interface): two worker JVMs train the
 * MNIST MLP, and the History the driver gets and the chief's weights equal one worker's training
 * on the same global batches.
 */
class SparkTrainingTest {
  static final Path DATASETS = Path.of(System.getProperty("leibniz.datasets", "../shared/datasets"));

  @TempDir
  Path temp;

  @Test
  void trainsTheMlpOnTwoWorkersInLocalModeAsOneWorkerWould() throws Exception {
    trainsAsOneWorkerWould("local[2]");
  }

  @Test
  void trainsTheMlpOnTwoExecutorJvmsInLocalClusterModeAsOneWorkerWould() throws Exception {
    trainsAsOneWorkerWould("local-cluster[2,1,1024]");
  }

  private void trainsAsOneWorkerWould(String master) throws Exception {
    assumeTrue(Mnist.isPresent(DATASETS.resolve("mnist")), "MNIST not found in " + DATASETS.toAbsolutePath());
    Process probe = new ProcessBuilder("unshare", "-n", "true").redirectErrorStream(true).start();
    assumeTrue(probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0,
        "cannot make a private network namespace (unshare -n needs root)");
    Path history = temp.resolve("history.json");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder("unshare", "-n", "sh", "-c", "ip link set lo up && exec '" + java
        + "' -cp \"$LEIBNIZ_CP\" " + SparkMain.class.getName() + " '" + master + "' '" + history + "'")
        .redirectErrorStream(true).redirectOutput(temp.resolve("spark.log").toFile());
    builder.environment().put("LEIBNIZ_CP", System.getProperty("java.class.path"));
    builder.environment().put("LEIBNIZ_SPARK_OUT", temp.toString());
    builder.environment().put("LEIBNIZ_DATASETS", DATASETS.toAbsolutePath().toString());
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    // local-cluster starts executors from a Spark installation: an empty one, the test's class path has Spark
    Path sparkHome = Files.createDirectories(temp.resolve("spark-home/jars")).getParent();
    Files.writeString(sparkHome.resolve("RELEASE"), "Spark 4.2.0 (the test's class path)\n");
    builder.environment().put("SPARK_HOME", sparkHome.toString());
    builder.environment().put("SPARK_SCALA_VERSION", "2.13");
    Process p = builder.start();
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError("Spark did not finish in 300 s:\n" + tail(Files.readString(temp.resolve("spark.log"))));
    }
    String log = Files.readString(temp.resolve("spark.log"));
    assertTrue(Files.exists(history), "no History came back; Spark said:\n" + tail(log));

    History expected;
    float[] expectedWeights;
    try (Model alone = MnistMlp.model()) {
      expected = MlpJob.fit(alone, DATASETS);
      expectedWeights = flat(alone.getWeights());
    }
    @SuppressWarnings("unchecked")
    Map<String, List<Double>> got = new Gson().fromJson(Files.readString(history), Map.class);
    assertEquals(expected.history().keySet(), got.keySet());
    for (String key : got.keySet()) {
      assertArrayEquals(expected.get(key).stream().mapToDouble(Double::doubleValue).toArray(),
          got.get(key).stream().mapToDouble(Double::doubleValue).toArray(), 1e-6, key);
    }
    try (Model chief = MnistMlp.model()) {
      chief.build(784);
      chief.loadWeights(temp.resolve("mlp.weights.h5"));
      assertArrayEquals(expectedWeights, flat(chief.getWeights()), 1e-5f, "the chief's weights");
    }
  }

  private static float[] flat(List<float[]> weights) {
    float[] all = new float[weights.stream().mapToInt(w -> w.length).sum()];
    int at = 0;
    for (float[] w : weights) {
      System.arraycopy(w, 0, all, at, w.length);
      at += w.length;
    }
    return all;
  }

  private static String tail(String log) {
    List<String> lines = log.lines().filter(l -> !l.matches("^(20\\d\\d-|I0000|W0000).*")).toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
  }
}
