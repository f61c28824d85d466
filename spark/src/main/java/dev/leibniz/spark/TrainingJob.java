package dev.leibniz.spark;

import dev.leibniz.History;
import dev.leibniz.MultiWorkerMirroredStrategy;

/**
 * What every worker of a {@link SparkTraining} runs, in a JVM of its own: build the model, give
 * it {@code strategy} ({@code model.distribute(strategy)}), compile and fit, as on one machine;
 * return fit's {@link History}. Each worker loads the same data (the global batches are cut
 * into each worker's share by {@code fit}). Implementations need a public no-argument
 * constructor and must be on the executors' class path.
 */
public interface TrainingJob {
  History train(MultiWorkerMirroredStrategy strategy) throws Exception;
}
