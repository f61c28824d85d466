package dev.leibniz.tf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.TensorProto;

/**
 * Proves that two tensors have the same shape when the graph runs, where TensorFlow's static
 * shapes show only {@code [-1, 64]} twice. A dimension unknown when the graph is built gets a
 * symbol, equal only to itself; ops that keep or combine dimensions pass theirs on (an
 * elementwise op's result has its operands' symbols, a product {@code [b, k] x [k, n]} has b's);
 * a value no rule covers gets fresh symbols, so nothing is ever proven that is not so. Declared
 * symbols come from what the graph's builder knows: every value of a recurrent step has its
 * sequence's batch. An unbroadcast between tensors proven the same shape is nothing, where it
 * would otherwise cost five ops (two Shape, BroadcastGradientArgs, Sum, Reshape) at each use, at
 * every step of a loop.
 */
final class SymbolicShapes {
  /** A dimension unknown when the graph is built: equal only to itself. */
  static final class Symbol {
    @Override
    public String toString() {
      return "?" + Integer.toHexString(System.identityHashCode(this));
    }
  }

  /** Ops whose result has the shape of their first input. */
  private static final Set<String> SAME_AS_FIRST = Set.of("Identity", "EnsureShape", "StopGradient", "Sigmoid",
      "Tanh", "Relu", "Relu6", "Elu", "Selu", "Softplus", "Softsign", "LeakyRelu", "Neg", "Square", "Sqrt", "Rsqrt",
      "Exp", "Log", "Log1p", "Abs", "Sign", "Reciprocal", "Erf", "OnesLike", "ZerosLike", "Softmax", "LogSoftmax",
      "BiasAdd", "Cast");

  /** Elementwise ops of two or three operands that broadcast (SelectV2's condition too). */
  private static final Set<String> BROADCASTING = Set.of("Add", "AddV2", "Sub", "Mul", "RealDiv", "Div", "DivNoNan",
      "MulNoNan", "Maximum", "Minimum", "SquaredDifference", "Pow", "SelectV2", "SigmoidGrad", "TanhGrad", "ReluGrad",
      "Relu6Grad", "EluGrad", "SeluGrad", "SoftplusGrad", "LeakyReluGrad", "RsqrtGrad", "SqrtGrad");

  private final Map<Output<?>, Object[]> dims = new HashMap<>();

  /**
   * Declares {@code x}'s first dimension to be {@code batch} where TensorFlow does not know it (a
   * known size proves itself); its others are TensorFlow's or fresh.
   */
  void declareBatch(Operand<?> x, Symbol batch) {
    Shape s = x.shape();
    Object[] before = dims.get(x.asOutput());
    if (s.isUnknown() || s.numDimensions() == 0 || s.get(0) >= 0 || (before != null && before[0] == batch)) {
      return;
    }
    Object[] d = statics(s);
    d[0] = batch;
    fresh(d);
    dims.put(x.asOutput(), d);
  }

  /** Whether {@code a} and {@code b} are proven to have the same shape when the graph runs. */
  boolean same(Operand<?> a, Operand<?> b) {
    Object[] da = of(a.asOutput());
    Object[] db = of(b.asOutput());
    return da != null && db != null && Arrays.equals(da, db);
  }

  /** Whether {@code x}'s first dimension is proven to be {@code batch}. */
  boolean leads(Operand<?> x, Symbol batch) {
    Object[] d = of(x.asOutput());
    return d != null && d.length > 0 && d[0] == batch;
  }

  /** The dimensions of {@code o}: sizes as {@code Long}, symbols where unknown; null if its rank is unknown. */
  private Object[] of(Output<?> o) {
    Object[] known = dims.get(o);
    if (known != null || dims.containsKey(o)) {
      return known;
    }
    Shape s = o.shape();
    Object[] d = s.isUnknown() ? null : statics(s);
    if (d != null && o.op() instanceof GraphOperation op) {
      derive(op, d);
      fresh(d);
    }
    dims.put(o, d);
    return d;
  }

  private static Object[] statics(Shape s) {
    Object[] d = new Object[s.numDimensions()];
    for (int i = 0; i < d.length; i++) {
      d[i] = s.get(i) >= 0 ? (Object) s.get(i) : null;
    }
    return d;
  }

  private static void fresh(Object[] d) {
    for (int i = 0; i < d.length; i++) {
      d[i] = d[i] == null ? new Symbol() : d[i];
    }
  }

