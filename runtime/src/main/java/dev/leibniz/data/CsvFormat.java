package dev.leibniz.data;

import java.util.List;

/**
 * How to read CSV files: whether the first line names the columns, the delimiter, which columns
 * are targets (the others make up one input vector, in file order), and the value of an empty
 * field (by default none: an empty field is an error naming its line).
 */
public record CsvFormat(boolean header, char delimiter, List<String> labels, Float missing) {
  public CsvFormat {
    labels = List.copyOf(labels);
  }

  /** The first line names the columns; {@code labelColumns} (by name) are the targets. */
  public static CsvFormat header(String... labelColumns) {
    return new CsvFormat(true, ',', List.of(labelColumns), null);
  }

  /** No header line; the columns at {@code labelColumns} (from 0) are the targets. */
  public static CsvFormat noHeader(int... labelColumns) {
    return new CsvFormat(false, ',', java.util.Arrays.stream(labelColumns).mapToObj(String::valueOf).toList(), null);
  }

  public CsvFormat delimiter(char delimiter) {
    return new CsvFormat(header, delimiter, labels, missing);
  }

  /** The value an empty field takes, as {@code column_defaults}. */
  public CsvFormat missing(float value) {
    return new CsvFormat(header, delimiter, labels, value);
  }
}
