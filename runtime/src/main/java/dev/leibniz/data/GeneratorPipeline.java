package dev.leibniz.data;

import dev.leibniz.tf.FeedTensor;
import dev.leibniz.tf.Natives;
import dev.leibniz.tf.TfSession;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Supplier;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * A Java generator's samples as batches: a background thread draws them (shuffled, taken, skipped,
 * sharded, repeated as the dataset says, in Java), copies each batch into tensors, runs the maps on
 * it in a small TensorFlow session, and hands it over through a bounded queue of the prefetch's
 * size, so that the generator works while the model trains and never runs more than that far ahead.
 */
final class GeneratorPipeline implements Feed {
  private static final Object END = new Object();

  private final GeneratorSource source;
  private final List<Dataset.Stage> before = new ArrayList<>();
  private final Dataset.Batch batch;
  private final int buffers;
  private final long steps;
  private final List<long[]> inputShapes = new ArrayList<>();
  private Graph graph;
  private Session session;
  private final List<Operand<TFloat32>> mapIn = new ArrayList<>();
  private final List<Operand<?>> mapOut = new ArrayList<>();
  private Thread producer;
  private BlockingQueue<Object> queue;

  GeneratorPipeline(Dataset dataset, long batchSize) {
    this.source = (GeneratorSource) dataset.source();
    List<Dataset.Stage> stages = InputPipeline.completed(dataset.stages(), batchSize);
    int at = 0;
    while (!(stages.get(at) instanceof Dataset.Batch)) {
      at++;
    }
    this.batch = (Dataset.Batch) stages.get(at);
    List<InputMap> maps = new ArrayList<>();
    int prefetch = 2;
    for (int i = 0; i < stages.size(); i++) {
      Dataset.Stage s = stages.get(i);
      if (s instanceof Dataset.Cache) {
        throw new IllegalArgumentException("cache() takes a dataset read by TensorFlow; a generator's samples come"
            + " from Java each pass (write them once with TfRecords.write, then read the files)");
      } else if (s instanceof Dataset.Map m) {
        maps.add(m.function()); // a map works on a batch as on a sample: run once per batch
      } else if (s instanceof Dataset.Prefetch p) {
        prefetch = (int) Math.min(p.buffers(), 64);
      } else if (i > at) {
        throw new IllegalArgumentException(s + " after batch: on a generator, shuffle, take, skip, shard and repeat"
            + " its samples before batch");
      } else if (i < at) {
        before.add(s);
      }
    }
    this.buffers = prefetch;
    this.steps = InputPipeline.steps(source.count(), stages);
    for (int i = 0; i < source.inputs(); i++) {
      inputShapes.add(source.shapes.get(i).clone());
    }
    if (!maps.isEmpty()) {
      buildMaps(maps);
    }
  }

