package dev.leibniz.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The IDX reader: counts from the header, element types, gzip or not, and damaged files. */
class IdxTest {
  @TempDir Path dir;

  static byte[] idx(int type, int[] dims, float[] values) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeShort(0);
    out.writeByte(type);
    out.writeByte(dims.length);
    for (int d : dims) {
      out.writeInt(d);
    }
    for (float v : values) {
      switch (type) {
        case 0x08, 0x09 -> out.writeByte((int) v);
        case 0x0B -> out.writeShort((int) v);
        case 0x0C -> out.writeInt((int) v);
        case 0x0D -> out.writeFloat(v);
        default -> out.writeDouble(v);
      }
    }
    return bytes.toByteArray();
  }

  @Test
  void readsEveryTypeFromTheHeaderGzipOrNot() throws IOException {
    float[] values = {0, 1, 2, 3, 4, 5};
    for (int type : new int[] {0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E}) {
      Path plain = dir.resolve("t" + type);
      Files.write(plain, idx(type, new int[] {3, 2}, values));
      Idx.Array a = Idx.read(plain);
      assertArrayEquals(new int[] {3, 2}, a.dims());
      assertArrayEquals(values, a.values());
      Path gz = dir.resolve("t" + type + ".gz");
      try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
        out.write(idx(type, new int[] {3, 2}, values));
      }
      assertArrayEquals(values, Idx.read(gz).values());
    }
    Files.write(dir.resolve("u"), idx(0x08, new int[] {2}, new float[] {200, 255}));
    assertArrayEquals(new float[] {200, 255}, Idx.read(dir.resolve("u")).values(), "unsigned bytes");
  }

  @Test
  void damagedFilesGetClearErrors() throws IOException {
    byte[] whole = idx(0x08, new int[] {4, 2}, new float[8]);
    Files.write(dir.resolve("short"), Arrays.copyOf(whole, whole.length - 3));
    IOException truncated = assertThrows(IOException.class, () -> Idx.read(dir.resolve("short")));
    assertTrue(truncated.getMessage().contains("is truncated"), truncated.getMessage());
    Files.write(dir.resolve("text"), "hello world".getBytes());
    IOException notIdx = assertThrows(IOException.class, () -> Idx.read(dir.resolve("text")));
    assertTrue(notIdx.getMessage().contains("is not an IDX file"), notIdx.getMessage());
    NoSuchFileException missing = assertThrows(NoSuchFileException.class, () -> Mnist.load(dir));
    assertTrue(missing.getMessage().contains("train-images-idx3-ubyte"), missing.getMessage());
  }
}
