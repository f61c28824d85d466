package dev.leibniz;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.leibniz.tf.TfCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Synchronous data-parallel training on several workers, as Keras's
 * {@code tf.distribute.MultiWorkerMirroredStrategy}: every worker holds the whole model (built
 * from the same seed, so the same initial weights), takes its share of each global batch, and
 * the step's gradients, losses, metric statistics and moving-statistic updates are summed across
 * the workers in one all-reduce (TensorFlow's {@code CollectiveReduceV2} over gRPC) before the
 * same optimizer update on every worker. Give it to {@link Model#distribute} before the model is
 * built; {@code fit} is then called the same way on every worker, with the same data.
 *
 * <p>The cluster comes from {@code TF_CONFIG} ({@link #fromTfConfig()}, what Kubeflow's TFJob
 * and TensorFlow's own strategies read) or is given ({@link #of}). Task 0 is the chief: only it
 * writes files (checkpoints, SavedModels, logs). A worker that does not join a step within
 * {@link #timeout} fails every other one with a {@link WorkerFailedException}; TensorFlow's
 * servers have no TLS and no authentication, so the workers need a trusted network.
 */
public final class MultiWorkerMirroredStrategy {
  /** The default time a step waits for the other workers. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  /** The default time the first step waits for every worker to have started. */
  public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofMinutes(5);

  private final TfCluster cluster;
  private final Duration timeout;
  private final Duration startupTimeout;

  private MultiWorkerMirroredStrategy(TfCluster cluster, Duration timeout, Duration startupTimeout) {
    this.cluster = cluster;
    this.timeout = positive("timeout", timeout);
    this.startupTimeout = positive("startupTimeout", startupTimeout);
  }

  private static Duration positive(String what, Duration d) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + d);
    }
    return d;
  }

  /**
   * Task {@code task} of the workers at {@code workers} ({@code host:port} each, in task order;
   * every worker is given the same list). Each worker's server listens on its address's port.
   */
  public static MultiWorkerMirroredStrategy of(List<String> workers, int task) {
    Objects.requireNonNull(workers, "workers");
    if (workers.isEmpty()) {
      throw new IllegalArgumentException("a cluster needs at least one worker address (host:port)");
    }
    for (String w : workers) {
      if (w == null || !w.matches("[^\\s:]+:\\d{1,5}")) {
        throw new IllegalArgumentException("a worker's address is host:port, got \"" + w + "\" in " + workers);
      }
    }
    if (new java.util.HashSet<>(workers).size() != workers.size()) {
      throw new IllegalArgumentException("two workers share an address in " + workers);
    }
    if (task < 0 || task >= workers.size()) {
      throw new IllegalArgumentException("task index " + task + " is not one of the " + workers.size() + " workers "
          + workers + " (0 to " + (workers.size() - 1) + ")");
    }
    return new MultiWorkerMirroredStrategy(new TfCluster(workers, task), DEFAULT_TIMEOUT, DEFAULT_STARTUP_TIMEOUT);
  }

  /**
   * The cluster the environment variable {@code TF_CONFIG} describes; an error where it is not
   * set: Leibniz never starts a server on a cluster nobody named.
   */
  public static MultiWorkerMirroredStrategy fromTfConfig() {
    String json = System.getenv("TF_CONFIG");
    if (json == null || json.isBlank()) {
      throw new IllegalStateException("TF_CONFIG is not set: multi-worker training needs the cluster named, e.g."
          + " TF_CONFIG='{\"cluster\":{\"worker\":[\"host0:2222\",\"host1:2222\"]},\"task\":{\"type\":\"worker\","
          + "\"index\":0}}' (Kubeflow's TFJob sets it), or MultiWorkerMirroredStrategy.of(workers, task)");
    }
    return fromTfConfig(json);
  }

  /**
   * The cluster a {@code TF_CONFIG} value describes: {@code cluster.worker} (and
   * {@code cluster.chief}, which becomes task 0, before the workers) and {@code task.type} and
   * {@code task.index}. Parameter servers and evaluators are not part of this strategy.
   */
  public static MultiWorkerMirroredStrategy fromTfConfig(String json) {
    JsonObject config;
    try {
      JsonElement parsed = JsonParser.parseString(json);
      config = parsed.getAsJsonObject();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("TF_CONFIG is not a JSON object: " + json, e);
    }
    JsonObject cluster = member(config, "cluster", json).getAsJsonObject();
    JsonObject task = member(config, "task", json).getAsJsonObject();
    for (String job : cluster.keySet()) {
      if (!job.equals("chief") && !job.equals("worker")) {
        throw new IllegalArgumentException("TF_CONFIG's cluster has a \"" + job + "\" job; MultiWorkerMirroredStrategy"
            + " takes \"chief\" and \"worker\" only: " + json);
      }
    }
    List<String> chiefs = addresses(cluster, "chief", json);
    if (chiefs.size() > 1) {
      throw new IllegalArgumentException("TF_CONFIG names " + chiefs.size() + " chiefs; a cluster has one: " + json);
    }
    List<String> workers = new ArrayList<>(chiefs);
    workers.addAll(addresses(cluster, "worker", json));
    String type = member(task, "type", json).getAsString();
    int index = task.has("index") ? task.get("index").getAsInt() : 0;
    if (!type.equals("chief") && !type.equals("worker")) {
      throw new IllegalArgumentException("TF_CONFIG's task type is \"" + type + "\"; MultiWorkerMirroredStrategy"
          + " runs \"chief\" and \"worker\" tasks: " + json);
    }
    int offset = type.equals("worker") ? chiefs.size() : 0;
    int size = type.equals("worker") ? workers.size() - chiefs.size() : chiefs.size();
    if (index < 0 || index >= size) {
      throw new IllegalArgumentException("TF_CONFIG's task is " + type + " " + index + ", but its cluster has " + size
          + " " + type + " task(s): " + json);
    }
    return of(workers, offset + index);
  }

  private static JsonElement member(JsonObject o, String name, String json) {
    if (!o.has(name)) {
      throw new IllegalArgumentException("TF_CONFIG has no \"" + name + "\": " + json);
    }
    return o.get(name);
  }

  private static List<String> addresses(JsonObject cluster, String job, String json) {
    List<String> out = new ArrayList<>();
    if (cluster.has(job)) {
      JsonArray list = cluster.get(job).getAsJsonArray();
      list.forEach(e -> out.add(e.getAsString()));
    }
    return out;
  }

  /** The same cluster, with steps waiting at most {@code timeout} for the other workers (default 60 s). */
  public MultiWorkerMirroredStrategy timeout(Duration timeout) {
    return new MultiWorkerMirroredStrategy(cluster, timeout, startupTimeout);
  }

  /** The same cluster, with the first step waiting at most {@code startupTimeout} for every worker to start (default 5 min). */
  public MultiWorkerMirroredStrategy startupTimeout(Duration startupTimeout) {
    return new MultiWorkerMirroredStrategy(cluster, timeout, startupTimeout);
  }

  public Duration timeout() {
    return timeout;
  }

  public Duration startupTimeout() {
    return startupTimeout;
  }

  /** The workers' addresses, in task order. */
  public List<String> workers() {
    return cluster.workers();
  }

  /** Keras's {@code num_replicas_in_sync}: one per worker (each trains on its CPU or its one GPU). */
  public int numWorkers() {
    return cluster.workers().size();
  }

  /** This worker's task index. */
  public int taskIndex() {
    return cluster.task();
  }

  /** Whether this worker is the chief (task 0), the one that writes files. */
  public boolean isChief() {
    return cluster.task() == 0;
  }

  TfCluster cluster() {
    return cluster;
  }

  @Override
  public String toString() {
    return "MultiWorkerMirroredStrategy(task " + taskIndex() + " of " + workers() + ")";
  }
}