  /** Fills the dimensions TensorFlow does not know ({@code d}'s nulls) from the op's inputs where a rule proves them. */
  private void derive(GraphOperation op, Object[] d) {
    String type = op.type();
    if (SAME_AS_FIRST.contains(type)) {
      fill(d, of(op.input(0)));
    } else if (BROADCASTING.contains(type)) {
      broadcast(op, d);
    } else if (type.equals("MatMul") && d.length == 2) {
      Object[] a = of(op.input(0));
      Object[] b = of(op.input(1));
      boolean ta = op.attributes().getAttrBool("transpose_a");
      boolean tb = op.attributes().getAttrBool("transpose_b");
      if (a != null && a.length == 2 && d[0] == null) {
        d[0] = a[ta ? 1 : 0];
      }
      if (b != null && b.length == 2 && d[1] == null) {
        d[1] = b[tb ? 0 : 1];
      }
    } else if (type.equals("Slice")) {
      slice(op, d);
    } else if (type.equals("ConcatV2")) {
      concat(op, d);
    }
  }

  /** Where every operand (aligned from the last axis, missing axes of size 1) has the same dimension, or 1. */
  private void broadcast(GraphOperation op, Object[] d) {
    Object[][] in = new Object[op.numInputs()][];
    for (int k = 0; k < in.length; k++) {
      in[k] = of(op.input(k));
      if (in[k] == null) {
        return;
      }
    }
    for (int i = 0; i < d.length; i++) {
      if (d[i] != null) {
        continue;
      }
      Object common = null;
      for (Object[] x : in) {
        int at = i - (d.length - x.length);
        Object dim = at < 0 ? (Object) 1L : x[at];
        if (dim.equals(1L)) {
          continue;
        }
        if (common == null) {
          common = dim;
        } else if (!common.equals(dim)) {
          common = null;
          break;
        }
      }
      d[i] = common instanceof Symbol ? common : null;
    }
  }

  /** Slice(x, begin, size): an axis taken whole from 0 ({@code size -1}) keeps x's dimension. */
  private void slice(GraphOperation op, Object[] d) {
    Object[] x = of(op.input(0));
    long[] begin = constant(op.input(1));
    long[] size = constant(op.input(2));
    if (x == null || begin == null || size == null || x.length != d.length) {
      return;
    }
    for (int i = 0; i < d.length; i++) {
      if (d[i] == null && begin[i] == 0 && size[i] == -1) {
        d[i] = x[i];
      }
    }
  }

  /** ConcatV2(pieces..., axis): off the axis, the pieces' common dimension. */
  private void concat(GraphOperation op, Object[] d) {
    int n = op.numInputs() - 1;
    long[] axis = constant(op.input(n));
    if (axis == null || axis.length != 1) {
      return;
    }
    int a = (int) (axis[0] < 0 ? axis[0] + d.length : axis[0]);
    for (int i = 0; i < d.length; i++) {
      if (d[i] != null || i == a) {
        continue;
      }
      Object common = null;
      for (int k = 0; k < n; k++) {
        Object[] x = of(op.input(k));
        Object dim = x == null || x.length != d.length ? null : x[i];
        if (dim == null || (common != null && !common.equals(dim))) {
          common = null;
          break;
        }
        common = dim;
      }
      d[i] = common;
    }
  }

  private static void fill(Object[] d, Object[] from) {
    if (from == null || from.length != d.length) {
      return;
    }
    for (int i = 0; i < d.length; i++) {
      d[i] = d[i] == null ? from[i] : d[i];
    }
  }

  /** The integers of a constant (int32 or int64, scalar or vector), or null if {@code o} is not a constant. */
  private static long[] constant(Output<?> o) {
    if (!(o.op() instanceof GraphOperation op) || !op.type().equals("Const")) {
      return null;
    }
    TensorProto t = op.attributes().getAttrValueProto("value").getTensor();
    boolean wide = t.getDtype() == org.tensorflow.proto.DataType.DT_INT64;
    if (!wide && t.getDtype() != org.tensorflow.proto.DataType.DT_INT32) {
      return null;
    }
    if (!t.getTensorContent().isEmpty()) {
      ByteBuffer bytes = t.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      long[] out = new long[bytes.remaining() / (wide ? 8 : 4)];
      for (int i = 0; i < out.length; i++) {
        out[i] = wide ? bytes.getLong() : bytes.getInt();
      }
      return out;
    }
    int count = wide ? t.getInt64ValCount() : t.getIntValCount();
    long elements = 1;
    for (var dim : t.getTensorShape().getDimList()) {
      elements *= dim.getSize();
    }
    if (count == 0 || (count != elements && count != 1)) {
      return null;
    }
    long[] out = new long[(int) elements];
    for (int i = 0; i < out.length; i++) {
      int at = Math.min(i, count - 1); // a proto may hold one value for all
      out[i] = wide ? t.getInt64Val(at) : t.getIntVal(at);
    }
    return out;
  }
}
