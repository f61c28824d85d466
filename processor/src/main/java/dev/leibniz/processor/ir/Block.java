package dev.leibniz.processor.ir;

import java.util.List;

/** Statements in order. */
public record Block(List<Stmt> stmts) {
  public static final Block EMPTY = new Block(List.of());

  public Block {
    stmts = List.copyOf(stmts);
  }
}