  /** The maps as one graph from the batch's inputs to the mapped inputs. */
  private void buildMaps(List<InputMap> maps) {
    graph = Natives.newGraph();
    try {
      Ops ops = Ops.create(graph);
      List<Operand<?>> x = new ArrayList<>();
      for (long[] s : inputShapes) {
        Operand<TFloat32> p = ops.placeholder(TFloat32.class, Placeholder.shape(Shape.of(s).prepend(-1)));
        mapIn.add(p);
        x.add(p);
      }
      for (InputMap m : maps) {
        x = m.apply(ops, x);
      }
      inputShapes.clear();
      for (Operand<?> o : x) {
        long[] s = o.shape().asArray();
        if (o.type() != TFloat32.class || s.length == 0 || Arrays.stream(s).skip(1).anyMatch(d -> d < 0)) {
          throw new IllegalArgumentException("the maps give " + o.type().getSimpleName() + " " + o.shape()
              + "; the model takes floats of a known shape per sample");
        }
        inputShapes.add(Arrays.copyOfRange(s, 1, s.length));
        mapOut.add(o);
      }
      session = TfSession.open(graph, 0);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  @Override
  public long steps() {
    return steps;
  }

  @Override
  public List<long[]> inputShapes() {
    return inputShapes;
  }

  @Override
  public List<long[]> targetShapes() {
    return source.shapes.subList(source.inputs(), source.shapes.size());
  }

  @Override
  public Iterable<Batches.Batch> pass(String what, int epoch, boolean shuffle, long seed) {
    stop();
    BlockingQueue<Object> q = new ArrayBlockingQueue<>(buffers);
    queue = q;
    producer = new Thread(() -> produce(epoch, q), "leibniz-generator");
    producer.setDaemon(true);
    producer.start();
    return () -> new Iterator<>() {
      private Object ahead;
      private int step;

      @Override
      public boolean hasNext() {
        if (ahead == null) {
          try {
            ahead = q.take();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the generator", e);
          }
        }
        if (ahead instanceof Throwable t) {
          ahead = END;
          throw new DataException(what + ", epoch " + (epoch + 1) + ", batch " + (step + 1) + ": "
              + (t instanceof DataException ? t.getMessage() : "the generator failed: " + t), t);
        }
        return ahead != END;
      }

      @Override
      public Batches.Batch next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Batches.Batch b = (Batches.Batch) ahead;
        ahead = null;
        step++;
        return b;
      }
    };
  }

  /** The producer: batches of the epoch's samples into {@code q}, then {@link #END}, or the failure. */
  private void produce(int epoch, BlockingQueue<Object> q) {
    try {
      Iterator<float[][]> samples = samples(epoch).get();
      for (int step = 0; step < steps; step++) {
        List<float[][]> rows = new ArrayList<>();
        while (rows.size() < batch.size() && samples.hasNext()) {
          rows.add(samples.next());
        }
        Batches.Batch b = tensors(rows, step);
        try {
          q.put(b);
        } catch (InterruptedException e) {
          b.close();
          return;
        }
      }
      q.put(END);
    } catch (InterruptedException e) {
      // stopped: the loop went away
    } catch (Throwable t) {
      try {
        q.put(t);
      } catch (InterruptedException e) {
        // stopped
      }
    }
  }

  /** The samples of a pass, each stage before the batch applied in order. */
  private Supplier<Iterator<float[][]>> samples(int epoch) {
    Supplier<Iterator<float[][]>> s = () -> checked(source.samples.get());
    for (int i = 0; i < before.size(); i++) {
      Dataset.Stage stage = before.get(i);
      Supplier<Iterator<float[][]>> up = s;
      if (stage instanceof Dataset.Shuffle sh) {
        long stream = sh.seed() * 0x9E3779B97F4A7C15L + (sh.eachEpoch() ? epoch : 0) * 1_000_003L + i;
        int[] pass = {0};
        s = () -> shuffled(up.get(), (int) Math.min(sh.buffer(), 1 << 24), new SplittableRandom(stream + 7919L * pass[0]++));
      } else if (stage instanceof Dataset.Take t) {
        s = () -> filtered(up.get(), n -> n < t.count(), n -> n >= t.count());
      } else if (stage instanceof Dataset.Skip k) {
        s = () -> filtered(up.get(), n -> n >= k.count(), n -> false);
      } else if (stage instanceof Dataset.Shard h) {
        s = () -> filtered(up.get(), n -> n % h.shards() == h.index(), n -> false);
      } else if (stage instanceof Dataset.Repeat r) {
        s = () -> repeated(up, r.count());
      }
    }
    return s;
  }

  /** The generator's own samples, each checked against the declared shapes, no more than its count. */
  private Iterator<float[][]> checked(Iterator<float[][]> it) {
    if (it == null) {
      throw new DataException("the generator's supplier gave no iterator (null)");
    }
    return new Iterator<>() {
      private long n;

      @Override
      public boolean hasNext() {
        if (n == source.count) {
          return false;
        }
        if (!it.hasNext()) {
          throw new DataException("the generator's iterator ended after " + n + " samples; it declared " + source.count);
        }
        return true;
      }

      @Override
      public float[][] next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        float[][] s = it.next();
        n++;
        int parts = source.shapes.size();
        if (s == null || s.length != parts) {
          throw new DataException("sample " + n + " of the generator has " + (s == null ? "no" : s.length)
              + " components; it declared " + parts + " (the inputs, then the targets)");
        }
        for (int i = 0; i < parts; i++) {
          if (s[i] == null || s[i].length != source.size(i)) {
            throw new DataException("sample " + n + " of the generator: component " + i + " holds "
                + (s[i] == null ? "null" : s[i].length + " values") + "; its shape " + Arrays.toString(source.shapes.get(i))
                + " takes " + source.size(i));
          }
        }
        return s;
      }
    };
  }

