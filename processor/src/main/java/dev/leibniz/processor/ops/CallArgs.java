package dev.leibniz.processor.ops;

import dev.leibniz.processor.ir.Builder;
import dev.leibniz.processor.ir.JavaExpr;
import java.util.List;

/**
 * The arguments of an op call in a {@code @Call} body, as the parser offers them to an op's
 * lowering: each is lowered on request as the kind the op expects, and a wrong kind is
 * reported at that argument.
 */
public interface CallArgs {
  int count();

  /** Whether argument {@code i} is a tensor expression (rather than a Java number). */
  boolean isTensor(int i);

  /** Argument {@code i} lowered to a tensor value id. */
  int tensor(int i);

  /** Argument {@code i} as a tensor; a Java number becomes a scalar constant. */
  default int tensorOrNumber(int i) {
    return isTensor(i) ? tensor(i) : new IrMath(builder()).constant(number(i));
  }

  /** Argument {@code i} as a Java number known while the graph is built. */
  JavaExpr number(int i);

  /** Argument {@code i} as a boolean constant. */
  boolean bool(int i);

  /** Integers from argument {@code from} on: varargs, or one {@code new int[] {...}} array. */
  default List<JavaExpr> ints(int from) {
    return ints(from, count());
  }

  /** Integers of arguments {@code from} (inclusive) to {@code to}, or the array at {@code from}. */
  List<JavaExpr> ints(int from, int to);

  /** The source text of the arguments from {@code from} on, as written (for messages). */
  String text(int from);

  Builder builder();
}
