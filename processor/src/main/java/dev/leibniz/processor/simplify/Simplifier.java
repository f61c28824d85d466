package dev.leibniz.processor.simplify;

import dev.leibniz.processor.ir.Attrs;
import dev.leibniz.processor.ir.Block;
import dev.leibniz.processor.ir.Builder;
import dev.leibniz.processor.ir.If;
import dev.leibniz.processor.ir.Loop;
import dev.leibniz.processor.ir.JavaExpr;
import dev.leibniz.processor.ir.Node;
import dev.leibniz.processor.ir.Op;
import dev.leibniz.processor.ir.SlotWrite;
import dev.leibniz.processor.ir.Stmt;
import dev.leibniz.processor.ops.OpRegistry;
import dev.leibniz.processor.ops.Structure;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Cleans IR before it is written out: folds multiplications by one, double negations and
 * reshapes whose input already has the target's static shape; merges equal expressions
 * (common-subexpression elimination, across nested scopes); builds a loop's constants once,
 * before it; and drops what no root needs. Every op is pure, so a node nobody reads can go.
 */
public final class Simplifier {
  private final Builder b;
  private final Map<Integer, Integer> replaced = new HashMap<>();

  private Simplifier(Builder b) {
    this.b = b;
  }

  /** The simplified block, and where each value now lives ({@link #resolve}). */
  public record Result(Block block, Map<Integer, Integer> replaced) {
    public int resolve(int id) {
      Integer r = replaced.get(id);
      while (r != null && r != id) {
        id = r;
        r = replaced.get(id);
      }
      return id;
    }
  }

  /** Simplifies {@code block}, keeping what {@code roots} need. */
  public static Result simplify(Builder b, Block block, Collection<Integer> roots) {
    Simplifier s = new Simplifier(b);
    Block folded = s.fold(block, new HashMap<>());
    Set<Integer> live = new HashSet<>();
    for (int r : roots) {
      live.add(s.resolve(r));
    }
    Block pruned = prune(folded, live);
    return new Result(pruned, s.replaced);
  }

  private int resolve(int id) {
    Integer r = replaced.get(id);
    while (r != null && r != id) {
      id = r;
      r = replaced.get(id);
    }
    return id;
  }

  private List<Integer> resolveAll(List<Integer> ids) {
    List<Integer> out = new ArrayList<>();
    for (int id : ids) {
      out.add(resolve(id));
    }
    return out;
  }

  private record Key(String op, List<Integer> args, Object attrs) {}

