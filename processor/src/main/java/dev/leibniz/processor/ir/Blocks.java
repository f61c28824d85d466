package dev.leibniz.processor.ir;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;

/** Walks over blocks and the regions nested in them. */
public final class Blocks {
  private Blocks() {}

  /** Every node of the block and its regions, including values defined by the regions. */
  public static void forEachNode(Block block, Consumer<Node> action) {
    for (Stmt s : block.stmts()) {
      if (s instanceof Node n) {
        action.accept(n);
      } else if (s instanceof If i) {
        forEachNode(i.then(), action);
        forEachNode(i.otherwise(), action);
      } else if (s instanceof Loop l) {
        forEachNode(l.body(), action);
      }
    }
  }

  /** Ids defined by the block at any depth: its nodes and the values its regions define. */
  public static Set<Integer> defined(Block block) {
    Set<Integer> ids = new LinkedHashSet<>();
    collectDefined(block, ids);
    return ids;
  }

  private static void collectDefined(Block block, Set<Integer> ids) {
    for (Stmt s : block.stmts()) {
      if (s instanceof Node n) {
        ids.add(n.id());
      } else if (s instanceof If i) {
        collectDefined(i.then(), ids);
        collectDefined(i.otherwise(), ids);
        i.merges().forEach(m -> ids.add(m.out()));
      } else if (s instanceof Loop l) {
        collectDefined(l.body(), ids);
        l.carried().forEach(c -> ids.add(c.out()));
      }
    }
  }

  /** Ids the block reads that it does not define: the values a region takes from outside. */
  public static Set<Integer> free(Block block) {
    Set<Integer> used = new LinkedHashSet<>();
    collectUses(block, used);
    used.removeAll(defined(block));
    return used;
  }

  /**
   * Ids the block reads on every path: everywhere except inside {@code if} branches (a loop body
   * counts, a merge after an {@code if} does not).
   */
  public static Set<Integer> usedUnconditionally(Block block) {
    Set<Integer> used = new LinkedHashSet<>();
    for (Stmt s : block.stmts()) {
      if (s instanceof Node n) {
        used.addAll(n.args());
      } else if (s instanceof Loop l) {
        used.addAll(usedUnconditionally(l.body()));
        for (Loop.Carry c : l.carried()) {
          used.add(c.init());
          used.add(c.result());
        }
      } else if (s instanceof SlotWrite w && w.value() != Op.ZERO) {
        used.add(w.value());
      }
    }
    return used;
  }

  /**
   * Whether the block is straight-line code of primitives (no regions, no calls into other
   * graphs): what second-order derivatives are generated for.
   */
  public static boolean isStraightLine(Block body) {
    boolean[] ok = {true};
    for (Stmt s : body.stmts()) {
      ok[0] &= s instanceof Node;
    }
    forEachNode(body, n -> ok[0] &= n.op().differentiable() && n.javaType() == null);
    return ok[0];
  }

  /** Whether the block has a loop, at any depth. */
  public static boolean hasLoop(Block block) {
    for (Stmt s : block.stmts()) {
      if (s instanceof Loop || s instanceof If i && (hasLoop(i.then()) || hasLoop(i.otherwise()))) {
        return true;
      }
    }
    return false;
  }

  /** The values of {@code block} that depend on value {@code x} (x among them). */
  public static Set<Integer> dependents(Block block, int x) {
    Set<Integer> out = new java.util.HashSet<>();
    out.add(x);
    dependents(block, out);
    return out;
  }

  private static boolean dependents(Block block, Set<Integer> out) {
    boolean any = false;
    for (Stmt s : block.stmts()) {
      if (s instanceof Node n) {
        if (n.args().stream().anyMatch(out::contains)) {
          any |= out.add(n.id());
        }
      } else if (s instanceof If i) {
        any |= dependents(i.then(), out) | dependents(i.otherwise(), out);
        for (If.Merge m : i.merges()) {
          if (out.contains(m.fromThen()) || out.contains(m.fromElse())) {
            any |= out.add(m.out());
          }
        }
      } else if (s instanceof Loop l) {
        // What an iteration makes feeds the next: run the body until nothing new depends on x.
        boolean grew;
        do {
          grew = false;
          for (Loop.Carry c : l.carried()) {
            if (out.contains(c.init()) || out.contains(c.result())) {
              grew |= out.add(c.param()) | out.add(c.out());
            }
          }
          grew |= dependents(l.body(), out);
          any |= grew;
        } while (grew);
      }
    }
    return any;
  }

  private static void collectUses(Block block, Set<Integer> used) {
    for (Stmt s : block.stmts()) {
      if (s instanceof Node n) {
        used.addAll(n.args());
      } else if (s instanceof If i) {
        collectUses(i.then(), used);
        collectUses(i.otherwise(), used);
        for (If.Merge m : i.merges()) {
          used.add(m.fromThen());
          used.add(m.fromElse());
        }
      } else if (s instanceof Loop l) {
        collectUses(l.body(), used);
        for (Loop.Carry c : l.carried()) {
          used.add(c.init());
          used.add(c.result());
        }
      } else if (s instanceof SlotWrite a) {
        used.add(a.slot());
        if (a.value() != Op.ZERO) {
          used.add(a.value());
        }
      }
    }
  }
}
