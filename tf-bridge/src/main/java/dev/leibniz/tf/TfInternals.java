package dev.leibniz.tf;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import org.tensorflow.Graph;
import org.tensorflow.RawTensor;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_Tensor;
import org.tensorflow.op.Ops;
import org.tensorflow.op.Scope;

/**
 * The internals of TensorFlow Java that the bridge reaches into, all here: the native handles of
 * a graph, a session and a tensor, a {@code Session} made around a native one, and {@code Ops}
 * on a scope of our own. Each is
 * package-private in TensorFlow Java 1.1.0; a version without them fails here, saying so.
 */
final class TfInternals {
  private static final MethodHandle TENSOR_HANDLE = tensorHandle();

  private TfInternals() {}

  static TF_Graph graph(Graph graph) {
    return (TF_Graph) nativeHandle(Graph.class, graph);
  }

  static TF_Session session(Session session) {
    return (TF_Session) nativeHandle(Session.class, session);
  }

  /** The tensor's handle, once per run: a method handle, fast once the JIT has compiled the call. */
  static TF_Tensor tensor(Tensor tensor) {
    try {
      return (TF_Tensor) TENSOR_HANDLE.invokeExact(tensor.asRawTensor());
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  /** TensorFlow Java's own {@code Session} around {@code handle}: its runs, feeds and closing. */
  static Session wrap(Graph graph, TF_Session handle) {
    try {
      Constructor<Session> c = Session.class.getDeclaredConstructor(Graph.class, TF_Session.class);
      c.setAccessible(true);
      return c.newInstance(graph, handle);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw unsupported(e);
    }
  }

  /** TensorFlow Java's op builder on {@code scope}, one of Leibniz's own ({@link WhileLoop}'s body). */
  static Ops ops(Scope scope) {
    try {
      Constructor<Ops> c = Ops.class.getDeclaredConstructor(Scope.class);
      c.setAccessible(true);
      return c.newInstance(scope);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw unsupported(e);
    }
  }

  private static Object nativeHandle(Class<?> owner, Object of) {
    try {
      Field f = owner.getDeclaredField("nativeHandle");
      f.setAccessible(true);
      return f.get(of);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw unsupported(e);
    }
  }

  private static MethodHandle tensorHandle() {
    try {
      Method m = RawTensor.class.getDeclaredMethod("nativeHandle");
      m.setAccessible(true);
      return MethodHandles.lookup().unreflect(m).asType(MethodType.methodType(TF_Tensor.class, RawTensor.class));
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw unsupported(e);
    }
  }

  private static IllegalStateException unsupported(Exception e) {
    return new IllegalStateException("this TensorFlow Java version does not have the internals Leibniz reaches into"
        + " (native handles of graphs, sessions and tensors; built for org.tensorflow:tensorflow-core-api 1.1.0): "
        + e, e);
  }
}
