package dev.leibniz.processor.ir;

import java.util.List;

/**
 * {@code if} on configuration, decided while the graph is built: {@code condition} is Java
 * code; {@code region} pairs a forward statement with its backward. Each merge is a local assigned in a branch: value {@code out} after the statement is
 * {@code fromThen} or {@code fromElse}.
 */
public record If(int region, JavaExpr condition, Block then, Block otherwise, List<Merge> merges, Origin origin)
    implements Stmt {
  public If {
    merges = List.copyOf(merges);
  }

  public record Merge(int out, int fromThen, int fromElse) {}
}
