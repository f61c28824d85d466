package dev.leibniz.saving;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Writes that never leave a half-written file where a reader looks: the content goes to a
 * hidden temporary sibling ({@code .name.tmp-<pid>-<n>}), is forced to disk, and is then renamed
 * over the target in one atomic step. A crash before the rename leaves the previous file intact
 * and a temporary file that the next write to the same target removes.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** What writes the content; may throw. */
  @FunctionalInterface
  public interface Body<T> {
    void write(T target) throws IOException;
  }

  /** Replaces {@code target} with what {@code body} writes, or leaves it as it was if {@code body} fails. */
  public static void write(Path target, Body<OutputStream> body) throws IOException {
    Path dir = parentOf(target);
    removeStale(target);
    Path temp = temporary(target);
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        OutputStream out = Channels.newOutputStream(channel);
        body.write(out);
        out.flush();
        channel.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      forceDirectory(dir);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Replaces directory {@code target} with the one {@code body} fills. The new directory is
   * complete before it is renamed into place; an existing one is first renamed aside and deleted
   * only after the new one is in place (put back if that fails).
   */
  public static void writeDirectory(Path target, Body<Path> body) throws IOException {
    Path dir = parentOf(target);
    if (Files.exists(target) && !Files.isDirectory(target)) {
      throw new IOException(target + " exists and is not a directory; refusing to replace a file with a directory");
    }
    removeStale(target);
    Path temp = temporary(target);
    Path old = null;
    try {
      Files.createDirectory(temp);
      body.write(temp);
      forceTree(temp);
      if (Files.exists(target)) {
        old = target.resolveSibling("." + target.getFileName() + ".old-" + suffix());
        Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        if (old != null) {
          Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
          old = null;
        }
        throw e;
      }
      forceDirectory(dir);
    } finally {
      deleteTree(temp);
      if (old != null) {
        deleteTree(old);
      }
    }
  }

  /** The folder {@code target} goes in, created with its parents where missing (as {@code mkdir -p}). */
  private static Path parentOf(Path target) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    if (dir == null) {
      throw new IOException("cannot write " + target + ": it has no parent folder");
    }
    Files.createDirectories(dir);
    return dir;
  }

  private static Path temporary(Path target) {
    return target.resolveSibling("." + target.getFileName() + ".tmp-" + suffix());
  }

  private static String suffix() {
    return ProcessHandle.current().pid() + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
  }

  /** Temporary files and directories of {@code target} left by processes that no longer run. */
  private static void removeStale(Path target) throws IOException {
    String prefix = "." + target.getFileName() + ".";
    try (DirectoryStream<Path> siblings = Files.newDirectoryStream(parentOf(target), prefix + "*")) {
      for (Path p : siblings) {
        String rest = p.getFileName().toString().substring(prefix.length());
        int dash = rest.indexOf('-');
        int last = rest.lastIndexOf('-');
        if (dash < 0 || last == dash || !(rest.startsWith("tmp-") || rest.startsWith("old-"))) {
          continue;
        }
        long pid;
        try {
          pid = Long.parseLong(rest.substring(dash + 1, last));
        } catch (NumberFormatException e) {
          continue;
        }
        if (ProcessHandle.of(pid).isPresent()) {
          continue;
        }
        if (rest.startsWith("old-") && !Files.exists(target)) {
          // the process died between its two renames: what it set aside is the last complete version
          Files.move(p, target, StandardCopyOption.ATOMIC_MOVE);
        } else {
          deleteTree(p);
        }
      }
    }
  }

  private static void forceTree(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(p)) {
          try (FileChannel c = FileChannel.open(p, StandardOpenOption.WRITE)) {
            c.force(true);
          }
        } else {
          forceDirectory(p);
        }
      }
    }
  }

  /** Makes a rename in {@code dir} durable; not every file system allows it, and then it is skipped. */
  private static void forceDirectory(Path dir) {
    try (FileChannel c = FileChannel.open(dir, StandardOpenOption.READ)) {
      c.force(true);
    } catch (IOException e) {
      // e.g. a file system that cannot open directories: the rename is still atomic
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
