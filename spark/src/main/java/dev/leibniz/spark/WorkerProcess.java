package dev.leibniz.spark;

import com.google.gson.Gson;
import dev.leibniz.History;
import dev.leibniz.MultiWorkerMirroredStrategy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One worker's JVM, started by a Spark task: runs a {@link TrainingJob} on the cluster
 * {@code TF_CONFIG} names and writes what it returned (or how it failed) as JSON to a file the
 * task reads. It exits when done: TensorFlow's server cannot be stopped, so each training gets
 * fresh worker JVMs. Arguments: the job's class name, the result file.
 */
public final class WorkerProcess {
  private WorkerProcess() {}

  public static void main(String[] args) throws Exception {
    Path result = Path.of(args[1]);
    Map<String, Object> out = new LinkedHashMap<>();
    int status = 0;
    try {
      TrainingJob job = Class.forName(args[0]).asSubclass(TrainingJob.class).getConstructor().newInstance();
      History h = job.train(MultiWorkerMirroredStrategy.fromTfConfig());
      out.put("history", h == null ? Map.of() : h.history());
    } catch (Throwable e) {
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      out.put("error", e + "\n" + trace);
      status = 1;
    }
    Path tmp = result.resolveSibling(result.getFileName() + ".tmp");
    Files.writeString(tmp, new Gson().toJson(out));
    Files.move(tmp, result, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    System.exit(status);
  }
}
