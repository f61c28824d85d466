package dev.leibniz.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files (the format of MNIST), gzip-compressed or not: any element type, any number of
 * dimensions, the counts taken from the header.
 */
public final class Idx {
  private Idx() {}

  /** The dimensions from the header and the values, as floats, row-major. */
  public record Array(int[] dims, float[] values) {
    /** As samples: the first dimension counts them, the rest is the sample shape. */
    public Data toData(float scale) {
      float[] v = values.clone();
      for (int i = 0; i < v.length; i++) {
        v[i] *= scale;
      }
      long[] sample = new long[dims.length - 1];
      for (int i = 1; i < dims.length; i++) {
        sample[i - 1] = dims[i];
      }
      return Data.of(v, sample);
    }

    /** A one-dimensional array of integers as class labels. */
    public Data toLabels() {
      if (dims.length != 1) {
        throw new IllegalArgumentException("labels are a one-dimensional IDX array, got dimensions " + Arrays.toString(dims));
      }
      int[] labels = new int[values.length];
      for (int i = 0; i < labels.length; i++) {
        labels[i] = (int) values[i];
      }
      return Data.labels(labels);
    }
  }

  public static Array read(Path file) throws IOException {
    InputStream raw;
    try {
      raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(file.toString(), null, "IDX file not found");
    }
    try (InputStream in = raw) {
      in.mark(2);
      int b0 = in.read();
      int b1 = in.read();
      in.reset();
      InputStream body = b0 == 0x1f && b1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(in), 1 << 16) : in;
      return parse(new DataInputStream(body), file);
    }
  }

  private static Array parse(DataInputStream in, Path file) throws IOException {
    try {
      int zero = in.readUnsignedShort();
      int type = in.readUnsignedByte();
      int rank = in.readUnsignedByte();
      if (zero != 0 || rank == 0) {
        throw new IOException(file + " is not an IDX file: its header starts " + String.format("%04x %02x %02x", zero, type, rank)
            + ", expected 0000, a type byte and the number of dimensions");
      }
      int[] dims = new int[rank];
      long count = 1;
      for (int i = 0; i < rank; i++) {
        dims[i] = in.readInt();
        if (dims[i] < 0) {
          throw new IOException(file + " is not a valid IDX file: its header announces a negative dimension, "
              + Arrays.toString(Arrays.copyOf(dims, i + 1)));
        }
        count *= dims[i];
        if (count > Integer.MAX_VALUE) {
          throw new IOException(file + ": its header announces more values than a Java array holds (dimensions "
              + Arrays.toString(Arrays.copyOf(dims, i + 1)) + "...)");
        }
      }
      int size = switch (type) {
        case 0x08, 0x09 -> 1;
        case 0x0B -> 2;
        case 0x0C, 0x0D -> 4;
        case 0x0E -> 8;
        default -> throw new IOException(file + ": unknown IDX element type 0x" + Integer.toHexString(type)
            + "; expected 08, 09, 0B, 0C, 0D or 0E");
      };
      long bytes = count * size;
      if (bytes > Integer.MAX_VALUE - 16) {
        throw new IOException(file + ": its header announces " + Arrays.toString(dims) + ", " + bytes
            + " bytes of values, more than one array holds");
      }
      // Read what is there before making room for what the header announces: a short file with a
      // huge header is an error, not an OutOfMemoryError.
      byte[] body = in.readNBytes((int) bytes);
      if (body.length < bytes) {
        throw new IOException(file + " is truncated: its header announces " + Arrays.toString(dims) + " (" + bytes
            + " bytes of values), but it holds " + body.length);
      }
      java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(body); // big-endian, as IDX
      float[] values = new float[(int) count];
      for (int i = 0; i < values.length; i++) {
        values[i] = switch (type) {
          case 0x08 -> buffer.get() & 0xff;
          case 0x09 -> buffer.get();
          case 0x0B -> buffer.getShort();
          case 0x0C -> buffer.getInt();
          case 0x0D -> buffer.getFloat();
          default -> (float) buffer.getDouble();
        };
      }
      return new Array(dims, values);
    } catch (EOFException e) {
      throw new IOException(file + " is truncated: it ends before the values its header announces", e);
    }
  }
}
