package dev.leibniz.tf;

import java.nio.file.Path;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.SummaryMetadata;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

/**
 * A TensorBoard event file in {@code dir}, written by TensorFlow's own summary ops (the file
 * writer TensorFlow's {@code tf.summary} uses, on a small graph of its own): scalars as
 * {@code tf.summary.scalar} writes them (a float tensor with the scalars plugin's metadata) and
 * histograms of values. Each writer makes a new file ({@code events.out.tfevents.<time>.<host>...});
 * what was written before stays as it was.
 */
public final class EventFileWriter implements AutoCloseable {
  /** tf.summary.scalar's metadata: the scalars plugin, data class scalar. */
  private static final byte[] SCALAR_METADATA = SummaryMetadata.newBuilder()
      .setPluginData(SummaryMetadata.PluginData.newBuilder().setPluginName("scalars"))
      .setDataClass(org.tensorflow.proto.DataClass.DATA_CLASS_SCALAR).build().toByteArray();

  private final Graph graph = Natives.newGraph();
  private final Session session;
  private final Operand<TInt64> step;
  private final Operand<TString> tag;
  private final Operand<TFloat32> value;
  private final Operand<TFloat32> values;
  private final Op scalar;
  private final Op histogram;
  private final Op flush;
  private final Op close;
  private boolean closed;

  public EventFileWriter(Path dir) {
    try {
      Ops tf = Ops.create(graph);
      Operand<? extends TType> writer = tf.summary.summaryWriter();
      step = tf.placeholder(TInt64.class);
      tag = tf.placeholder(TString.class);
      value = tf.placeholder(TFloat32.class);
      values = tf.placeholder(TFloat32.class);
      Op create = tf.summary.createSummaryFileWriter(writer, tf.constant(dir.toAbsolutePath().toString()),
          tf.constant(10), tf.constant(120_000), tf.constant(".v2"));
      // the serialized proto as bytes: ISO-8859-1 maps each byte to one char and back
      var bytes = java.nio.charset.StandardCharsets.ISO_8859_1;
      scalar = tf.summary.writeSummary(writer, step, value, tag,
          tf.constant(bytes, new String(SCALAR_METADATA, bytes)));
      histogram = tf.summary.writeHistogramSummary(writer, step, tag, values);
      flush = tf.summary.flushSummaryWriter(writer);
      close = tf.summary.closeSummaryWriter(writer);
      session = TfSession.open(graph, 0);
      session.runner().addTarget(create).run();
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  /** {@code tag}'s value at {@code step}. */
  public void scalar(String tagName, long at, double v) {
    try (TInt64 s = TInt64.scalarOf(at); TString t = TString.scalarOf(tagName); TFloat32 x = TFloat32.scalarOf((float) v)) {
      session.runner().feed(step, s).feed(tag, t).feed(value, x).addTarget(scalar).run();
    }
  }

  /** A histogram of {@code data} under {@code tag} at {@code step}. */
  public void histogram(String tagName, long at, float[] data) {
    try (TInt64 s = TInt64.scalarOf(at); TString t = TString.scalarOf(tagName);
        TFloat32 x = TFloat32.vectorOf(data)) {
      session.runner().feed(step, s).feed(tag, t).feed(values, x).addTarget(histogram).run();
    }
  }

  /** Everything written so far onto the disk. */
  public void flush() {
    session.runner().addTarget(flush).run();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      session.runner().addTarget(close).run();
    } finally {
      session.close();
      graph.close();
    }
  }
}
