package dev.leibniz.data;

import dev.leibniz.tf.FeedTensor;
import dev.leibniz.tf.Natives;
import dev.leibniz.tf.TfSession;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.tensorflow.ConcreteFunction;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.exceptions.TFOutOfRangeException;
import org.tensorflow.internal.types.registry.TensorTypeRegistry;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.data.ParallelMapDataset;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TType;

/**
 * A {@link Dataset} built as TensorFlow dataset ops on a graph and session of its own, and walked
 * one batch per session run: the batch's tensors come out of TensorFlow and go into the model's
 * step without a copy through Java arrays. Each epoch starts a new iterator, its shuffles seeded
 * from (seed, epoch). The source's decoding (parsing records, decoding images) runs as a map just
 * after the first batching where it can take a batch, else just after the source.
 */
public final class InputPipeline implements Feed, AutoCloseable {
  private final Dataset dataset;
  private final Graph graph = Natives.newGraph();
  private final Ops ops = Ops.create(graph);
  private final Map<Operand<?>, Tensor> feeds = new HashMap<>();
  private final Operand<TInt64> epoch = ops.withName("epoch").placeholder(TInt64.class, Placeholder.shape(Shape.scalar()));
  private final Session session;
  private final Op start;
  private final List<Output<?>> next;
  private final int inputs;
  private final List<Shape> shapes;
  private final long steps;
  /** Whether a stage caches: each pass then reads to the end, which is when TensorFlow completes a cache. */
  private final boolean caches;
  private java.nio.file.Path cacheDir;

  /** The current element: the dataset op's output, its components' types and shapes, how many are inputs. */
  private Operand<?> at;
  private List<Class<? extends TType>> types;
  private List<Shape> atShapes;
  private int atInputs;

  /**
   * {@code dataset} ready to walk; batched by {@code batchSize} where it has no {@code batch} of its
   * own, prefetching 2 batches where it has no {@code prefetch}.
   */
  public InputPipeline(Dataset dataset, long batchSize) {
    this(dataset, batchSize, false);
  }

  /**
   * What {@code fit}, {@code evaluate} and {@code predict} walk for {@code dataset}: TensorFlow's
   * pipeline, or for a Java generator a background thread (close it after the loop).
   */
  public static Feed open(Dataset dataset, long batchSize) {
    return dataset.source() instanceof GeneratorSource ? new GeneratorPipeline(dataset, batchSize)
        : new InputPipeline(dataset, batchSize);
  }

  /** The stages with a batch of {@code batchSize} where they have none (before any final prefetch), and a prefetch of 2. */
  static List<Dataset.Stage> completed(List<Dataset.Stage> given, long batchSize) {
    List<Dataset.Stage> stages = new ArrayList<>(given);
    if (stages.stream().noneMatch(s -> s instanceof Dataset.Batch)) {
      int end = stages.size();
      while (end > 0 && stages.get(end - 1) instanceof Dataset.Prefetch) {
        end--;
      }
      stages.add(end, new Dataset.Batch(batchSize, false));
    }
    if (stages.stream().noneMatch(s -> s instanceof Dataset.Prefetch)) {
      stages.add(new Dataset.Prefetch(2));
    }
    return stages;
  }

  /** Batches per pass through {@code stages} of {@code samples}. */
  static long steps(long samples, List<Dataset.Stage> stages) {
    long n = samples;
    for (Dataset.Stage s : stages) {
      n = Dataset.cardinality(s, n);
    }
    return n;
  }

  /** A pipeline whose inputs may be strings, read with {@link #strings}: what {@code TextVectorization.adapt} reads. */
  static InputPipeline strings(Dataset dataset, long batchSize) {
    return new InputPipeline(dataset, batchSize, true);
  }

