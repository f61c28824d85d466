package dev.leibniz.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.Example;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

/**
 * TFRecord files of {@code tf.train.Example}s: TensorFlow's V1 {@code TFRecordDataset} (its
 * generated V2 wrapper fails at iterator creation), parsed by {@code ParseExampleV2}, a whole
 * batch in one op where the pipeline batches before any map.
 */
final class RecordSource implements TfSource {
  private final List<Path> files;
  private final List<Feature> features = new ArrayList<>();
  private final int inputs;

  RecordSource(List<Path> files, List<Feature> inputs, List<Feature> targets) {
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no TFRecord files given");
    }
    for (Path f : files) {
      if (!Files.isRegularFile(f)) {
        throw new DataException(f + ": no such TFRecord file");
      }
    }
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("name at least one input feature, e.g. Feature.floats(\"image\", 784)");
    }
    this.files = List.copyOf(files);
    this.features.addAll(inputs);
    this.features.addAll(targets);
    this.inputs = inputs.size();
    if (features.stream().map(Feature::name).distinct().count() != features.size()) {
      throw new IllegalArgumentException("feature names must differ: " + features);
    }
  }

  @Override
  public Raw open(Ops ops, Map<Operand<?>, Tensor> feeds) {
    // V1 by name: V2 fails at iterator creation ("3 inputs specified of 4"), its byte_offsets lost on the way
    Operand<?> dataset = ops.scope().env().opBuilder("TFRecordDataset", "records", ops.scope())
        .addInput(ops.array(files.stream().map(Path::toString).toArray(String[]::new)).asOutput())
        .addInput(ops.constant("").asOutput())
        .addInput(ops.constant(256L * 1024).asOutput())
        .build().output(0);
    return new Raw(dataset, List.of(TString.class), List.of(Shape.scalar()));
  }

  @Override
  @SuppressWarnings("unchecked")
  public List<Operand<?>> decode(Ops ops, List<Operand<?>> raw) {
    List<Operand<?>> defaults = new ArrayList<>();
    List<Class<? extends TType>> types = new ArrayList<>();
    List<Shape> shapes = new ArrayList<>();
    for (Feature f : features) {
      switch (f.kind()) { // empty defaults: every feature is required
        case FLOAT -> defaults.add(ops.constant(new float[0]));
        case INT64 -> defaults.add(ops.constant(new long[0]));
        case BYTES, RAW_FLOAT -> defaults.add(TfSource.noStrings(ops));
      }
      shapes.add(f.kind() == Feature.Kind.RAW_FLOAT ? Shape.scalar() : Shape.of(f.shape()));
    }
    var parsed = ops.io.parseExample((Operand<TString>) raw.get(0), TfSource.noStrings(ops),
        TfSource.noStrings(ops), ops.array(features.stream().map(Feature::name).toArray(String[]::new)),
        TfSource.noStrings(ops), defaults, 0L, List.of(), List.of(), List.of(), shapes);
    List<Operand<?>> out = new ArrayList<>();
    for (int i = 0; i < features.size(); i++) {
      org.tensorflow.Output<?> v = parsed.denseValues().get(i);
      Feature f = features.get(i);
      if (f.kind() == Feature.Kind.RAW_FLOAT) { // [batch] strings to [batch, shape...] floats, one copy
        Operand<TFloat32> floats = ops.io.decodeRaw((Operand<TString>) v, TFloat32.class);
        out.add(ops.reshape(floats, ops.constant(Shape.of(f.shape()).prepend(-1).asArray())));
      } else {
        out.add(v.type() == TInt64.class ? ops.dtypes.cast((Operand<TInt64>) v, TFloat32.class) : v);
      }
    }
    return out;
  }

  @Override
  public boolean decodesBatches() {
    return true;
  }

  @Override
  public int inputs() {
    return inputs;
  }

  @Override
  public long count() throws IOException {
    long n = 0;
    for (Path f : files) {
      n += TfRecords.count(f, false);
    }
    return n;
  }

  @Override
  public String diagnose() {
    for (Path f : files) {
      try {
        TfRecords.count(f, true);
        String bad = checkExamples(f);
        if (bad != null) {
          return bad;
        }
      } catch (DataException e) {
        return e.getMessage();
      } catch (IOException e) {
        return f + ": " + e;
      }
    }
    return null;
  }

  /** The first record of {@code file} that is not an Example with every feature at its size, or null. */
  private String checkExamples(Path file) throws IOException {
    try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      byte[] head = new byte[12];
      for (long n = 1; in.readNBytes(head, 0, 12) == 12; n++) {
        long length = java.nio.ByteBuffer.wrap(head).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(0);
        byte[] record = in.readNBytes((int) length);
        in.skipNBytes(4);
        Example e;
        try {
          e = Example.parseFrom(record);
        } catch (com.google.protobuf.InvalidProtocolBufferException x) {
          return file + ", record " + n + ": not a tf.train.Example (" + x.getMessage() + ")";
        }
        for (Feature f : features) {
          org.tensorflow.proto.Feature got = e.getFeatures().getFeatureMap().get(f.name());
          if (got == null) {
            return file + ", record " + n + ": no feature \"" + f.name() + "\"; it has " + e.getFeatures().getFeatureMap().keySet();
          }
          long size = switch (f.kind()) {
            case FLOAT -> got.getFloatList().getValueCount();
            case INT64 -> got.getInt64List().getValueCount();
            case BYTES -> got.getBytesList().getValueCount();
            case RAW_FLOAT -> got.getBytesList().getValueCount() == 1 ? got.getBytesList().getValue(0).size() / 4 : -1;
          };
          if (size != f.size()) {
            String stored = got.getKindCase().name().toLowerCase(java.util.Locale.ROOT);
            return file + ", record " + n + ": feature \"" + f.name() + "\" holds " + size + " values of the "
                + f.kind().name().toLowerCase(java.util.Locale.ROOT) + " kind (it is stored as " + stored + "); " + f
                + " takes " + f.size();
          }
        }
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return "TFRecords " + files + " of " + features;
  }
}
