package dev.leibniz.tf;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Server;
import org.tensorflow.proto.ClusterDef;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.JobDef;
import org.tensorflow.proto.ServerDef;

/**
 * One task of a cluster of TensorFlow workers (job {@value #JOB}, tasks {@code 0..n-1} at
 * {@code host:port}): its in-process gRPC server and the configuration of the sessions that run
 * on it. TensorFlow cannot stop a server ("Clean shutdown is not currently implemented"): each is
 * started once per process and kept until the process exits; a second start of the same task
 * and cluster returns the one that runs.
 *
 * <p>The server listens on every interface of the port its address names, without TLS or
 * authentication, as TensorFlow's does: run it on a trusted network only.
 */
public final class TfCluster {
  /** The job every task belongs to, as {@code TF_CONFIG}'s "worker". */
  public static final String JOB = "worker";

  /** The servers started in this process, by address, with the cluster each was started for. */
  private static final Map<String, Started> STARTED = new HashMap<>();

  private record Started(List<String> workers, int task) {}

  /** The collective ops built so far for each task of this process, by its address. */
  private static final Map<String, Integer> INSTANCE_KEYS = new HashMap<>();

  private final List<String> workers;
  private final int task;

  /** Task {@code task} of the workers at {@code workers} ({@code host:port} each, in task order). */
  public TfCluster(List<String> workers, int task) {
    this.workers = List.copyOf(workers);
    this.task = task;
    if (task < 0 || task >= workers.size()) {
      throw new IllegalArgumentException("task " + task + " of a cluster of " + workers.size() + " workers");
    }
  }

  public List<String> workers() {
    return workers;
  }

  public int task() {
    return task;
  }

  /** As {@link #start(int)} with TensorFlow's default thread pools. */
  public String start() {
    return start(0);
  }

  /**
   * Starts this task's server if this process has not yet, its thread pools of {@code threads}
   * threads (0: {@link TfSession#processThreads}), where its ops run whatever a session's configuration
   * says; the session target on it ({@code grpc://host:port}).
   */
  public String start(int threads) {
    String address = workers.get(task);
    synchronized (STARTED) {
      Started s = STARTED.get(address);
      if (s == null) {
        Natives.require();
        Server server = new Server(ServerDef.newBuilder().setCluster(clusterDef()).setJobName(JOB).setTaskIndex(task)
            .setProtocol("grpc").setDefaultSessionConfig(sessionConfig(threads)).build());
        server.start(); // never stopped: TensorFlow cannot (see the class comment)
        STARTED.put(address, new Started(workers, task));
      } else if (!s.workers().equals(workers) || s.task() != task) {
        throw new IllegalStateException("this process already runs TensorFlow's server at " + address + " as task "
            + s.task() + " of " + s.workers() + "; TensorFlow cannot stop a server, so a process serves one cluster:"
            + " start a new process for task " + task + " of " + workers);
      }
    }
    return "grpc://" + address;
  }

  /**
   * The key of the next collective op built for this task: the n-th collective built in a
   * process gets key n, so workers that build the same models in the same order agree on them.
   */
  public int nextInstanceKey() {
    synchronized (STARTED) {
      return INSTANCE_KEYS.merge(workers.get(task), 1, Integer::sum);
    }
  }

  /**
   * What sessions on this task's server run with: only this task's devices (so that a session
   * starts without waiting for the others, whose absence the collectives' timeout reports), task
   * 0 leading the collectives' groups, and {@code threads} intra- and inter-op threads (0:
   * {@link TfSession#processThreads}).
   */
  public ConfigProto sessionConfig(int threads) {
    ConfigProto.Builder config = ConfigProto.newBuilder().addDeviceFilters("/job:" + JOB + "/task:" + task)
        .setExperimental(ConfigProto.Experimental.newBuilder().setCollectiveGroupLeader("/job:" + JOB + "/replica:0/task:0"));
    int count = TfSession.threads(threads);
    if (count > 0) {
      config.setIntraOpParallelismThreads(count).setInterOpParallelismThreads(count);
    }
    return config.build();
  }

  private ClusterDef clusterDef() {
    JobDef.Builder job = JobDef.newBuilder().setName(JOB);
    for (int i = 0; i < workers.size(); i++) {
      job.putTasks(i, workers.get(i));
    }
    return ClusterDef.newBuilder().addJob(job).build();
  }
}