  private InputPipeline(Dataset dataset, long batchSize, boolean strings) {
    this.dataset = dataset;
    TfSource source = (TfSource) dataset.source();
    List<Dataset.Stage> stages = completed(dataset.stages(), batchSize);
    try {
      this.steps = steps(source.count(), stages);
      this.caches = stages.stream().anyMatch(s -> s instanceof Dataset.Cache);
      TfSource.Raw raw = source.open(ops, feeds);
      at = raw.dataset();
      types = raw.types();
      atShapes = raw.shapes();
      atInputs = source.inputs();
      List<Dataset.Stage> ordered = vectorized(source, stages);
      for (int i = 0; i < ordered.size(); i++) {
        apply(ordered.get(i), i);
      }
      this.inputs = atInputs;
      this.shapes = atShapes;
      if (!strings) {
        checkFloats();
      } else if (types.get(0) != org.tensorflow.types.TString.class) {
        throw new IllegalArgumentException("the dataset's first input holds " + types.get(0).getSimpleName()
            + ", not strings");
      }
      Operand<?> iterator = ops.data.iterator("", "", types, atShapes);
      this.start = ops.data.makeIterator(at, iterator);
      this.next = ops.data.iteratorGetNext(iterator, types, atShapes).components();
      this.session = TfSession.open(graph, 0);
    } catch (IOException e) {
      close();
      throw new DataException(e.getMessage(), e);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * The stages in the order they run: the maps before the first batch moved after it, so that each
   * runs once per batch rather than once per sample (a map works on either, and shuffling, caching,
   * taking or sharding samples commute with it); the source's decoding after the batch too where it
   * can take one (parsing records, splitting CSV lines), else first.
   */
  private static List<Dataset.Stage> vectorized(TfSource source, List<Dataset.Stage> stages) {
    int batch = 0;
    while (!(stages.get(batch) instanceof Dataset.Batch)) {
      batch++;
    }
    List<Dataset.Stage> before = stages.subList(0, batch);
    List<Dataset.Stage> out = new ArrayList<>();
    boolean decodeLater = source.decodesBatches();
    if (source.decodes() && !decodeLater) {
      out.add(new Dataset.Decode());
    }
    before.stream().filter(s -> !(s instanceof Dataset.Map)).forEach(out::add);
    out.add(stages.get(batch));
    if (source.decodes() && decodeLater) {
      out.add(new Dataset.Decode());
    }
    before.stream().filter(s -> s instanceof Dataset.Map).forEach(out::add);
    out.addAll(stages.subList(batch + 1, stages.size()));
    return out;
  }

  private void apply(Dataset.Stage stage, int index) {
    if (stage instanceof Dataset.Shuffle s) {
      at = graph.opBuilder("ShuffleDataset", "shuffle_" + index, ops.scope())
          .addInput(at.asOutput())
          .addInput(ops.constant(s.buffer()).asOutput())
          .addInput(ops.constant(s.seed()).asOutput())
          .addInput((s.eachEpoch() ? ops.math.add(epoch, ops.constant(1_000_003L * (index + 1))) // a new order per epoch
              : ops.constant(1_000_003L * (index + 1))).asOutput())
          .setAttr("reshuffle_each_iteration", false)
          .setAttr("output_types", dataTypes(types))
          .setAttr("output_shapes", atShapes.toArray(Shape[]::new))
          .build().output(0);
    } else if (stage instanceof Dataset.Batch b) {
      List<Shape> batched = atShapes.stream().map(s -> s.prepend(b.dropRemainder() ? b.size() : -1)).toList();
      at = ops.data.batchDataset(at, ops.constant(b.size()), ops.constant(b.dropRemainder()), types, batched);
      atShapes = batched;
    } else if (stage instanceof Dataset.Prefetch p) {
      at = ops.data.prefetchDataset(at, ops.constant(p.buffers()), types, atShapes);
    } else if (stage instanceof Dataset.Cache c) {
      at = graph.opBuilder("CacheDataset", "cache_" + index, ops.scope())
          .addInput(at.asOutput())
          .addInput(ops.constant(cacheFile(c, index)).asOutput())
          .setAttr("output_types", dataTypes(types))
          .setAttr("output_shapes", atShapes.toArray(Shape[]::new))
          .build().output(0);
    } else if (stage instanceof Dataset.Shard s) {
      at = ops.data.shardDataset(at, ops.constant(s.shards()), ops.constant(s.index()), types, atShapes);
    } else if (stage instanceof Dataset.Take t) {
      at = ops.data.takeDataset(at, ops.constant(t.count()), types, atShapes);
    } else if (stage instanceof Dataset.Skip k) {
      at = ops.data.skipDataset(at, ops.constant(k.count()), types, atShapes);
    } else if (stage instanceof Dataset.Repeat r) {
      at = ops.data.repeatDataset(at, ops.constant(r.count()), types, atShapes);
    } else if (stage instanceof Dataset.Decode) {
      map("decode", ((TfSource) dataset.source())::decode);
    } else if (stage instanceof Dataset.Map m) {
      int targets = types.size() - atInputs;
      int mapped = atInputs;
      map("map_" + index, (fn, in) -> {
        List<Operand<?>> out = new ArrayList<>(m.function().apply(fn, in.subList(0, mapped)));
        in.subList(mapped, in.size()).forEach(t -> out.add(fn.identity(t))); // the targets pass unchanged
        return out;
      });
      atInputs = types.size() - targets;
    }
  }

  /**
   * Where a cache stage writes: its own file, or for {@code cache()} one in a temporary folder that
   * {@link #close} deletes. TensorFlow's memory cache lives in the dataset object, which a graph
   * makes anew for every epoch's iterator, so it would never be read back; its file cache outlives
   * the iterator, and the operating system keeps a file just read in memory.
   */
  private String cacheFile(Dataset.Cache c, int index) {
    if (c.file() != null) {
      return c.file().toString();
    }
    try {
      if (cacheDir == null) {
        cacheDir = java.nio.file.Files.createTempDirectory("leibniz-cache");
      }
      return cacheDir.resolve("stage_" + index).toString();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot make a folder for the dataset's cache", e);
    }
  }

  /** What a map builds: the outputs from the element's components, with the function's ops. */
  private interface Body {
    List<Operand<?>> build(Ops fn, List<Operand<?>> components);
  }

  /** The element through {@code body}, built as a function that TensorFlow's {@code ParallelMapDataset} runs on its threads. */
  private void map(String name, Body body) {
    List<Class<? extends TType>> outTypes = new ArrayList<>();
    List<Shape> outShapes = new ArrayList<>();
    List<Class<? extends TType>> inTypes = types;
    List<Shape> inShapes = atShapes;
    ConcreteFunction f = ConcreteFunction.create(fn -> {
      Signature.Builder sig = Signature.builder().key(name);
      List<Operand<?>> in = new ArrayList<>();
      for (int i = 0; i < inTypes.size(); i++) {
        Operand<?> p = fn.placeholder(inTypes.get(i), Placeholder.shape(inShapes.get(i)));
        in.add(p);
        sig.input(String.format("in_%03d", i), p);
      }
      List<Operand<?>> out = body.build(fn, in);
      for (int i = 0; i < out.size(); i++) {
        outTypes.add(out.get(i).type());
        outShapes.add(out.get(i).shape());
        sig.output(String.format("out_%03d", i), out.get(i));
      }
      return sig.build();
    });
    at = ops.data.parallelMapDataset(at, List.of(), ops.constant((long) Runtime.getRuntime().availableProcessors()), f,
        outTypes, outShapes, ParallelMapDataset.deterministic("true"), ParallelMapDataset.preserveCardinality(true));
    types = outTypes;
    atShapes = outShapes;
  }

  private static DataType[] dataTypes(List<Class<? extends TType>> types) {
    return types.stream().map(t -> TensorTypeRegistry.find(t).dataType()).toArray(DataType[]::new);
  }

  private void checkFloats() {
    for (int i = 0; i < types.size(); i++) {
      if (types.get(i) != TFloat32.class) {
        String which = i < inputs ? "input " + i : "target " + (i - inputs);
        throw new IllegalArgumentException(which + " of the dataset holds " + types.get(i).getSimpleName()
            + " values, the model takes floats" + (i < inputs ? ": map text through a TextVectorization first"
            + " (dataset.map(vectorizer))" : ""));
      }
    }
  }

  @Override
  public long steps() {
    return steps;
  }

  @Override
  public List<long[]> inputShapes() {
    return sampleShapes(0, inputs);
  }

  @Override
  public List<long[]> targetShapes() {
    return sampleShapes(inputs, shapes.size());
  }

  private List<long[]> sampleShapes(int from, int to) {
    List<long[]> out = new ArrayList<>();
    for (Shape s : shapes.subList(from, to)) {
      long[] dims = s.asArray();
      if (dims == null || dims.length == 0) {
        throw new IllegalArgumentException("the dataset's elements have shape " + s + ", without a batch axis");
      }
      long[] sample = Arrays.copyOfRange(dims, 1, dims.length);
      if (Arrays.stream(sample).anyMatch(d -> d < 0)) {
        throw new IllegalArgumentException("the dataset's samples have shape " + Arrays.toString(sample) + " with an unknown"
            + " dimension; the model takes a fixed shape (resize or pad in the map)");
      }
      out.add(sample);
    }
    return out;
  }

  @Override
  public Iterable<Batches.Batch> pass(String what, int epochNumber, boolean shuffle, long seed) {
    start(what, epochNumber);
    return () -> new Iterator<>() {
      private Batches.Batch ahead;
      private boolean done;
      private int step;

      @Override
      public boolean hasNext() {
        if (ahead == null && !done) {
          ahead = read();
        }
        return ahead != null;
      }

      @Override
      public Batches.Batch next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Batches.Batch b = ahead;
        ahead = null;
        return b;
      }

      private Batches.Batch read() {
        if (step == steps && !caches) { // the count from the files: no read past the end (TensorFlow logs each end it meets)
          done = true;
          return null;
        }
        Session.Runner r = session.runner();
        next.forEach(r::fetch);
        Result result;
        try {
          result = r.run();
        } catch (TFOutOfRangeException end) {
          done = true;
          if (step < steps) { // predict would leave rows unfilled: say so rather than give zeros
            throw new DataException(what + ", epoch " + (epochNumber + 1) + ": " + dataset.source() + " ended after "
                + step + " batches, where counting its files found " + steps + "; did the files change while it ran?");
          }
          return null;
        } catch (RuntimeException e) { // TensorFlow's errors: TensorFlowException, TFInvalidArgumentException
          done = true;
          throw failure(what, epochNumber, step, e);
        }
        List<FeedTensor> x = new ArrayList<>();
        List<FeedTensor> y = new ArrayList<>();
        for (int i = 0; i < result.size(); i++) {
          (i < inputs ? x : y).add(FeedTensor.of(result.get(i)));
        }
        return new Batches.Batch(step++, x, y);
      }
    };
  }

  /** Every string of the first input, one epoch's worth, in order. */
  void strings(java.util.function.Consumer<String> out) {
    start("adapt", 0);
    while (true) {
      Session.Runner r = session.runner();
      r.fetch(next.get(0));
      try (Result result = r.run()) {
        org.tensorflow.types.TString t = (org.tensorflow.types.TString) result.get(0);
        t.scalars().forEach(v -> out.accept(v.getObject()));
      } catch (TFOutOfRangeException end) {
        return;
      } catch (RuntimeException e) { // TensorFlow's errors: TensorFlowException, TFInvalidArgumentException
        throw failure("adapt", 0, 0, e);
      }
    }
  }

  /** A new iterator for epoch {@code epochNumber}: its shuffles seeded from it. */
  private void start(String what, int epochNumber) {
    try (TInt64 e = TInt64.scalarOf(epochNumber)) {
      Session.Runner r = session.runner();
      feeds.forEach(r::feed);
      r.feed(epoch, e).addTarget(start).run().close();
    } catch (RuntimeException e) { // TensorFlow's errors: TensorFlowException, TFInvalidArgumentException
      throw failure(what, epochNumber, 0, e);
    }
  }

  /** A read that failed, as the file and place Java finds at fault (or TensorFlow's message) with where it happened. */
  private DataException failure(String what, int epochNumber, int step, RuntimeException e) {
    String found = dataset.source().diagnose();
    return new DataException(what + ", epoch " + (epochNumber + 1) + ", batch " + (step + 1) + ": "
        + (found != null ? found : "reading " + dataset.source() + " failed: " + e.getMessage()), e);
  }

  @Override
  public void close() {
    if (session != null) {
      session.close();
    }
    feeds.values().forEach(Tensor::close);
    graph.close();
    if (cacheDir != null) {
      try (var files = java.nio.file.Files.list(cacheDir)) {
        for (java.nio.file.Path f : files.toList()) {
          java.nio.file.Files.deleteIfExists(f);
        }
        java.nio.file.Files.deleteIfExists(cacheDir);
      } catch (IOException e) {
        // a temporary folder left behind is harmless
      }
    }
  }
}
