package dev.leibniz.spark;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.leibniz.History;
import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import java.net.ServerSocket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * Multi-worker training launched on an Apache Spark cluster, as TensorFlow's Spark launchers do:
 * one barrier stage (Spark's gang scheduling: all of its tasks start together or none does),
 * one task per worker; the tasks exchange {@code host:port} with {@code allGather}, and each
 * starts one TensorFlow worker in a child JVM with the {@code TF_CONFIG} they make (a child,
 * because TensorFlow's gRPC server cannot be stopped and an executor lives on). The chief's
 * {@link History} comes back to the driver; a worker that fails fails the stage with its error.
 *
 * <pre>{@code
 * History h = SparkTraining.of(MyJob.class).workers(4).jvmOptions("-Xmx8g").fit(sparkContext);
 * }</pre>
 *
 * The workers' servers listen on every interface of their host, unauthenticated: run on a
 * trusted network. Each executor needs a free port and one task slot per worker.
 */
public final class SparkTraining implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String job;
  private final int workers;
  private final List<String> jvmOptions;

  private SparkTraining(String job, int workers, List<String> jvmOptions) {
    this.job = job;
    this.workers = workers;
    this.jvmOptions = List.copyOf(jvmOptions);
  }

  /** Training that runs {@code job} on each worker (2 workers until {@link #workers} says otherwise). */
  public static SparkTraining of(Class<? extends TrainingJob> job) {
    Objects.requireNonNull(job, "job");
    try {
      job.getConstructor();
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException(job.getName() + " needs a public no-argument constructor: each worker's JVM"
          + " makes its own");
    }
    return new SparkTraining(job.getName(), 2, List.of());
  }

  /** The number of workers: Spark tasks, each with a TensorFlow worker JVM. */
  public SparkTraining workers(int workers) {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1, got " + workers);
    }
    return new SparkTraining(job, workers, jvmOptions);
  }

  /** Options of each worker's JVM (e.g. {@code -Xmx8g}). */
  public SparkTraining jvmOptions(String... options) {
    return new SparkTraining(job, workers, List.of(options));
  }

  /** Runs the training on {@code spark}'s executors; the chief's (worker 0's) History. */
  public History fit(JavaSparkContext spark) {
    JavaRDD<Integer> tasks = spark.parallelize(IntStream.range(0, workers).boxed().toList(), workers);
    ClassTag<String> strings = ClassTag$.MODULE$.apply(String.class);
    RDD<String> results = tasks.rdd().barrier().mapPartitions(new WorkerTask(this), false, strings);
    List<String> all = JavaRDD.fromRDD(results, strings).collect();
    List<String> errors = new ArrayList<>();
    JsonObject chief = null;
    for (String r : all) {
      JsonObject o = JsonParser.parseString(r).getAsJsonObject();
      if (o.has("error")) {
        errors.add("worker " + o.get("task").getAsInt() + ": " + o.get("error").getAsString());
      } else if (o.get("task").getAsInt() == 0) {
        chief = o;
      }
    }
    if (!errors.isEmpty() || chief == null) {
      throw new IllegalStateException("multi-worker training on Spark failed:\n" + String.join("\n", errors));
    }
    @SuppressWarnings("unchecked")
    Map<String, List<Double>> history = new Gson().fromJson(chief.get("history"), Map.class);
    return History.of(history);
  }

  /** A barrier task: agree on the cluster, run one worker JVM, hand back its result. */
  private static final class WorkerTask extends AbstractFunction1<Iterator<Integer>, Iterator<String>>
      implements Serializable {
    private static final long serialVersionUID = 1L;
    private final SparkTraining training;

    WorkerTask(SparkTraining training) {
      this.training = training;
    }

    @Override
    public Iterator<String> apply(Iterator<Integer> ignored) {
      BarrierTaskContext context = BarrierTaskContext.get();
      int task = context.partitionId();
      JsonObject result = new JsonObject();
      result.addProperty("task", task);
      try {
        String host = SparkEnv.get().blockManager().blockManagerId().host();
        String[] addresses = context.allGather(host + ":" + freePort());
        result.add("history", run(task, List.of(addresses)));
      } catch (Exception e) {
        result.addProperty("error", e.getMessage());
      }
      return CollectionConverters.asScala(List.of(result.toString()).iterator());
    }

    private com.google.gson.JsonElement run(int task, List<String> addresses) throws IOException, InterruptedException {
      Path dir = Files.createTempDirectory("leibniz-worker-" + task);
      Path out = dir.resolve("result.json");
      try {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(training.jvmOptions);
        command.add("-cp");
        command.add(classPath());
        command.add(WorkerProcess.class.getName());
        command.add(training.job);
        command.add(out.toString());
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().put("TF_CONFIG", tfConfig(addresses, task));
        int status = builder.start().waitFor();
        if (!Files.exists(out)) {
          throw new IllegalStateException("worker " + task + "'s JVM exited with status " + status + " and no result");
        }
        JsonObject r = JsonParser.parseString(Files.readString(out)).getAsJsonObject();
        if (r.has("error")) {
          throw new IllegalStateException(r.get("error").getAsString());
        }
        return r.get("history");
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(dir);
      }
    }
  }

  /** {@code TF_CONFIG} for task {@code task} of the workers at {@code addresses}. */
  static String tfConfig(List<String> addresses, int task) {
    JsonObject cluster = new JsonObject();
    cluster.add("worker", new Gson().toJsonTree(addresses));
    JsonObject t = new JsonObject();
    t.addProperty("type", "worker");
    t.addProperty("index", task);
    JsonObject config = new JsonObject();
    config.add("cluster", cluster);
    config.add("task", t);
    return config.toString();
  }

  /** A port free now on this host (another process may take it before the worker's server does: rare, and it fails loudly). */
  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** The executor's class path and the jars Spark added to it (the application's, {@code --jars}). */
  private static String classPath() {
    Set<String> entries = new LinkedHashSet<>(List.of(System.getProperty("java.class.path").split(File.pathSeparator)));
    for (ClassLoader l = Thread.currentThread().getContextClassLoader(); l != null; l = l.getParent()) {
      if (l instanceof URLClassLoader urls) {
        for (URL u : urls.getURLs()) {
          if (u.getProtocol().equals("file")) {
            entries.add(new File(u.getPath()).getPath());
          }
        }
      }
    }
    return String.join(File.pathSeparator, entries);
  }
}
