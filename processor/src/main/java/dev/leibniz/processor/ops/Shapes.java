package dev.leibniz.processor.ops;

import dev.leibniz.processor.Message;
import dev.leibniz.processor.ir.JavaExpr;
import dev.leibniz.processor.ir.OpError;
import dev.leibniz.processor.ir.StaticShape;
import java.util.ArrayList;
import java.util.List;

/** Static shape rules shared by several op families. */
final class Shapes {
  private Shapes() {}

  /** NumPy broadcasting; unknown dimensions match anything. */
  static StaticShape broadcast(StaticShape a, StaticShape b) {
    if (!a.knownRank() || !b.knownRank()) {
      return StaticShape.UNKNOWN;
    }
    int rank = Math.max(a.rank(), b.rank());
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < rank; i++) {
      long da = dimFromEnd(a, rank - 1 - i);
      long db = dimFromEnd(b, rank - 1 - i);
      if (da == 1) {
        out.add(db);
      } else if (db == 1) {
        out.add(da);
      } else if (da >= 0 && db >= 0 && da != db) {
        throw new OpError(Message.BROADCAST, a, b, da, db);
      } else {
        out.add(da >= 0 ? da : db);
      }
    }
    return new StaticShape(out);
  }

  /** A size written in Java code: its value where it is a constant, else -1 (known only when the graph is built). */
  static long size(JavaExpr e) {
    return e.isConstant() ? (long) e.value().getAsDouble() : -1;
  }

  /** Dimension {@code k} counted from the end; 1 where the shape has fewer dimensions. */
  private static long dimFromEnd(StaticShape s, int k) {
    return k < s.rank() ? s.dim(s.rank() - 1 - k) : 1;
  }

  /**
   * Whether {@code operand} can have been broadcast against {@code other}, so that its
   * gradient must be summed back to its shape. False only where the shapes prove it was not.
   */
  static boolean mayBroadcast(StaticShape operand, StaticShape other) {
    if (!operand.knownRank() || !other.knownRank() || operand.rank() < other.rank()) {
      return true;
    }
    for (int k = 0; k < other.rank(); k++) {
      long mine = dimFromEnd(operand, k);
      long theirs = dimFromEnd(other, k);
      boolean proven = theirs == 1 || (mine > 1) || (mine >= 0 && mine == theirs);
      if (!proven) {
        return true;
      }
    }
    return false;
  }

  /** Normalizes axes against a known rank, or reports the one out of range. */
  static List<Integer> axes(List<JavaExpr> axes, StaticShape in, String op) {
    List<Integer> out = new ArrayList<>();
    for (JavaExpr e : axes) {
      if (!e.isConstant()) {
        return null;
      }
      int axis = (int) e.value().getAsDouble();
      if (in.knownRank()) {
        int rank = in.rank();
        if (axis < -rank || axis >= rank) {
          throw new OpError(Message.AXIS_OUT_OF_RANGE, op, axis, rank, in, -rank, rank - 1);
        }
        axis = axis < 0 ? axis + rank : axis;
      }
      if (out.contains(axis)) {
        throw new OpError(Message.AXIS_TWICE, op, axis);
      }
      out.add(axis);
    }
    return out;
  }

  static String ints(List<JavaExpr> values) {
    List<String> codes = new ArrayList<>();
    for (JavaExpr e : values) {
      codes.add(e.code());
    }
    return "new int[] {" + String.join(", ", codes) + "}";
  }

  static String longs(List<JavaExpr> values) {
    List<String> codes = new ArrayList<>();
    for (JavaExpr e : values) {
      codes.add(e.isConstant() ? e.code() + "L" : e.code());
    }
    return "new long[] {" + String.join(", ", codes) + "}";
  }

  static void requireRank(StaticShape s, int rank, String op, String what) {
    if (s.knownRank() && s.rank() != rank) {
      throw new OpError(Message.RANK, op, rank, what, s.rank(), s);
    }
  }

  static void requireAtLeastRank(StaticShape s, int rank, String op, String what) {
    if (s.knownRank() && s.rank() < rank) {
      throw new OpError(Message.MIN_RANK, op, what, rank, s.rank(), s);
    }
  }
}
