package dev.leibniz.callbacks;

import dev.leibniz.Model;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Keras's {@code CSVLogger}: one row per epoch, {@code epoch} (from 0) then every logged value
 * in name order, as Keras writes it (Python's float form; "NA" where a value is missing, and the
 * "val_" columns added when the first epoch has none, as Keras does). Each row is appended and
 * flushed at the end of its epoch, so a crash loses at most the epoch running and never what was
 * written. With {@code append}, rows go after an existing file's (the header only if it was empty).
 */
public final class CSVLogger implements Callback {
  private final Path file;
  private final String separator;
  private final boolean append;
  private List<String> keys;
  private boolean header;

  public CSVLogger(Path file, String separator, boolean append) {
    if (file == null || separator == null || separator.isEmpty()) {
      throw new IllegalArgumentException("CSVLogger needs a file and a separator, got " + file + " and \""
          + separator + "\"");
    }
    this.file = file;
    this.separator = separator;
    this.append = append;
  }

  /** Comma-separated, the file replaced at the start of training. */
  public CSVLogger(Path file) {
    this(file, ",", false);
  }

  @Override
  public boolean chiefOnly() {
    return true;
  }

  @Override
  public void onTrainBegin(Model model) {
    if (Files.isDirectory(file)) {
      throw new IllegalArgumentException("CSVLogger's file " + file + " is a directory; give the path of a file");
    }
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      header = !append || !Files.exists(file) || Files.size(file) == 0;
      if (!append) {
        Files.write(file, new byte[0]);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("CSVLogger cannot write " + file, e);
    }
    keys = null;
  }

  @Override
  public void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {
    if (keys == null) {
      keys = new ArrayList<>(new TreeSet<>(logs.keySet()));
      if (!keys.isEmpty() && keys.stream().noneMatch(k -> k.startsWith("val_"))) {
        keys.addAll(keys.stream().map(k -> "val_" + k).toList());
      }
    }
    StringBuilder text = new StringBuilder();
    if (header) {
      text.append("epoch");
      keys.forEach(k -> text.append(separator).append(k));
      text.append('\n');
      header = false;
    }
    text.append(epoch);
    keys.forEach(k -> text.append(separator).append(logs.containsKey(k) ? python(logs.get(k)) : "NA"));
    text.append('\n');
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("CSVLogger could not append epoch " + epoch + " to " + file, e);
    }
  }

  /** Python's {@code str(float)}: the shortest digits, plain between 1e-4 and 1e16, else {@code 1e-05} form. */
  static String python(double v) {
    if (Double.isNaN(v)) {
      return "nan";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    if (v == 0) {
      return 1 / v < 0 ? "-0.0" : "0.0";
    }
    BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
    int exponent = d.precision() - d.scale() - 1;
    if (exponent >= -4 && exponent < 16) {
      String plain = d.toPlainString();
      return plain.contains(".") ? plain : plain + ".0";
    }
    String digits = d.unscaledValue().abs().toString();
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    return (v < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
  }
}
