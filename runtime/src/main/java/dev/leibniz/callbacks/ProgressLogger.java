package dev.leibniz.callbacks;

import dev.leibniz.Model;
import java.io.PrintStream;
import java.util.Map;

/**
 * What {@code fit} prints, one line per epoch as Keras's {@code verbose=2}:
 * {@code Epoch 1/5 - 177/177 - 2s - 9ms/step - accuracy: 0.9000 - loss: 0.3000}.
 */
public final class ProgressLogger implements Callback {
  private final PrintStream out;
  private final int epochs;
  private final int steps;
  private long start;

  public ProgressLogger(PrintStream out, int epochs, int steps) {
    this.out = out;
    this.epochs = epochs;
    this.steps = steps;
  }

  @Override
  public void onEpochBegin(Model model, int epoch) {
    start = System.nanoTime();
  }

  @Override
  public void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {
    out.println(line(epoch, epochs, steps, (System.nanoTime() - start) / 1e9, logs));
  }

  static String line(int epoch, int epochs, int steps, double seconds, Map<String, Double> logs) {
    StringBuilder line = new StringBuilder();
    line.append("Epoch ").append(epoch + 1).append('/').append(epochs).append(" - ").append(steps).append('/')
        .append(steps).append(" - ").append(Math.round(seconds)).append("s - ")
        .append(Math.round(seconds * 1000 / steps)).append("ms/step");
    logs.forEach((k, v) -> line.append(" - ").append(k).append(": ").append(String.format("%.4f", v)));
    return line.toString();
  }
}
