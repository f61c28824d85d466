package dev.leibniz.tf;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteSessionOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_GetCode;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_Message;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewSessionOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SetConfig;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SetTarget;

import org.bytedeco.javacpp.BytePointer;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.proto.ConfigProto;

/**
 * A {@link Session} on a TensorFlow server ({@code grpc://host:port}) instead of in process.
 * TensorFlow Java 1.1.0 has no public way to set a session's target (tensorflow/java#369): the
 * native session is made with the C API, which takes one, and wrapped in TensorFlow Java's own
 * {@code Session} through its package-private constructor, so that runs, feeds and closing are
 * TensorFlow Java's. The internals are {@link TfInternals}'.
 */
final class GrpcSession {
  private GrpcSession() {}

  /** A session on {@code graph} whose runs go to {@code target} (e.g. {@code grpc://localhost:2222}). */
  static Session open(Graph graph, String target, ConfigProto config) {
    TF_Status status = TF_NewStatus();
    TF_SessionOptions options = TF_NewSessionOptions();
    try {
      TF_SetTarget(options, target);
      byte[] bytes = config.toByteArray();
      try (BytePointer serialized = new BytePointer(bytes)) {
        TF_SetConfig(options, serialized, bytes.length, status);
        check(status, "set the session's configuration");
      }
      TF_Session handle = TF_NewSession(TfInternals.graph(graph), options, status);
      check(status, "open a session on " + target);
      return TfInternals.wrap(graph, handle);
    } finally {
      TF_DeleteSessionOptions(options);
      TF_DeleteStatus(status);
    }
  }

  private static void check(TF_Status status, String what) {
    if (TF_GetCode(status) != 0) {
      throw new IllegalStateException("TensorFlow could not " + what + ": " + TF_Message(status).getString());
    }
  }
}
