package dev.leibniz.saving;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.leibniz.data.Data;
import dev.leibniz.data.TfRecords;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * TF Serving's warm-up file ({@code assets.extra/tf_serving_warmup_requests}): a TFRecord file
 * of {@code tensorflow.serving.PredictionLog}s, each a {@code PredictRequest} to the
 * signature given. Serving's protos are not on Maven Central for Java, so the
 * few fields are written by hand (numbers from {@code prediction_log.proto},
 * {@code predict.proto} and {@code model.proto}); the tensors are TensorFlow's {@code TensorProto}.
 */
public final class WarmupRequests {
  private static final int PREDICTION_LOG_PREDICT_LOG = 6;
  private static final int PREDICT_LOG_REQUEST = 1;
  private static final int REQUEST_MODEL_SPEC = 1;
  private static final int REQUEST_INPUTS = 2;
  private static final int MODEL_SPEC_SIGNATURE_NAME = 3;
  private static final int MAP_KEY = 1;
  private static final int MAP_VALUE = 2;

  private WarmupRequests() {}

  /**
   * The file's bytes: one request to {@code signature} per entry of {@code requests}, each a
   * batch of every input ({@code names} in order, samples of {@code sampleShapes}).
   */
  public static byte[] encode(String signature, List<List<Data>> requests, List<String> names,
      List<long[]> sampleShapes)
      throws IOException {
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    try (TfRecords.Writer writer = new TfRecords.Writer(file)) {
      for (List<Data> inputs : requests) {
        if (inputs.size() != names.size()) {
          throw new IllegalArgumentException("a warm-up request holds a batch of each of the model's " + names.size()
              + " inputs " + names + "; got " + inputs.size());
        }
        ByteString request = field(REQUEST_MODEL_SPEC, field(MODEL_SPEC_SIGNATURE_NAME,
            ByteString.copyFromUtf8(signature)));
        for (int i = 0; i < names.size(); i++) {
          Data d = inputs.get(i);
          if (!Arrays.equals(d.sampleShape(), sampleShapes.get(i))) {
            throw new IllegalArgumentException("warm-up input " + names.get(i) + " has samples of shape "
                + Arrays.toString(d.sampleShape()) + "; the model takes " + Arrays.toString(sampleShapes.get(i)));
          }
          ByteString entry = field(MAP_KEY, ByteString.copyFromUtf8(names.get(i)))
              .concat(field(MAP_VALUE, tensor(d).toByteString()));
          request = request.concat(field(REQUEST_INPUTS, entry));
        }
        writer.write(field(PREDICTION_LOG_PREDICT_LOG, field(PREDICT_LOG_REQUEST, request)).toByteArray());
      }
    }
    return file.toByteArray();
  }

  /** A float batch as a TensorProto: its shape, and its values as little-endian bytes. */
  private static TensorProto tensor(Data d) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
        .addDim(TensorShapeProto.Dim.newBuilder().setSize(d.count()));
    for (long dim : d.sampleShape()) {
      shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(dim));
    }
    float[] values = d.values();
    ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values);
    return TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shape)
        .setTensorContent(ByteString.copyFrom(bytes.array())).build();
  }

  /** Field {@code number} holding {@code bytes} (wire type 2: a message or a string). */
  private static ByteString field(int number, ByteString bytes) throws IOException {
    ByteString.Output out = ByteString.newOutput();
    CodedOutputStream coded = CodedOutputStream.newInstance(out);
    coded.writeBytes(number, bytes);
    coded.flush();
    return out.toByteString();
  }
}
