package dev.leibniz.data;

import java.io.IOException;
import java.util.List;

/** Where a {@link Dataset}'s samples come from: files or arrays read by TensorFlow ({@link TfSource}), or a Java generator. */
interface Source {
  /** How many of a sample's components are inputs (the rest are targets). */
  int inputs();

  /** The samples of one pass, counted without decoding them. */
  long count() throws IOException;

  /** Class names by label, for folder sources; else empty. */
  default List<String> classNames() {
    return List.of();
  }

  /** After a failed read: the first bad sample's file, place and fault as Java finds it, or null. */
  String diagnose();
}
