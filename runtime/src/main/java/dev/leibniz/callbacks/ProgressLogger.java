package dev.leibniz.callbacks;

import dev.leibniz.Model;
import java.io.PrintStream;
import java.util.Map;

/**
 * What {@code fit} prints, as Keras 3's {@code ProgbarLogger}: {@code Epoch 1/5} (when there is
 * more than one epoch), then a {@link Progbar} over the epoch's steps: redrawn per batch on a
 * terminal with {@code verbose(1)}, one line at the epoch's end otherwise.
 */
public final class ProgressLogger implements Callback {
  private final PrintStream out;
  private final int verbose;
  private final int epochs;
  private final int steps;
  private final boolean dynamic;
  private Progbar bar;

  public ProgressLogger(PrintStream out, int verbose, int epochs, int steps) {
    this(out, verbose, epochs, steps, Progbar.Terminal.is(out));
  }

  ProgressLogger(PrintStream out, int verbose, int epochs, int steps, boolean dynamic) {
    this.out = out;
    this.verbose = verbose;
    this.epochs = epochs;
    this.steps = steps;
    this.dynamic = dynamic;
  }

  @Override
  public void onEpochBegin(Model model, int epoch) {
    if (epochs > 1) {
      out.println("Epoch " + (epoch + 1) + "/" + epochs);
    }
    bar = new Progbar(Math.max(1, steps), out, verbose, dynamic);
  }

  @Override
  public void onTrainBatchEnd(Model model, int batch, Map<String, Double> logs) {
    bar.update(batch + 1, () -> logs);
  }

  @Override
  public void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {
    bar.finish(logs);
  }
}