  private Block fold(Block block, Map<Key, Integer> seen) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : block.stmts()) {
      if (s instanceof Node n) {
        Node node = new Node(n.id(), n.op(), resolveAll(n.args()), n.attrs(), n.shape(), n.hint(), n.origin());
        // Slots are mutable and carried values differ per iteration: never merged.
        boolean mergeable = n.op() != Structure.SLOT && n.op() != Structure.READ && !Structure.isLeaf(n);
        Key key = new Key(node.op().name(), node.args(), node.attrs());
        Integer same = peephole(node);
        if (same == null && mergeable) {
          same = seen.get(key);
        }
        if (same != null) {
          replaced.put(n.id(), same);
          continue;
        }
        if (mergeable) {
          seen.put(key, node.id());
        }
        out.add(node);
      } else if (s instanceof If f) {
        Block then = fold(f.then(), new HashMap<>(seen));
        Block otherwise = fold(f.otherwise(), new HashMap<>(seen));
        List<If.Merge> merges = new ArrayList<>();
        for (If.Merge m : f.merges()) {
          merges.add(new If.Merge(m.out(), resolve(m.fromThen()), resolve(m.fromElse())));
        }
        out.add(new If(f.region(), f.condition(), then, otherwise, merges, f.origin()));
      } else if (s instanceof Loop l) {
        Block body = hoistConstants(fold(l.body(), new HashMap<>(seen)), l.var(), out, seen);
        List<Loop.Carry> carried = new ArrayList<>();
        for (Loop.Carry c : l.carried()) {
          carried.add(new Loop.Carry(resolve(c.init()), c.param(), resolve(c.result()), c.out()));
        }
        out.add(new Loop(l.region(), l.var(), l.from(), l.to(), l.reverse(), carried, body, l.origin()));
      } else if (s instanceof SlotWrite w) {
        out.add(new SlotWrite(w.slot(), w.value() == Op.ZERO ? Op.ZERO : resolve(w.value()), w.kind()));
      }
    }
    return new Block(out);
  }

  /**
   * Moves the constants of a loop body that do not depend on its index to before the loop
   * ({@code before}), so that each is built once rather than once per iteration.
   */
  private static Block hoistConstants(Block body, String var, List<Stmt> before, Map<Key, Integer> seen) {
    Pattern index = Pattern.compile("\\b" + Pattern.quote(var) + "\\b");
    List<Stmt> kept = new ArrayList<>();
    for (Stmt s : body.stmts()) {
      if (s instanceof Node n && OpRegistry.isConstant(n) && !mentions(n.attrs(), index)) {
        before.add(n);
        seen.put(new Key(n.op().name(), n.args(), n.attrs()), n.id());
      } else {
        kept.add(s);
      }
    }
    return new Block(kept);
  }

  private static boolean mentions(Attrs attrs, Pattern index) {
    for (Object v : attrs.map().values()) {
      List<?> values = v instanceof List<?> list ? list : List.of(v);
      for (Object e : values) {
        if (e instanceof JavaExpr expr && index.matcher(expr.code()).find()) {
          return true;
        }
      }
    }
    return false;
  }

  /** The value {@code n} equals without computing anything, or null. */
  private Integer peephole(Node n) {
    if (OpRegistry.isMul(n)) {
      if (OpRegistry.isConstant(b.get(n.arg(1)), 1) && b.shape(n.arg(0)).equals(n.shape())) {
        return n.arg(0);
      }
      if (OpRegistry.isConstant(b.get(n.arg(0)), 1) && b.shape(n.arg(1)).equals(n.shape())) {
        return n.arg(1);
      }
    }
    if (OpRegistry.isNeg(n) && OpRegistry.isNeg(b.get(n.arg(0)))) {
      return b.get(n.arg(0)).arg(0);
    }
    if (n.args().size() == 2 && OpRegistry.isIdentityReshape(n, b.get(n.arg(0)), b.get(n.arg(1)))) {
      return n.arg(0);
    }
    return null;
  }

  /** Drops statements that no live value needs; marks what the kept ones read as live. */
  private static Block prune(Block block, Set<Integer> live) {
    List<Stmt> kept = new ArrayList<>();
    List<Stmt> stmts = block.stmts();
    for (int i = stmts.size() - 1; i >= 0; i--) {
      Stmt s = stmts.get(i);
      if (s instanceof Node n) {
        if (live.contains(n.id()) || n.op().hasEffect()) {
          live.addAll(n.args());
          kept.add(0, n);
        }
      } else if (s instanceof SlotWrite w) {
        if (live.contains(w.slot())) {
          if (w.value() != Op.ZERO) {
            live.add(w.value());
          }
          kept.add(0, w);
        }
      } else if (s instanceof If f) {
        List<If.Merge> merges = new ArrayList<>();
        for (If.Merge m : f.merges()) {
          if (live.contains(m.out())) {
            merges.add(m);
            live.add(m.fromThen());
            live.add(m.fromElse());
          }
        }
        Block then = prune(f.then(), live);
        Block otherwise = prune(f.otherwise(), live);
        if (!merges.isEmpty() || !then.stmts().isEmpty() || !otherwise.stmts().isEmpty()) {
          kept.add(0, new If(f.region(), f.condition(), then, otherwise, merges, f.origin()));
        }
      } else if (s instanceof Loop l) {
        Loop loop = pruneLoop(l, live);
        if (loop != null) {
          kept.add(0, loop);
        }
      }
    }
    return new Block(kept);
  }

  /** A carried value is live if it is used after the loop or by a live iteration: a fixpoint. */
  private static Loop pruneLoop(Loop l, Set<Integer> live) {
    Set<Integer> liveCarries = new HashSet<>();
    Block body;
    while (true) {
      Set<Integer> inner = new HashSet<>(live);
      for (Loop.Carry c : l.carried()) {
        if (live.contains(c.out()) || liveCarries.contains(c.param())) {
          liveCarries.add(c.param());
          inner.add(c.result());
        }
      }
      body = prune(l.body(), inner);
      boolean grew = false;
      for (Loop.Carry c : l.carried()) {
        if (inner.contains(c.param()) && liveCarries.add(c.param())) {
          grew = true;
        }
      }
      if (!grew) {
        live.addAll(inner);
        break;
      }
    }
    List<Loop.Carry> carried = new ArrayList<>();
    for (Loop.Carry c : l.carried()) {
      if (liveCarries.contains(c.param())) {
        carried.add(c);
        live.add(c.init());
        live.add(c.result());
      }
    }
    if (carried.isEmpty() && body.stmts().isEmpty()) {
      return null;
    }
    return new Loop(l.region(), l.var(), l.from(), l.to(), l.reverse(), carried, body, l.origin());
  }
}