  /** tf.data's shuffle: a buffer filled first, then a random one of it given and replaced by the next sample. */
  private static Iterator<float[][]> shuffled(Iterator<float[][]> in, int size, SplittableRandom random) {
    List<float[][]> buffer = new ArrayList<>();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        while (buffer.size() < size && in.hasNext()) {
          buffer.add(in.next());
        }
        return !buffer.isEmpty();
      }

      @Override
      public float[][] next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        int i = random.nextInt(buffer.size());
        float[][] out = buffer.get(i);
        buffer.set(i, buffer.get(buffer.size() - 1));
        buffer.remove(buffer.size() - 1);
        return out;
      }
    };
  }

  /** The samples whose index {@code keep} takes, until {@code done} says no later one will be. */
  private static Iterator<float[][]> filtered(Iterator<float[][]> in, java.util.function.LongPredicate keep,
      java.util.function.LongPredicate done) {
    return new Iterator<>() {
      private long n;
      private float[][] ahead;

      @Override
      public boolean hasNext() {
        while (ahead == null && !done.test(n) && in.hasNext()) {
          float[][] s = in.next();
          if (keep.test(n++)) {
            ahead = s;
          }
        }
        return ahead != null;
      }

      @Override
      public float[][] next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        float[][] s = ahead;
        ahead = null;
        return s;
      }
    };
  }

  private static Iterator<float[][]> repeated(Supplier<Iterator<float[][]>> up, long times) {
    return new Iterator<>() {
      private long round;
      private Iterator<float[][]> current = up.get();

      @Override
      public boolean hasNext() {
        while (!current.hasNext() && ++round < times) {
          current = up.get();
        }
        return current.hasNext();
      }

      @Override
      public float[][] next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return current.next();
      }
    };
  }

  /** One batch's tensors: each component's rows copied flat, the inputs through the maps. */
  private Batches.Batch tensors(List<float[][]> rows, int step) {
    List<TFloat32> x = new ArrayList<>();
    List<FeedTensor> feedX = new ArrayList<>();
    List<FeedTensor> y = new ArrayList<>();
    try {
      for (int c = 0; c < source.shapes.size(); c++) {
        int size = source.size(c);
        float[] flat = new float[rows.size() * size];
        for (int r = 0; r < rows.size(); r++) {
          System.arraycopy(rows.get(r)[c], 0, flat, r * size, size);
        }
        Shape shape = Shape.of(source.shapes.get(c)).prepend(rows.size());
        if (c < source.inputs()) {
          x.add(TFloat32.tensorOf(shape, DataBuffers.of(flat, true, false)));
        } else {
          y.add(FeedTensor.floats(flat, shape.asArray()));
        }
      }
      if (session != null) {
        Session.Runner r = session.runner();
        for (int i = 0; i < mapIn.size(); i++) {
          r.feed(mapIn.get(i), x.get(i));
        }
        mapOut.forEach(r::fetch);
        Result result = r.run();
        x.forEach(TFloat32::close);
        x.clear();
        for (int i = 0; i < result.size(); i++) {
          x.add((TFloat32) result.get(i));
        }
      }
      x.forEach(t -> feedX.add(FeedTensor.of(t)));
      return new Batches.Batch(step, feedX, y);
    } catch (RuntimeException e) {
      if (feedX.isEmpty()) {
        x.forEach(TFloat32::close);
      }
      feedX.forEach(FeedTensor::close);
      y.forEach(FeedTensor::close);
      throw e;
    }
  }

  /** Stops a pass's producer and closes the batches it left in the queue. */
  private void stop() {
    if (producer != null) {
      producer.interrupt();
      try {
        producer.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      producer = null;
    }
    if (queue != null) {
      for (Object o : queue) {
        if (o instanceof Batches.Batch b) {
          b.close();
        }
      }
      queue = null;
    }
  }

  @Override
  public void close() {
    stop();
    if (session != null) {
      session.close();
    }
    if (graph != null) {
      graph.close();
    }
  }
}
