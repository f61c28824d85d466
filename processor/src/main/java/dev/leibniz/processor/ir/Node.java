package dev.leibniz.processor.ir;

import java.util.List;

/**
 * One op application in SSA form: value {@code id} is {@code op(args...)} with static
 * attributes. {@code hint} names the value for the generated code (the user's local name, or
 * the op's).
 */
public record Node(int id, Op op, List<Integer> args, Attrs attrs, StaticShape shape, String hint,
    Origin origin) implements Stmt {
  public Node {
    args = List.copyOf(args);
  }

  public int arg(int i) {
    return args.get(i);
  }

  /** The Java type of the value where it is not a tensor (a record of a call into another graph), else null. */
  public String javaType() {
    return op.javaType(attrs);
  }
}
