package dev.leibniz.processor.ir;

import java.util.List;

/**
 * {@code for (int var = from; var < to; var++)} unrolled while the graph is built ({@code region} pairs it with its backward) ({@code
 * reverse}: from {@code to - 1} down to {@code from}, as backward passes run). A carried
 * local enters each iteration as node {@code param} (op {@code carry}), leaves it as
 * {@code result}, starts as {@code init} and is {@code out} after the loop.
 */
public record Loop(int region, String var, JavaExpr from, JavaExpr to, boolean reverse, List<Carry> carried,
    Block body, Origin origin) implements Stmt {
  public Loop {
    carried = List.copyOf(carried);
  }

  public record Carry(int init, int param, int result, int out) {}
}
