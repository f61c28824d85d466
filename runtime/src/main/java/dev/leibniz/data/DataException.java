package dev.leibniz.data;

/**
 * Data that could not be read: a missing or corrupt file, a CSV row of the wrong width, an image
 * that does not decode. The message names the file (and its line or record) and what was
 * expected, and where it happened in {@code fit}, {@code evaluate} or {@code predict}.
 */
public class DataException extends RuntimeException {
  public DataException(String message) {
    super(message);
  }

  public DataException(String message, Throwable cause) {
    super(message, cause);
  }
}
