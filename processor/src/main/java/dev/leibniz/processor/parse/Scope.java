package dev.leibniz.processor.parse;

import dev.leibniz.processor.ir.JavaExpr;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The locals visible in a {@code @Call} body, frame by frame. A frame opened for a region (a
 * branch or a loop body) also records which outer tensor locals the region reassigns: those
 * become the merges of an {@code if} and the carried values of a loop.
 */
final class Scope {
  sealed interface Binding permits TensorVar, NumberVar, RecordVar {}

  /** A tensor local, currently bound to IR value {@code id}. */
  record TensorVar(int id) implements Binding {}

  /** A record of several tensors (a call's outputs): its type and each component's IR value, in order. */
  record RecordVar(String type, java.util.LinkedHashMap<String, Integer> components) implements Binding {}

  /** A Java number fixed while the graph is built: a loop index or a final number local. */
  record NumberVar(JavaExpr expr) implements Binding {}

  private static final class Frame {
    final boolean region;
    final Map<String, Binding> declared = new LinkedHashMap<>();
    final Map<String, Integer> reassigned = new LinkedHashMap<>();

    Frame(boolean region) {
      this.region = region;
    }
  }

  private final Deque<Frame> frames = new ArrayDeque<>();

  Scope() {
    frames.push(new Frame(false));
  }

  void open(boolean region) {
    frames.push(new Frame(region));
  }

  /** Closes the innermost frame; for a region, returns the outer locals it reassigned. */
  Map<String, Integer> close() {
    return frames.pop().reassigned;
  }

  int depth() {
    return frames.size();
  }

  void declare(String name, Binding binding) {
    frames.peek().declared.put(name, binding);
  }

  Binding lookup(String name) {
    for (Frame f : frames) {
      if (f.region && f.reassigned.containsKey(name)) {
        return new TensorVar(f.reassigned.get(name));
      }
      Binding b = f.declared.get(name);
      if (b != null) {
        return b;
      }
    }
    return null;
  }

  /** Rebinds tensor local {@code name}; inside a region, an outer local is recorded there. */
  void assign(String name, int id) {
    Frame innermostRegion = null;
    for (Iterator<Frame> it = frames.iterator(); it.hasNext(); ) {
      Frame f = it.next();
      if (f.declared.containsKey(name)) {
        if (innermostRegion == null) {
          f.declared.put(name, new TensorVar(id));
        } else {
          innermostRegion.reassigned.put(name, id);
        }
        return;
      }
      if (f.region && innermostRegion == null) {
        innermostRegion = f;
      }
    }
    throw new IllegalStateException("assignment to undeclared local " + name);
  }
}
