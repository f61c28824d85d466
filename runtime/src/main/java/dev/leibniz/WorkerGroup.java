package dev.leibniz;

import dev.leibniz.dsl.Variable;
import dev.leibniz.tf.Collectives;
import dev.leibniz.tf.TfGraph;
import dev.leibniz.tf.TfSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.tensorflow.Operand;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.op.Op;
import org.tensorflow.types.TFloat32;

/**
 * An {@link Engine}'s part in multi-worker training ({@link MultiWorkerMirroredStrategy}): its
 * session on the task's server, the step's all-reduce ({@link WorkerSum}), the check before the
 * first step that every worker is there with the same model and data, and failures turned into
 * errors that name the worker missing.
 */
final class WorkerGroup {
  private final MultiWorkerMirroredStrategy strategy;
  private Operand<TFloat32> checkFeed;
  private Operand<TFloat32> check;

  WorkerGroup(MultiWorkerMirroredStrategy strategy) {
    this.strategy = strategy;
  }

  /** This worker's seed of the graph's random ops: each worker draws its own dropout masks. */
  long seed(long modelSeed) {
    return modelSeed + 0x9E3779B97F4A7C15L * strategy.taskIndex();
  }

  /** A session on this task's server (started if need be). */
  TfSession session(TfGraph graph, int threads) {
    return new TfSession(graph, strategy.cluster(), threads);
  }

  /** What a training step runs once its values are summed across the workers. */
  record Step(Function<Variable, Operand<TFloat32>> gradients, List<Operand<TFloat32>> losses, List<Op> updates) {}

  /**
   * The step's gradients ({@code local} of each weight), losses, metric statistics and
   * moving-statistic updates, summed across the workers in one all-reduce, as every worker then
   * applies them: the gradients and losses as means over every worker's samples, the metric
   * statistics as sums ({@code statistics}: each metric total's increment), the moving statistics
   * averaged (Keras keeps their mean across replicas). {@code rows}: this worker's samples.
   */
  Step allReduced(TfGraph graph, Operand<TFloat32> rows, Function<Variable, Operand<TFloat32>> local,
      List<Operand<TFloat32>> losses, Map<TfGraph.State, Operand<TFloat32>> statistics) {
    var ops = graph.ops();
    WorkerSum sum = new WorkerSum(graph, rows);
    Map<Variable, Integer> gradients = new IdentityHashMap<>();
    for (TfGraph.Weight w : graph.weights()) {
      Operand<TFloat32> g = local.apply(w.variable());
      if (g != null) {
        gradients.put(w.variable(), sum.mean(g));
      }
    }
    List<Integer> lossParts = losses.stream().map(sum::mean).toList();
    Map<TfGraph.State, Integer> statParts = new LinkedHashMap<>();
    statistics.forEach((st, stat) -> statParts.put(st, sum.sum(stat)));
    List<TfGraph.MovingUpdate> moving = graph.movingUpdates();
    List<Integer> movingParts = moving.stream().map(m -> sum.mean(m.delta())).toList();
    sum.reduce(strategy.numWorkers(), strategy.cluster().nextInstanceKey(), seconds(strategy.timeout()));
    List<Op> updates = new ArrayList<>();
    statParts.forEach((st, part) -> updates.add(ops.assignAddVariableOp(st.handle(), sum.result(part))));
    for (int i = 0; i < moving.size(); i++) {
      updates.add(ops.assignSubVariableOp(moving.get(i).handle(), sum.result(movingParts.get(i))));
    }
    checkFeed = graph.placeholder("cluster_check", 4);
    check = Collectives.allReduceSum(ops, checkFeed, strategy.numWorkers(), 1, strategy.cluster().nextInstanceKey(),
        seconds(strategy.startupTimeout()));
    return new Step(v -> gradients.containsKey(v) ? sum.result(gradients.get(v)) : null,
        lossParts.stream().map(sum::result).toList(), updates);
  }

  private static float seconds(Duration d) {
    return d.toMillis() / 1000f;
  }

  /**
   * Before the first step: waits (up to the startup timeout) for every worker to join, and checks
   * they train the same model ({@code weights} values) on data of the same size, or the steps'
   * all-reduces would hang or mix different things.
   */
  void join(TfSession session, long steps, int batchSize, long weights) {
    if (check == null) {
      throw new IllegalStateException("the model's training graph is not built: compile it before fit");
    }
    float[] own = {1, steps, batchSize, weights};
    float[] all;
    try (TFloat32 fed = TFloat32.vectorOf(own)) {
      all = session.run(Map.of(checkFeed, fed), List.of(check)).get(0);
    } catch (TensorFlowException e) {
      throw failed("the workers did not all start within " + strategy.startupTimeout().toSeconds() + " s", e);
    }
    String[] what = {"workers", "steps per epoch", "global batch size", "weights"};
    for (int i = 1; i < own.length; i++) {
      if (all[i] != own[i] * all[0]) {
        throw new WorkerFailedException("the workers disagree on the " + what[i] + ": this worker (task "
            + strategy.taskIndex() + ") has " + (long) own[i] + ", their mean is " + all[i] / all[0] + ". Every worker"
            + " must build the same model and call fit with the same data and options", null);
      }
    }
  }

  /** A training step that failed: a {@link WorkerFailedException} naming the workers that no longer answer. */
  WorkerFailedException stepFailed(long step, TensorFlowException cause) {
    return failed("step " + step + " did not complete within " + strategy.timeout().toSeconds() + " s", cause);
  }

  /** An error for what multi-worker training does not distribute. */
  IllegalStateException refused(String what) {
    return new IllegalStateException(what + " are not distributed: multi-worker training (" + strategy + ") runs"
        + " the fit of compile(optimizer, loss, metrics)");
  }

  /**
   * A failed all-reduce as an error that names the workers that did not take part: those whose
   * server no longer answers are the dead ones; where all answer, one stopped taking steps.
   */
  private WorkerFailedException failed(String what, RuntimeException cause) {
    List<String> silent = new ArrayList<>();
    List<String> workers = strategy.workers();
    for (int i = 0; i < workers.size(); i++) {
      if (i != strategy.taskIndex() && !answers(workers.get(i))) {
        silent.add("worker " + i + " (" + workers.get(i) + ")");
      }
    }
    String who = silent.isEmpty()
        ? "every worker's server answers, so one of them stopped taking steps (its fit ended early, failed, or hangs)"
        : String.join(", ", silent) + (silent.size() == 1 ? " does" : " do") + " not answer: dead or unreachable";
    return new WorkerFailedException(what + " (task " + strategy.taskIndex() + "): " + who + ". TensorFlow's"
        + " collectives cannot run again in this process: restart every worker; fit with BackupAndRestore resumes"
        + " from the chief's last backup. TensorFlow said: " + cause.getMessage().lines()
        .filter(l -> !l.isBlank() && !l.startsWith("From ")).findFirst().orElse(""), cause);
  }

  /** Whether a TCP connection to {@code address} ({@code host:port}) opens within a second. */
  private static boolean answers(String address) {
    int colon = address.lastIndexOf(':');
    try (java.net.Socket s = new java.net.Socket()) {
      s.connect(new java.net.InetSocketAddress(address.substring(0, colon),
          Integer.parseInt(address.substring(colon + 1))), 1000);
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
