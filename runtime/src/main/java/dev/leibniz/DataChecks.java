package dev.leibniz;

import dev.leibniz.data.Data;
import dev.leibniz.losses.Loss;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The checks of what {@code fit}, {@code evaluate} and {@code predict} are given, against the
 * model: each failure an exception that says what was received and what was expected.
 */
final class DataChecks {
  /** A list of data arguments, each present. */
  static void present(String what, List<Data> data) {
    if (data == null) {
      throw new IllegalArgumentException(what + " is null; pass the data (Data.of(values, sampleShape...))");
    }
    for (int i = 0; i < data.size(); i++) {
      if (data.get(i) == null) {
        throw new IllegalArgumentException(what + (data.size() > 1 ? " " + i : "") + " is null; pass the data"
            + " (Data.of(values, sampleShape...))");
      }
    }
  }

  private DataChecks() {}

  /** As many inputs as the model takes, each with the same positive number of samples, and targets to match; the count. */
  static int counts(int modelInputs, List<Data> x, List<Data> y) {
    if (x.size() != modelInputs) {
      throw new IllegalArgumentException("the model takes " + modelInputs + " input(s), got " + x.size());
    }
    int n = x.get(0).count();
    if (n == 0) {
      throw new IllegalArgumentException("no samples to work on");
    }
    for (int i = 0; i < x.size(); i++) {
      if (x.get(i).count() != n) {
        throw new IllegalArgumentException("input " + i + " has " + x.get(i).count() + " samples but input 0 has " + n);
      }
    }
    for (int i = 0; i < y.size(); i++) {
      if (y.get(i).count() != n) {
        throw new IllegalArgumentException("mismatched sample counts: x has " + n + " samples but y"
            + (y.size() > 1 ? " " + i : "") + " has " + y.get(i).count());
      }
    }
    return n;
  }

  /** Sample shapes that fit the ones the model was {@code how} for (declared, built; -1 takes any size). */
  static void shapes(List<long[]> expected, List<long[]> got, String how) {
    for (int i = 0; i < expected.size(); i++) {
      if (expected.get(i) != null && !compatible(expected.get(i), got.get(i))) {
        throw new IllegalArgumentException("input " + i + ": the model was " + how + " for samples of shape "
            + Arrays.toString(expected.get(i)) + ", got samples of shape " + Arrays.toString(got.get(i)));
      }
    }
  }

  /** Each one's sample shape (a loop, not a stream: a small model's step runs it before the JIT has compiled it). */
  static List<long[]> shapes(List<Data> x) {
    List<long[]> out = new ArrayList<>(x.size());
    for (Data d : x) {
      out.add(d.sampleShape());
    }
    return out;
  }

  /** For sparse losses, a column of class indices ({@code [n, 1]}, as Keras takes) as one index per sample. */
  static List<Data> classColumns(List<Loss> losses, List<Data> y) {
    List<Data> out = new ArrayList<>(y);
    for (int i = 0; i < out.size() && i < losses.size(); i++) {
      Data t = out.get(i);
      if (losses.get(i).sparse() && Arrays.equals(t.sampleShape(), new long[] {1})) {
        out.set(i, Data.of(t.values()));
      }
    }
    return out;
  }

  /** Targets against outputs and losses: class indices in range for sparse losses, else the output's shape. */
  static void targets(Engine e, List<Data> y, String what) {
    boolean[] labels = new boolean[y.size()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = y.get(i).isLabels();
    }
    targetShapes(e, shapes(y), labels, what);
    for (int i = 0; i < y.size(); i++) {
      if (e.config.losses().get(i).sparse()) {
        long[] out = e.outputShapes.get(i);
        long classes = out.length < 2 ? -1 : out[out.length - 1];
        float[] v = y.get(i).values();
        for (int k = 0; k < v.length; k++) {
          if (v[k] != Math.rint(v[k]) || v[k] < 0 || (classes > 0 && v[k] >= classes)) {
            throw new IllegalArgumentException(what + ": label " + v[k] + " at sample " + k + " is not a class index in"
                + " [0, " + classes + ") for an output of shape " + Arrays.toString(out));
          }
        }
      }
    }
  }

  /** A dataset's targets against the outputs and losses: their sample shapes (the values are not in memory). */
  static void targetShapes(Engine e, List<long[]> y, String what) {
    targetShapes(e, y, new boolean[y.size()], what);
  }

  /** Each target's sample shape: one class index per output row for sparse losses, else the output's shape. */
  private static void targetShapes(Engine e, List<long[]> y, boolean[] labels, String what) {
    if (y.size() != e.targets.size()) {
      throw new IllegalArgumentException("the model takes " + e.targets.size() + " target(s) (one per output, none for"
          + " custom objectives), got " + y.size());
    }
    for (int i = 0; i < y.size(); i++) {
      Loss loss = e.config.losses().get(i);
      long[] out = e.outputShapes.get(i);
      long[] sample = Arrays.copyOfRange(out, 1, out.length);
      if (loss.sparse()) {
        long[] rows = sample.length == 0 ? sample : Arrays.copyOf(sample, sample.length - 1);
        if (!compatible(rows, y.get(i))) {
          throw new IllegalArgumentException(what + ": " + loss.name() + " takes one class index per output row ("
              + (rows.length == 0 ? "one per sample: int[] labels, Data.labels" : "samples of shape " + Arrays.toString(rows))
              + "), got samples of shape " + Arrays.toString(y.get(i))
              + " (for one-hot targets use categorical_crossentropy)");
        }
      } else if (!compatible(sample, y.get(i))) {
        throw new IllegalArgumentException(what + ": targets have shape " + Arrays.toString(y.get(i))
            + " per sample but the model outputs " + Arrays.toString(sample) + " per sample"
            + (labels[i] ? "; for class indices use sparse_categorical_crossentropy" : ""));
      }
    }
  }

  /** Whether {@code got} has {@code expected}'s rank and its dimensions, where known (-1: any). */
  private static boolean compatible(long[] expected, long[] got) {
    if (expected.length != got.length) {
      return false;
    }
    for (int i = 0; i < expected.length; i++) {
      if (expected[i] >= 0 && expected[i] != got[i]) {
        return false;
      }
    }
    return true;
  }
}
