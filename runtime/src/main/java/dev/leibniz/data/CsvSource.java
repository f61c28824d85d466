package dev.leibniz.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.io.DecodeCsv;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

/**
 * Rows of CSV files: TensorFlow's {@code TextLineDataset}, then {@code DecodeCSV} on a batch of lines
 * at a time (the per-row {@code CSVDataset} made a tensor per field: 8 times slower for MNIST's 785
 * columns); every column a float32, the label columns the targets.
 */
final class CsvSource implements TfSource {
  private final List<Path> files;
  private final CsvFormat format;
  private final List<String> columns;
  private final List<Integer> labelAt = new ArrayList<>();

  CsvSource(List<Path> files, CsvFormat format) {
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no CSV files given");
    }
    this.files = List.copyOf(files);
    this.format = format;
    List<String> first = null;
    for (Path f : files) {
      List<String> names = firstLine(f);
      if (first == null) {
        first = names;
      } else if (format.header() ? !names.equals(first) : names.size() != first.size()) {
        throw new DataException(f + ", line 1: " + (format.header() ? "the header " + names + " differs from "
            + files.get(0) + "'s " + first : names.size() + " fields, " + files.get(0) + " has " + first.size()));
      }
    }
    this.columns = format.header() ? first : java.util.stream.IntStream.range(0, first.size()).mapToObj(String::valueOf).toList();
    for (String l : format.labels()) {
      int at = columns.indexOf(l);
      if (at < 0) {
        throw new IllegalArgumentException("no label column " + l + " in " + files.get(0) + "; its columns are " + columns);
      }
      labelAt.add(at);
    }
    if (labelAt.size() == columns.size()) {
      throw new IllegalArgumentException("every column of " + files.get(0) + " is a label; at least one must be an input");
    }
  }

  private List<String> firstLine(Path f) {
    try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
      String line = r.readLine();
      if (line == null) {
        throw new DataException(f + ": the file is empty; a CSV file needs " + (format.header() ? "a header line" : "rows"));
      }
      return List.of(line.split(java.util.regex.Pattern.quote(String.valueOf(format.delimiter())), -1));
    } catch (java.nio.file.NoSuchFileException e) {
      throw new DataException(f + ": no such CSV file");
    } catch (IOException e) {
      throw new DataException(f + ": " + e, e);
    }
  }

  /** The files' lines, each file's header skipped and empty lines dropped: parsed later, a batch at a time. */
  @Override
  public Raw open(Ops ops, Map<Operand<?>, Tensor> feeds) {
    List<Class<? extends TType>> types = List.of(TString.class);
    List<Shape> shapes = List.of(Shape.scalar());
    Operand<?> all = null;
    for (Path f : files) {
      Operand<?> lines = ops.data.textLineDataset(ops.constant(f.toString()), ops.constant(""), ops.constant(256L * 1024));
      if (format.header()) {
        lines = ops.data.skipDataset(lines, ops.constant(1L), types, shapes);
      }
      all = all == null ? lines : ops.data.concatenateDataset(all, lines, types, shapes);
    }
    return new Raw(TfSource.nonEmpty(ops, all, types, shapes), types, shapes);
  }

  /** Lines to columns ({@code DecodeCSV}, one op for a batch), the inputs stacked into one vector. */
  @Override
  @SuppressWarnings("unchecked")
  public List<Operand<?>> decode(Ops ops, List<Operand<?>> raw) {
    List<Operand<?>> defaults = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      defaults.add(format.missing() == null ? ops.constant(new float[0]) : ops.constant(new float[] {format.missing()}));
    }
    var parsed = ops.io.decodeCsv((Operand<TString>) raw.get(0), defaults,
        DecodeCsv.fieldDelim(String.valueOf(format.delimiter())));
    List<Operand<TFloat32>> features = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      if (!labelAt.contains(i)) {
        features.add((Operand<TFloat32>) parsed.output().get(i));
      }
    }
    List<Operand<?>> out = new ArrayList<>();
    out.add(ops.stack(features, org.tensorflow.op.core.Stack.axis(-1L)));
    labelAt.forEach(i -> out.add(parsed.output().get(i)));
    return out;
  }

  @Override
  public boolean decodesBatches() {
    return true;
  }

  @Override
  public int inputs() {
    return 1;
  }

  @Override
  public long count() throws IOException {
    long n = 0;
    for (Path f : files) {
      try (var lines = Files.lines(f, StandardCharsets.UTF_8)) {
        n += lines.filter(l -> !l.isEmpty()).count() - (format.header() ? 1 : 0);
      }
    }
    return n;
  }

  @Override
  public String diagnose() {
    String delimiter = java.util.regex.Pattern.quote(String.valueOf(format.delimiter()));
    for (Path f : files) {
      try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
        String line;
        for (int n = 1; (line = r.readLine()) != null; n++) {
          if (line.isEmpty() || (n == 1 && format.header())) {
            continue;
          }
          String[] fields = line.split(delimiter, -1);
          if (fields.length != columns.size()) {
            return f + ", line " + n + ": " + fields.length + " fields, expected " + columns.size()
                + (format.header() ? " (the header's columns)" : " (as the first line)");
          }
          for (int i = 0; i < fields.length; i++) {
            String v = fields[i].trim();
            if (v.isEmpty() && format.missing() == null) {
              return f + ", line " + n + ": column " + columns.get(i) + " is empty; give CsvFormat.missing(value) for"
                  + " empty fields";
            }
            if (!v.isEmpty()) {
              try {
                Float.parseFloat(v);
              } catch (NumberFormatException e) {
                return f + ", line " + n + ": column " + columns.get(i) + " holds \"" + v + "\", not a number";
              }
            }
          }
        }
      } catch (IOException e) {
        return f + ": " + e;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return "CSV " + files + " with labels " + format.labels();
  }
}
