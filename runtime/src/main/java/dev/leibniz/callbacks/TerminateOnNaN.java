package dev.leibniz.callbacks;

import dev.leibniz.Model;
import java.io.PrintStream;
import java.util.Map;

/**
 * Keras's {@code TerminateOnNaN}: when a batch's loss is NaN or infinite, stops training after
 * that batch (the epoch's logs and History keep what was run) instead of {@code fit}'s default,
 * an {@code ArithmeticException} naming the epoch and batch. Either way the weights are no longer
 * usable; restore a checkpoint.
 */
public final class TerminateOnNaN implements Callback {
  private final PrintStream out;

  public TerminateOnNaN() {
    this(System.out);
  }

  /** Prints Keras's "Batch N: Invalid loss, terminating training" to {@code out} (null: nothing). */
  public TerminateOnNaN(PrintStream out) {
    this.out = out;
  }

  @Override
  public void onTrainBatchEnd(Model model, int batch, Map<String, Double> logs) {
    Double loss = logs.get("loss");
    if (loss != null && !Double.isFinite(loss)) {
      if (out != null) {
        out.println("Batch " + batch + ": Invalid loss, terminating training");
      }
      model.stopTraining();
    }
  }
}
