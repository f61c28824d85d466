package dev.leibniz.saving;

import dev.leibniz.tf.TfGraph;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * A training checkpoint: every weight and the optimizer's state (slots and step count) by name,
 * the input shapes the model was built for, and the number of epochs trained. One file, written
 * atomically ({@link AtomicFiles}), ending in a CRC-32 of its content so that a damaged file is
 * refused, never half-read.
 *
 * <p>Format (big-endian): magic {@code LEIBNIZC}, version (int), epoch (int), optimizer name
 * (UTF, empty: none), input shapes (count, then rank and dims each), weights, then optimizer
 * state (each: count, then per entry its UTF name, rank, dims and float values), then the CRC-32
 * (long) of all bytes before it.
 */
public final class Checkpoint {
  private static final byte[] MAGIC = "LEIBNIZC".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final int VERSION = 1;
  private static final int MAX_RANK = 16;

  /** One variable's name, shape and values (row-major). */
  public record Entry(String name, long[] shape, float[] values) {
    public Entry {
      if (values.length != size(shape)) {
        throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " holds " + size(shape)
            + " values, got " + values.length);
      }
    }
  }

  private final int epoch;
  private final String optimizer;
  private final List<long[]> inputShapes;
  private final List<Entry> weights;
  private final List<Entry> optimizerState;

  /** {@code optimizer}: the optimizer's Keras name, or null where the state holds none. */
  public Checkpoint(int epoch, String optimizer, List<long[]> inputShapes, List<Entry> weights,
      List<Entry> optimizerState) {
    this.epoch = epoch;
    this.optimizer = optimizer == null ? "" : optimizer;
    this.inputShapes = List.copyOf(inputShapes);
    this.weights = List.copyOf(weights);
    this.optimizerState = List.copyOf(optimizerState);
  }

  /** The epochs trained when it was saved: pass it to {@code FitOptions.initialEpoch} to resume. */
  public int epoch() {
    return epoch;
  }

  /** The optimizer's Keras name, or "" where it holds no optimizer state. */
  public String optimizer() {
    return optimizer;
  }

  public List<long[]> inputShapes() {
    return inputShapes;
  }

  public List<Entry> weights() {
    return weights;
  }

  public List<Entry> optimizerState() {
    return optimizerState;
  }

  /**
   * A checkpoint of a model's graph: each weight's and each optimizer state's name, shape and
   * current value ({@code values} in the order of the weights, then the optimizer states).
   */
  public static Checkpoint of(int epoch, String optimizer, List<long[]> inputShapes, List<TfGraph.State> weights,
      List<TfGraph.State> optimizerStates, List<float[]> values) {
    List<Entry> entries = new ArrayList<>();
    List<TfGraph.State> all = new ArrayList<>(weights);
    all.addAll(optimizerStates);
    for (int i = 0; i < all.size(); i++) {
      entries.add(new Entry(all.get(i).name(), all.get(i).shape(), values.get(i)));
    }
    return new Checkpoint(epoch, optimizer, inputShapes, entries.subList(0, weights.size()),
        entries.subList(weights.size(), entries.size()));
  }

  /**
   * The values this checkpoint gives a model's weights and, where the model is compiled with the
   * same kind of optimizer ({@code optimizer}, null when it is not compiled), its optimizer state;
   * a name or shape that does not match is an error that lists both sides.
   */
  public Map<TfGraph.State, float[]> valuesFor(String what, List<TfGraph.State> modelWeights,
      List<TfGraph.State> modelOptimizerStates, String modelOptimizer) {
    Map<TfGraph.State, float[]> values = new LinkedHashMap<>();
    match(what, "weights", modelWeights, weights, values);
    if (modelOptimizer != null && !optimizerState.isEmpty()) {
      if (!optimizer.equals(modelOptimizer)) {
        throw new IllegalArgumentException(what + " holds the state of optimizer " + optimizer
            + ", but the model is compiled with " + modelOptimizer);
      }
      match(what, "optimizer state", modelOptimizerStates, optimizerState, values);
    }
    return values;
  }

  private static void match(String what, String kind, List<TfGraph.State> states, List<Entry> entries,
      Map<TfGraph.State, float[]> values) {
    Map<String, Entry> byName = new LinkedHashMap<>();
    entries.forEach(en -> byName.put(en.name(), en));
    List<String> expected = states.stream().map(TfGraph.State::name).toList();
    if (!byName.keySet().equals(new LinkedHashSet<>(expected))) {
      throw new IllegalArgumentException(what + " does not fit this model: its " + kind + " are " + byName.keySet()
          + ", the model's are " + expected);
    }
    for (TfGraph.State s : states) {
      Entry en = byName.get(s.name());
      if (!Arrays.equals(en.shape(), s.shape())) {
        throw new IllegalArgumentException(what + " does not fit this model: " + s.name() + " has shape "
            + Arrays.toString(en.shape()) + " there, " + Arrays.toString(s.shape()) + " in the model");
      }
      values.put(s, en.values());
    }
  }

  /** Writes the checkpoint to {@code file} atomically: on failure the previous file stays as it was. */
  public void write(Path file) throws IOException {
    AtomicFiles.write(file, raw -> {
      CRC32 crc = new CRC32();
      DataOutputStream out = new DataOutputStream(new CheckedOutputStream(new BufferedOutputStream(raw, 1 << 16), crc));
      out.write(MAGIC);
      out.writeInt(VERSION);
      out.writeInt(epoch);
      out.writeUTF(optimizer);
      out.writeInt(inputShapes.size());
      for (long[] shape : inputShapes) {
        writeShape(out, shape);
      }
      writeEntries(out, weights);
      writeEntries(out, optimizerState);
      out.flush();
      new DataOutputStream(raw).writeLong(crc.getValue());
    });
  }

  private static void writeEntries(DataOutputStream out, List<Entry> entries) throws IOException {
    out.writeInt(entries.size());
    for (Entry e : entries) {
      out.writeUTF(e.name());
      writeShape(out, e.shape());
      ByteBuffer bytes = ByteBuffer.allocate(e.values().length * Float.BYTES);
      bytes.asFloatBuffer().put(e.values());
      out.write(bytes.array());
    }
  }

  private static void writeShape(DataOutputStream out, long[] shape) throws IOException {
    out.writeInt(shape.length);
    for (long d : shape) {
      out.writeLong(d);
    }
  }

  /** Reads a checkpoint, refusing a missing, foreign, truncated or damaged file with a message saying which. */
  public static Checkpoint read(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new NoSuchFileException(file.toString(), null, "no checkpoint at this path");
    }
    if (Files.isDirectory(file)) {
      throw new IOException("checkpoint " + file + " is a directory, expected a file written by saveCheckpoint"
          + " (a SavedModel directory is loaded with Leibniz.load)");
    }
    long length = Files.size(file);
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      CheckedInputStream checked = new CheckedInputStream(raw, new CRC32());
      DataInputStream in = new DataInputStream(checked);
      byte[] magic = new byte[MAGIC.length];
      in.readFully(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new IOException("not a Leibniz checkpoint: " + file + " does not start with " + new String(MAGIC,
            java.nio.charset.StandardCharsets.US_ASCII));
      }
      int version = in.readInt();
      if (version != VERSION) {
        throw new IOException("checkpoint " + file + " has format version " + version + "; this Leibniz reads version "
            + VERSION);
      }
      int epoch = in.readInt();
      String optimizer = in.readUTF();
      int inputs = count(in, file, "input shapes", length);
      List<long[]> inputShapes = new ArrayList<>();
      for (int i = 0; i < inputs; i++) {
        inputShapes.add(readShape(in, file));
      }
      List<Entry> weights = readEntries(in, file, length);
      List<Entry> state = readEntries(in, file, length);
      long computed = checked.getChecksum().getValue();
      long stored = new DataInputStream(raw).readLong();
      if (computed != stored || raw.read() != -1) {
        throw new IOException("corrupt checkpoint " + file + ": its checksum does not match its content");
      }
      return new Checkpoint(epoch, optimizer, inputShapes, weights, state);
    } catch (EOFException e) {
      throw new IOException("corrupt checkpoint " + file + ": the file ends early (" + length + " bytes);"
          + " it was not written by saveCheckpoint or was cut short", e);
    }
  }

  private static List<Entry> readEntries(DataInputStream in, Path file, long length) throws IOException {
    int n = count(in, file, "entries", length);
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String name = in.readUTF();
      long[] shape = readShape(in, file);
      long size;
      try {
        size = size(shape);
      } catch (ArithmeticException e) {
        size = Long.MAX_VALUE / Float.BYTES;
      }
      if (size * Float.BYTES > length) {
        throw new IOException("corrupt checkpoint " + file + ": entry " + name + " claims " + size
            + " values, more than the file holds");
      }
      byte[] bytes = new byte[Math.toIntExact(size * Float.BYTES)];
      in.readFully(bytes);
      float[] values = new float[(int) size];
      ByteBuffer.wrap(bytes).asFloatBuffer().get(values);
      entries.add(new Entry(name, shape, values));
    }
    return entries;
  }

  private static int count(DataInputStream in, Path file, String what, long length) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > length) {
      throw new IOException("corrupt checkpoint " + file + ": " + n + " " + what);
    }
    return n;
  }

  private static long[] readShape(DataInputStream in, Path file) throws IOException {
    int rank = in.readInt();
    if (rank < 0 || rank > MAX_RANK) {
      throw new IOException("corrupt checkpoint " + file + ": a shape of rank " + rank);
    }
    long[] shape = new long[rank];
    for (int i = 0; i < rank; i++) {
      shape[i] = in.readLong();
      if (shape[i] < 0) {
        throw new IOException("corrupt checkpoint " + file + ": a shape " + Arrays.toString(shape));
      }
    }
    return shape;
  }

  private static long size(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }
}
