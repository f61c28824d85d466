package dev.leibniz.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Samples that stream from files (or arrays) through TensorFlow's own input pipeline, as
 * {@code tf.data.Dataset}: what {@code fit}, {@code evaluate} and {@code predict} take beside
 * arrays. Each sample is its inputs (x) and targets (y). A dataset is a description, immutable:
 * each operation returns a new one, and the ops run inside TensorFlow ({@code TFRecordDataset},
 * {@code ShuffleDataset}, {@code BatchDataset}, {@code MapDataset}, ...) on a graph of their own,
 * so that files larger than the heap stream through native memory, decoded and batched on
 * TensorFlow's threads while the previous step trains.
 *
 * <pre>{@code
 * Dataset train = Dataset.tfRecords(files, List.of(Feature.floats("image", 784)), List.of(Feature.ints("label")))
 *     .shuffle(10_000, 7).batch(128).prefetch(2);
 * model.fit(train, FitOptions.epochs(5));
 * }</pre>
 *
 * <p>Where Leibniz chooses for you: a dataset without {@link #batch} is batched by the
 * {@code batchSize} of {@code fit} (or {@code evaluate}, {@code predict}), and one without
 * {@link #prefetch} prefetches 2 batches, so that reading overlaps training.
 */
public final class Dataset {
  /** One operation of the pipeline, in order. */
  sealed interface Stage {}

  record Shuffle(long buffer, long seed, boolean eachEpoch) implements Stage {}

  record Batch(long size, boolean dropRemainder) implements Stage {}

  record Prefetch(long buffers) implements Stage {}

  record Cache(Path file) implements Stage {}

  record Shard(long shards, long index) implements Stage {}

  record Take(long count) implements Stage {}

  record Skip(long count) implements Stage {}

  record Repeat(long count) implements Stage {}

  record Map(InputMap function) implements Stage {}

  /** The source's decoding, placed by the pipeline. */
  record Decode() implements Stage {}

  private final Source source;
  private final List<Stage> stages;

  private Dataset(Source source, List<Stage> stages) {
    this.source = source;
    this.stages = List.copyOf(stages);
  }

  Source source() {
    return source;
  }

  List<Stage> stages() {
    return stages;
  }

  private Dataset then(Stage stage) {
    List<Stage> next = new ArrayList<>(stages);
    next.add(stage);
    return new Dataset(source, next);
  }

  // ---------------------------------------------------------------- sources

  /** The samples of arrays, as {@code tf.data.Dataset.from_tensor_slices((x, y))}. */
  public static Dataset of(Data x, Data y) {
    return of(List.of(x), List.of(y));
  }

  /** Inputs alone (for {@code predict}). */
  public static Dataset of(Data x) {
    return of(List.of(x), List.of());
  }

  /** Several inputs and targets, aligned by sample. */
  public static Dataset of(List<Data> x, List<Data> y) {
    return new Dataset(new ArraySource(x, y), List.of());
  }

  /**
   * Samples a Java generator makes, as Keras's {@code PyDataset}: {@code samples} gives a fresh
   * iterator for each pass; each sample is one flat row-major array per input, then per target, of
   * the shapes given; a pass holds {@code count} samples (fewer is an error, more are not read). A
   * background thread draws them and hands batches over through a bounded queue (the prefetch's
   * size), so the generator runs while the model trains. Maps run in TensorFlow on each batch;
   * {@code cache} is not offered (write the samples to TFRecord files once instead).
   */
  public static Dataset fromGenerator(java.util.function.Supplier<? extends java.util.Iterator<float[][]>> samples,
      long count, List<long[]> inputShapes, List<long[]> targetShapes) {
    return new Dataset(new GeneratorSource(samples, count, inputShapes, targetShapes), List.of());
  }

  /**
   * {@code tf.train.Example} records in TFRecord files ({@link TfRecords#write} writes them), read
   * in file order: each record's {@code inputs} features are the sample's inputs, its
   * {@code targets} features its targets, as {@code tf.io.parse_example} with
   * {@code FixedLenFeature}s. A record missing a feature fails, naming the file and record.
   */
  public static Dataset tfRecords(List<Path> files, List<Feature> inputs, List<Feature> targets) {
    return new Dataset(new RecordSource(files, inputs, targets), List.of());
  }

  /**
   * Rows of CSV files, as {@code tf.data.experimental.make_csv_dataset}: every column a number; the
   * {@code format}'s label columns are the targets, the others one input vector, in file order.
   */
  public static Dataset csv(List<Path> files, CsvFormat format) {
    return new Dataset(new CsvSource(files, format), List.of());
  }

  /**
   * Images in class folders, as {@code keras.utils.image_dataset_from_directory}: {@code dir/<class>/*}
   * (PNG, JPEG, GIF or BMP), the classes in alphabetical order labelled 0, 1, ...; each image decoded
   * with {@code channels} channels (1 grayscale, 3 RGB, 4 RGBA) and resized bilinearly to
   * {@code height} x {@code width}, as floats 0-255 of shape {@code [height, width, channels]}.
   * Samples come in the folders' order: shuffle the dataset (before {@link #batch}, where only
   * file names are shuffled) as Keras's {@code shuffle=True} does.
   */
  public static Dataset imageDirectory(Path dir, int height, int width, int channels) {
    return new Dataset(new FileSource(dir, FileSource.Kind.IMAGE, height, width, channels), List.of());
  }

  /**
   * Text files in class folders, as {@code keras.utils.text_dataset_from_directory}: each
   * {@code dir/<class>/*.txt} one sample, a string (map it through a {@link TextVectorization}).
   */
  public static Dataset textDirectory(Path dir) {
    return new Dataset(new FileSource(dir, FileSource.Kind.TEXT, 0, 0, 0), List.of());
  }

  /** Each line of the files in {@code dir/<class>/} one sample, labelled by its folder (empty lines skipped). */
  public static Dataset textLineDirectory(Path dir) {
    return new Dataset(new FileSource(dir, FileSource.Kind.LINES, 0, 0, 0), List.of());
  }

  // ---------------------------------------------------------------- operations

  /**
   * Samples drawn at random from a buffer of {@code buffer}, refilled as drawn, as
   * {@code shuffle(buffer, seed)}: a new order every epoch, drawn from (seed, epoch) alone, so that a
   * run resumed at an epoch reads what the uninterrupted run would have. A buffer of at least the
   * dataset's size shuffles uniformly.
   */
  public Dataset shuffle(long buffer, long seed) {
    return shuffle(buffer, seed, true);
  }

  /**
   * As {@link #shuffle(long, long)}; {@code reshuffleEachEpoch} false (Keras's
   * {@code reshuffle_each_iteration=False}): the same order every epoch, e.g. before
   * {@link #take}/{@link #skip} split the samples into training and validation.
   */
  public Dataset shuffle(long buffer, long seed, boolean reshuffleEachEpoch) {
    positive("shuffle buffer", buffer);
    return then(new Shuffle(buffer, seed, reshuffleEachEpoch));
  }

  /** Consecutive samples in batches of {@code size}; the last one smaller where the samples run out. */
  public Dataset batch(long size) {
    return batch(size, false);
  }

  /** As {@link #batch(long)}; {@code dropRemainder}: drop a last, smaller batch. */
  public Dataset batch(long size, boolean dropRemainder) {
    positive("batch size", size);
    return then(new Batch(size, dropRemainder));
  }

  /** Prepares {@code buffers} elements ahead on TensorFlow's threads while the model trains. */
  public Dataset prefetch(long buffers) {
    positive("prefetch buffers", buffers);
    return then(new Prefetch(buffers));
  }

  /**
   * Keeps the elements after the first epoch has read them, as {@code cache()}: later epochs read
   * neither the source files nor the decoding before it (put it before {@link #shuffle}, so every
   * epoch still reshuffles). They are kept in a temporary file that the operating system holds in
   * memory, deleted when {@code fit} ends: TensorFlow's memory cache does not outlive an epoch in a
   * graph.
   */
  public Dataset cache() {
    return then(new Cache(null));
  }

  /** As {@link #cache()}, into {@code file} (and files beside it) instead of memory: for data larger than memory. */
  public Dataset cache(Path file) {
    return then(new Cache(Objects.requireNonNull(file, "file")));
  }

  /** Every {@code shards}-th sample from the {@code index}-th: this worker's share when several train. */
  public Dataset shard(long shards, long index) {
    positive("shards", shards);
    if (index < 0 || index >= shards) {
      throw new IllegalArgumentException("shard index must be in [0, " + shards + "), got " + index);
    }
    return then(new Shard(shards, index));
  }

  public Dataset take(long count) {
    notNegative("take", count);
    return then(new Take(count));
  }

  public Dataset skip(long count) {
    notNegative("skip", count);
    return then(new Skip(count));
  }

  /** The samples {@code count} times over (an epoch of {@code fit} reads all of them). */
  public Dataset repeat(long count) {
    positive("repeat count", count);
    return then(new Repeat(count));
  }

  /**
   * Each sample's (or, after {@link #batch}, each batch's) inputs through {@code function}, inside
   * TensorFlow: a {@link TextVectorization}, or any {@code InputMap}. The targets pass unchanged.
   */
  public Dataset map(InputMap function) {
    return then(new Map(Objects.requireNonNull(function, "function")));
  }

  /**
   * The inputs through a compiled {@code @Layer} without weights (its {@code @Call} written in the
   * DSL, e.g. {@code x / 255}), inside TensorFlow, as {@code map(lambda x, y: (layer(x), y))}.
   */
  public Dataset map(Object layer) {
    return map(new LayerMap(layer));
  }

  // ---------------------------------------------------------------- what it holds

  /**
   * The classes of a directory dataset, in label order (folder names, alphabetical), or an empty
   * list for other sources.
   */
  public List<String> classNames() {
    return source.classNames();
  }

  /**
   * The elements an epoch reads (samples, or batches after {@link #batch}), counted from the files
   * without decoding them (TFRecord lengths, CSV lines, file names).
   */
  public long cardinality() {
    try {
      return InputPipeline.steps(source.count(), stages);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static long cardinality(Stage s, long n) {
    if (s instanceof Batch b) {
      return b.dropRemainder() ? n / b.size() : (n + b.size() - 1) / b.size();
    } else if (s instanceof Take t) {
      return Math.min(n, t.count());
    } else if (s instanceof Skip k) {
      return Math.max(0, n - k.count());
    } else if (s instanceof Shard h) {
      return n <= h.index() ? 0 : (n - h.index() + h.shards() - 1) / h.shards();
    } else if (s instanceof Repeat r) {
      return Math.multiplyExact(n, r.count());
    }
    return n;
  }

  private static void positive(String what, long n) {
    if (n < 1) {
      throw new IllegalArgumentException(what + " must be at least 1, got " + n);
    }
  }

  private static void notNegative(String what, long n) {
    if (n < 0) {
      throw new IllegalArgumentException(what + " takes a count of 0 or more, got " + n);
    }
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(source.toString());
    for (Stage stage : stages) {
      s.append(" -> ").append(stage);
    }
    return s.toString();
  }
}
