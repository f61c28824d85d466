package dev.leibniz.callbacks;

import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Keras's {@code keras.utils.Progbar}: the progress of {@code target} steps with their running
 * values, drawn as Keras 3 draws it:
 * {@code  93/177 ━━━━━━━━━━━━━━━━━━━━ 1s 9ms/step - accuracy: 0.8858 - loss: 0.4023}.
 *
 * <p>{@code verbose} 1 on a terminal redraws the line in place (carriage return, Keras's colors),
 * at most every 50 ms; {@code verbose} 1 elsewhere (a pipe, a file, a CI log) prints only the
 * finished line, with no carriage returns or escape codes, where Keras would print a new line per
 * redraw; {@code verbose} 2 prints {@code 177/177 - 2s - 9ms/step - ...} when done. For loops of
 * your own: {@code update(step, () -> logs)} per step, {@code finish(logs)} at the end.
 */
public final class Progbar {
  private static final int WIDTH = 20;
  private static final double INTERVAL_S = 0.05;
  private final int target;
  private final PrintStream out;
  private final int verbose;
  private final boolean dynamic;
  private final char done;
  private final char todo;
  private final long start = System.nanoTime();
  private long afterFirstStep = -1;
  private long lastDrawn = start - (long) 1e9;
  private int drawnWidth;

  /** A bar over {@code target} steps, drawn in place when {@code out} is the terminal. */
  public Progbar(int target, PrintStream out, int verbose) {
    this(target, out, verbose, Terminal.is(out));
  }

  Progbar(int target, PrintStream out, int verbose, boolean dynamic) {
    if (target < 1) {
      throw new IllegalArgumentException("a progress bar needs at least 1 step, got " + target);
    }
    if (verbose < 0 || verbose > 2) {
      throw new IllegalArgumentException("verbose is 0 (quiet), 1 (progress bar) or 2 (one line), got " + verbose);
    }
    this.target = target;
    this.out = out;
    this.verbose = verbose;
    this.dynamic = dynamic;
    boolean unicode = Terminal.encodes(out, '━');
    this.done = unicode ? '━' : '=';
    this.todo = unicode ? '━' : '.';
  }

  /** After step {@code current} (from 1); {@code values} is asked for only when the bar is redrawn. */
  public void update(int current, Supplier<Map<String, Double>> values) {
    long now = System.nanoTime();
    if (current == 1 && afterFirstStep < 0) {
      afterFirstStep = now;
    }
    if (verbose != 1 || !dynamic || now - lastDrawn < INTERVAL_S * 1e9) {
      return;
    }
    lastDrawn = now;
    draw(current, values.get(), false, now);
  }

  /** The last step is done: the final line with {@code values}. */
  public void finish(Map<String, Double> values) {
    long now = System.nanoTime();
    if (verbose == 1) {
      draw(target, values, true, now);
    } else if (verbose == 2) {
      StringBuilder line = new StringBuilder(count(target)).append(" - ").append(Math.round(seconds(start, now)))
          .append("s -").append(perStep(target, now));
      appendValues(line, values);
      out.println(line);
    }
  }

  private void draw(int current, Map<String, Double> values, boolean finalize, long now) {
    StringBuilder line = new StringBuilder();
    int progress = (int) (WIDTH * (double) current / target);
    line.append(bold(count(current))).append(' ')
        .append(color("32", String.valueOf(done).repeat(progress)))
        .append(color("37", String.valueOf(todo).repeat(WIDTH - progress)));
    if (finalize) {
      line.append(' ').append(bold(Math.round(seconds(start, now)) + "s"));
    } else {
      line.append(' ').append(bold(eta(perStepSeconds(current, now) * (target - current))));
    }
    line.append(perStep(current, now));
    appendValues(line, values);
    if (!dynamic) {
      out.println(line);
      return;
    }
    int width = visibleLength(line);
    if (width < drawnWidth) {
      line.append(" ".repeat(drawnWidth - width)); // wipe the end of a longer line drawn before
    }
    drawnWidth = width;
    out.print("\r" + line + (finalize ? "\n" : ""));
    out.flush();
  }

  private String count(int current) {
    int digits = String.valueOf(target).length();
    return String.format(Locale.ROOT, "%" + digits + "d/%d", current, target);
  }

  private String bold(String s) {
    return dynamic ? "\u001b[1m" + s + "\u001b[0m" : s;
  }

  private String color(String code, String s) {
    return !dynamic || s.isEmpty() ? s : "\u001b[" + code + "m" + s + "\u001b[0m";
  }

  private static int visibleLength(CharSequence s) {
    return s.toString().replaceAll("\u001b\\[[0-9;]*m", "").length();
  }

  /** Seconds per step, leaving out the first (graph warm-up), as Keras estimates it. */
  private double perStepSeconds(int current, long now) {
    if (current <= 0) {
      return 0;
    }
    return afterFirstStep >= 0 && current > 1 ? seconds(afterFirstStep, now) / (current - 1) : seconds(start, now) / current;
  }

  private String perStep(int current, long now) {
    double t = perStepSeconds(current, now);
    if (t >= 1 || t == 0) {
      return String.format(Locale.ROOT, " %.0fs/step", t);
    }
    return t >= 1e-3 ? String.format(Locale.ROOT, " %.0fms/step", t * 1e3) : String.format(Locale.ROOT, " %.0fus/step", t * 1e6);
  }

  /** Keras's ETA: {@code 1:02:03}, {@code 2:03} or {@code 45s}. */
  static String eta(double seconds) {
    long s = (long) seconds;
    if (seconds > 3600) {
      return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s % 3600 / 60, s % 60);
    }
    return seconds > 60 ? String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60) : s + "s";
  }

  /** Keras's value format: 4 decimals, or 4 significant digits in exponent form for values at most 1e-3. */
  static void appendValues(StringBuilder line, Map<String, Double> values) {
    values.forEach((k, v) -> line.append(" - ").append(k).append(": ")
        .append(String.format(Locale.ROOT, Math.abs(v) > 1e-3 ? "%.4f" : "%.4e", v)));
  }

  private static double seconds(long from, long to) {
    return (to - from) / 1e9;
  }

  /** Whether an output stream is an interactive terminal, and what it can print. */
  static final class Terminal {
    private Terminal() {}

    /** {@code out} is the process's standard output and that is a terminal (Console.isTerminal on JDK 22+). */
    static boolean is(PrintStream out) {
      if (out != System.out || System.console() == null) {
        return false;
      }
      try {
        return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(System.console());
      } catch (NoSuchMethodException e) {
        return true; // before JDK 22 there is a console only when stdin and stdout are terminals
      } catch (ReflectiveOperationException e) {
        return false;
      }
    }

    /** Whether {@code out} can print {@code c} (the bar's heavy line; ASCII where the encoding lacks it). */
    static boolean encodes(PrintStream out, char c) {
      Charset charset;
      try {
        charset = (Charset) PrintStream.class.getMethod("charset").invoke(out); // JDK 18+
      } catch (ReflectiveOperationException e) {
        String name = System.getProperty("sun.stdout.encoding");
        charset = out == System.out && name != null && Charset.isSupported(name) ? Charset.forName(name)
            : Charset.defaultCharset();
      }
      return charset.newEncoder().canEncode(c);
    }
  }
}
