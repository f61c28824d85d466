package dev.leibniz.processor.ir;

/** A statement of a {@link Block}: an op node, or a region resolved while the graph is built. */
public sealed interface Stmt permits Node, If, Loop, SlotWrite {}
