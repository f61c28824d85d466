package dev.leibniz.data;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32C;
import org.tensorflow.proto.Example;
import org.tensorflow.proto.Features;
import org.tensorflow.proto.FloatList;
import org.tensorflow.proto.Int64List;

/**
 * TFRecord files, TensorFlow's format for records on disk: each record is its length (8 bytes,
 * little-endian), the masked CRC-32C of the length, the bytes, and their masked CRC-32C. Writes
 * {@code tf.train.Example} records from arrays, so that data converted once streams in every
 * later run ({@link Dataset#tfRecords}); and counts and checks files in Java, to size a progress
 * bar and to name the record a failed read came from.
 */
public final class TfRecords {
  private TfRecords() {}

  /**
   * One {@code tf.train.Example} per sample: feature {@code names.get(i)} holds sample's values of
   * {@code columns.get(i)}, as an {@code int64_list} for {@link Data#labels} and a {@code float_list}
   * otherwise. The file appears whole or not at all
   * ({@code AtomicFiles}).
   */
  public static void write(Path file, List<String> names, List<Data> columns) throws IOException {
    write(file, names, columns, false);
  }

  /**
   * As {@link #write}, the float columns as raw bytes ({@link Feature#rawFloats}: one
   * {@code bytes_list} entry of little-endian float32 per sample), the fastest to read back.
   */
  public static void writeRaw(Path file, List<String> names, List<Data> columns) throws IOException {
    write(file, names, columns, true);
  }

  private static void write(Path file, List<String> names, List<Data> columns, boolean raw) throws IOException {
    if (names.size() != columns.size() || names.isEmpty()) {
      throw new IllegalArgumentException("one name per column: got " + names.size() + " names for " + columns.size()
          + " columns");
    }
    int count = columns.get(0).count();
    for (int c = 0; c < columns.size(); c++) {
      if (columns.get(c).count() != count) {
        throw new IllegalArgumentException("column " + names.get(c) + " holds " + columns.get(c).count()
            + " samples, column " + names.get(0) + " " + count);
      }
    }
    dev.leibniz.saving.AtomicFiles.write(file, out -> {
      Writer w = new Writer(out);
      for (int i = 0; i < count; i++) {
        w.write(example(names, columns, i, raw));
      }
      w.flush();
    });
  }

  private static Example example(List<String> names, List<Data> columns, int i, boolean raw) {
    Features.Builder features = Features.newBuilder();
    for (int c = 0; c < columns.size(); c++) {
      Data d = columns.get(c);
      float[] v = d.sample(i);
      org.tensorflow.proto.Feature.Builder f = org.tensorflow.proto.Feature.newBuilder();
      if (d.isLabels()) {
        Int64List.Builder ints = Int64List.newBuilder();
        for (float x : v) {
          ints.addValue((long) x);
        }
        f.setInt64List(ints);
      } else if (raw) {
        ByteBuffer bytes = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(v);
        f.setBytesList(org.tensorflow.proto.BytesList.newBuilder().addValue(com.google.protobuf.ByteString.copyFrom(bytes)));
      } else {
        FloatList.Builder floats = FloatList.newBuilder();
        for (float x : v) {
          floats.addValue(x);
        }
        f.setFloatList(floats);
      }
      features.putFeature(names.get(c), f.build());
    }
    return Example.newBuilder().setFeatures(features).build();
  }

  /**
   * Writes records one after the other, for records of your own (an {@code Example} with string
   * features, say): {@code AtomicFiles.write(file, out -> { var w = new TfRecords.Writer(out); ...; w.flush(); })}.
   */
  public static final class Writer implements Closeable {
    private final OutputStream out;
    private final ByteBuffer header = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer footer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);

    public Writer(OutputStream out) {
      this.out = new BufferedOutputStream(out, 1 << 16);
    }

    public Writer(Path file) throws IOException {
      this(Files.newOutputStream(file));
    }

    public void flush() throws IOException {
      out.flush();
    }

    public void write(Example example) throws IOException {
      write(example.toByteArray());
    }

    public void write(byte[] record) throws IOException {
      header.clear();
      header.putLong(record.length);
      header.putInt(maskedCrc(header.array(), 0, 8));
      out.write(header.array());
      out.write(record);
      footer.clear();
      footer.putInt(maskedCrc(record, 0, record.length));
      out.write(footer.array());
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }

  /** TensorFlow's masked CRC-32C: rotated right by 15 bits plus a constant, so that CRCs of CRCs stay strong. */
  static int maskedCrc(byte[] b, int from, int length) {
    CRC32C crc = new CRC32C();
    crc.update(b, from, length);
    int c = (int) crc.getValue();
    return ((c >>> 15) | (c << 17)) + 0xa282ead8;
  }

  /**
   * The records in {@code file}; with {@code check}, every length and record is checked against its
   * CRC. A truncated or corrupt file fails with the record's number (from 1) and what was wrong.
   */
  static long count(Path file, boolean check) throws IOException {
    long n = 0;
    byte[] head = new byte[12];
    try (InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw, 1 << 16))) {
      while (true) {
        int got = in.readNBytes(head, 0, 12);
        if (got == 0) {
          return n;
        }
        n++;
        if (got < 12) {
          throw corrupt(file, n, "the file ends inside the record's header (" + got + " of 12 bytes)");
        }
        ByteBuffer h = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        long length = h.getLong(0);
        if (h.getInt(8) != maskedCrc(head, 0, 8)) {
          throw corrupt(file, n, "the record's length fails its checksum (not a TFRecord file, or damaged)");
        }
        if (length < 0 || length > Integer.MAX_VALUE - 8) {
          throw corrupt(file, n, "a record length of " + length + " bytes");
        }
        if (check) {
          byte[] record = new byte[(int) length];
          byte[] crc = new byte[4];
          try {
            in.readFully(record);
            in.readFully(crc);
          } catch (EOFException e) {
            throw corrupt(file, n, "the file ends inside the record (" + length + " bytes expected)");
          }
          if (ByteBuffer.wrap(crc).order(ByteOrder.LITTLE_ENDIAN).getInt() != maskedCrc(record, 0, record.length)) {
            throw corrupt(file, n, "the record's bytes fail their checksum");
          }
        } else {
          try {
            in.skipNBytes(length + 4);
          } catch (EOFException e) {
            throw corrupt(file, n, "the file ends inside the record (" + length + " bytes expected)");
          }
        }
      }
    }
  }

  private static DataException corrupt(Path file, long record, String what) {
    return new DataException(file + ", record " + record + ": " + what);
  }
}
