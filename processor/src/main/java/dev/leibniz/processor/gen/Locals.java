package dev.leibniz.processor.gen;

import dev.leibniz.processor.ir.Block;
import dev.leibniz.processor.ir.Builder;
import dev.leibniz.processor.ir.If;
import dev.leibniz.processor.ir.Loop;
import dev.leibniz.processor.ir.Node;
import dev.leibniz.processor.ir.Op;
import dev.leibniz.processor.ir.SlotWrite;
import dev.leibniz.processor.ir.Stmt;
import dev.leibniz.processor.ops.Structure;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Java locals of one generated method: which IR values share a variable, what each is
 * called, and where each variable is declared.
 *
 * <p>Values share a variable where generated code would otherwise copy one into the other: a
 * value merged after an {@code if} and the branch values it merges, a local carried through a
 * loop with its value before the loop and the value each iteration ends with, a gradient slot
 * with what it starts from, its reads and its first write. They share only where their lives
 * do not overlap. Lives are measured on one line through the method: a value lives from where
 * it is written to its last use, a loop body keeps alive what it reads from outside until the
 * loop ends (the next iteration reads it again), and a record of saved values reads them where
 * it is made.
 */
final class Locals {
  private final Builder nodes;
  private int clock;
  private final Map<Integer, Integer> def = new HashMap<>();
  private final Map<Integer, List<Integer>> uses = new HashMap<>();
  private final Map<Integer, Block> blockAt = new HashMap<>();
  private final Map<Integer, Stmt> definedBy = new HashMap<>();
  private final Map<Stmt, Block> blockOf = new IdentityHashMap<>();
  private final Map<Block, Block> parentOf = new IdentityHashMap<>();
  private final Map<Block, Stmt> regionOf = new IdentityHashMap<>();
  private final Map<Integer, List<Integer>> slotAccess = new HashMap<>();
  private final Map<Integer, Integer> parent = new HashMap<>();
  /** The value whose hint names a variable: a merged or carried local, a slot, else the first written. */
  private final Map<Integer, Integer> anchor = new HashMap<>();
  private final Map<Integer, String> names = new HashMap<>();

  /**
   * {@code savedAt}: values a record saves, with the loop whose iteration record holds them
   * (null: the record the method returns); {@code usedAtEnd}: what the method returns or hands on.
   */
  Locals(Builder nodes, Block body, Map<Integer, Loop> savedAt, List<Integer> usedAtEnd) {
    this.nodes = nodes;
    Map<Loop, Integer> recordAt = new IdentityHashMap<>();
    walk(body, recordAt);
    int end = ++clock;
    blockAt.put(end, body);
    usedAtEnd.forEach(id -> use(id, end));
    savedAt.forEach((id, loop) -> use(id, loop == null ? end : recordAt.get(loop)));
    coalesce(body);
  }

  // ---------------------------------------------------------------- where values live

  private int at(Block block) {
    int p = ++clock;
    blockAt.put(p, block);
    return p;
  }

  private void walk(Block block, Map<Loop, Integer> recordAt) {
    for (Stmt s : block.stmts()) {
      blockOf.put(s, block);
      int start = at(block);
      if (s instanceof Node n) {
        n.args().forEach(a -> use(a, start));
        define(n.id(), start, s);
        if (n.op() == Structure.READ) {
          slotAccess.computeIfAbsent(n.arg(0), k -> new ArrayList<>()).add(start);
        }
      } else if (s instanceof SlotWrite w) {
        use(w.slot(), start);
        if (w.value() != Op.ZERO) {
          use(w.value(), start);
        }
        slotAccess.computeIfAbsent(w.slot(), k -> new ArrayList<>()).add(start);
      } else if (s instanceof If f) {
        enter(f.then(), block, s);
        enter(f.otherwise(), block, s);
        walk(f.then(), recordAt);
        int thenEnd = at(f.then());
        walk(f.otherwise(), recordAt);
        int elseEnd = at(f.otherwise());
        for (If.Merge m : f.merges()) {
          use(m.fromThen(), thenEnd);
          use(m.fromElse(), elseEnd);
          define(m.out(), elseEnd, s); // written on both paths, live after the else path's copy
          blockAt.put(elseEnd, f.otherwise());
        }
        at(block);
      } else if (s instanceof Loop l) {
        enter(l.body(), block, s);
        l.carried().forEach(c -> use(c.init(), start));
        int iteration = at(l.body());
        l.carried().forEach(c -> define(c.param(), iteration, s));
        walk(l.body(), recordAt);
        recordAt.put(l, at(l.body()));
        int update = at(l.body());
        l.carried().forEach(c -> use(c.result(), update));
        int after = at(block);
        l.carried().forEach(c -> define(c.out(), after, s));
        // What the body reads from outside stays live until the loop ends: the next iteration reads it.
        for (var e : uses.entrySet()) {
          int d = def.getOrDefault(e.getKey(), 0);
          if (d < start && e.getValue().stream().anyMatch(p -> p > start && p <= update)) {
            e.getValue().add(update);
          }
        }
      }
    }
  }

  private void enter(Block inner, Block outer, Stmt region) {
    parentOf.put(inner, outer);
    regionOf.put(inner, region);
  }

  private void define(int id, int at, Stmt by) {
    def.put(id, at);
    definedBy.put(id, by);
  }

  private void use(int id, int at) {
    uses.computeIfAbsent(id, k -> new ArrayList<>()).add(at);
  }

  private int lastUse(int id) {
    int last = def.get(id);
    for (int p : uses.getOrDefault(id, List.of())) {
      last = Math.max(last, p);
    }
    return last;
  }

  // ---------------------------------------------------------------- sharing

  private int find(int id) {
    int p = parent.getOrDefault(id, id);
    if (p == id) {
      return id;
    }
    int root = find(p);
    parent.put(id, root);
    return root;
  }

  private List<Integer> members(int id) {
    int root = find(id);
    List<Integer> out = new ArrayList<>();
    for (int v : def.keySet()) {
      if (find(v) == root) {
        out.add(v);
      }
    }
    out.sort((x, y) -> Integer.compare(def.get(x), def.get(y)));
    return out;
  }

  /** Joins the variables of {@code named} (whose hint names the result) and {@code other} where their lives do not overlap. */
  private void share(int named, int other) {
    if (!def.containsKey(named) || !def.containsKey(other) || find(named) == find(other)) {
      return;
    }
    for (int x : members(named)) {
      for (int y : members(other)) {
        if (def.get(x) < lastUse(y) && def.get(y) < lastUse(x)) {
          return;
        }
      }
    }
    join(named, other);
  }

  private void join(int named, int other) {
    int a = find(named);
    parent.put(find(other), a);
    anchor.putIfAbsent(a, named);
  }

  private void coalesce(Block block) {
    for (Stmt s : block.stmts()) {
      if (s instanceof Node n && n.op() == Structure.READ) {
        join(n.arg(0), n.id()); // a slot is read once its writes are done: the same variable
      } else if (s instanceof Node n && n.op() == Structure.SLOT) {
        anchor.putIfAbsent(find(n.id()), n.id());
        if (n.args().size() == 1 && uses.getOrDefault(n.arg(0), List.of()).size() == 1) {
          share(n.id(), n.arg(0));
        }
      } else if (s instanceof SlotWrite w && w.kind() == SlotWrite.Kind.SET && w.value() != Op.ZERO) {
        shareFirstWrite(w);
      } else if (s instanceof If f) {
        coalesce(f.then());
        coalesce(f.otherwise());
        for (If.Merge m : f.merges()) {
          anchor.putIfAbsent(find(m.out()), m.out());
          shareIfDefinedIn(m.out(), m.fromThen(), f.then());
          shareIfDefinedIn(m.out(), m.fromElse(), f.otherwise());
        }
      } else if (s instanceof Loop l) {
        coalesce(l.body());
        for (Loop.Carry c : l.carried()) {
          // One variable through the loop: the local as an iteration starts, and after the loop.
          join(c.out(), c.param());
          shareIfDefinedIn(c.out(), c.result(), l.body());
          share(c.out(), c.init());
        }
      }
    }
  }

  private void shareIfDefinedIn(int out, int value, Block block) {
    if (definedBy.get(value) instanceof Node by && blockOf.get(by) == block) {
      share(out, value);
    }
  }

  /**
   * A slot's first write takes the value's variable where nothing reads or writes the slot
   * between the value's computation and the write, the write is the value's only use and the
   * value shares its variable with nothing else.
   */
  private void shareFirstWrite(SlotWrite w) {
    int value = w.value();
    if (!(definedBy.get(value) instanceof Node by) || blockOf.get(by) != blockOf.get(w)
        || uses.getOrDefault(value, List.of()).size() != 1 || members(value).size() != 1) {
      return;
    }
    int from = def.get(value);
    int to = uses.get(value).get(0);
    if (slotAccess.getOrDefault(w.slot(), List.of()).stream().anyMatch(p -> p > from && p < to)) {
      return;
    }
    for (int m : members(w.slot())) {
      if (uses.getOrDefault(m, List.of()).stream().anyMatch(p -> p > from && p < to)) {
        return;
      }
    }
    join(w.slot(), value);
  }

  // ---------------------------------------------------------------- names and declarations

  /** Names every variable from its anchor's hint, in the order variables are first written. */
  void name(NameSource fresh) {
    List<Integer> ids = new ArrayList<>(def.keySet());
    ids.sort((x, y) -> Integer.compare(def.get(x), def.get(y)));
    for (int id : ids) {
      int root = find(id);
      if (!names.containsKey(root)) {
        names.put(root, fresh.fresh(nodes.hint(anchor.getOrDefault(root, id)), root));
      }
      names.put(id, names.get(root));
    }
  }

  /** Allocates readable names (the hint, then hint2, hint3...). */
  interface NameSource {
    String fresh(String hint, Object tag);
  }

  /** Every value written in the method's body. */
  java.util.Set<Integer> ids() {
    return def.keySet();
  }

  boolean isLocal(int id) {
    return def.containsKey(id);
  }

  String nameOf(int id) {
    return names.get(id);
  }

  boolean sameVariable(int a, int b) {
    return isLocal(a) && isLocal(b) && find(a) == find(b);
  }

  /** Whether {@code id} is the first value written to its variable. */
  boolean isFirst(int id) {
    return members(id).get(0) == id;
  }

  /**
   * The statement of its declaring block before which {@code id}'s variable is declared, or
   * null where it is declared where {@code id} is written (a node of the declaring block). The
   * declaring block is the innermost that holds every write and use of the variable.
   */
  Stmt declaredBefore(int id) {
    List<Integer> all = members(id);
    Block home = null;
    for (int m : all) {
      home = common(home, blockAt.get(def.get(m)));
      for (int p : uses.getOrDefault(m, List.of())) {
        home = common(home, blockAt.get(p));
      }
    }
    Stmt first = definedBy.get(all.get(0));
    if (first instanceof Node && blockOf.get(first) == home) {
      return null;
    }
    for (Stmt s = first; s != null; s = regionOf.get(blockOf.get(s))) {
      if (blockOf.get(s) == home) {
        return s;
      }
    }
    throw new IllegalStateException("no declaration place for " + nodes.hint(id));
  }

  private Block common(Block a, Block b) {
    if (a == null) {
      return b;
    }
    for (Block x = a; x != null; x = parentOf.get(x)) {
      for (Block y = b; y != null; y = parentOf.get(y)) {
        if (x == y) {
          return x;
        }
      }
    }
    throw new IllegalStateException("blocks of one method without a common ancestor");
  }

  /** The variables to declare just before {@code region}, each by the first value written to it. */
  List<Integer> declaredBefore(Stmt region) {
    List<Integer> out = new ArrayList<>();
    List<Integer> ids = new ArrayList<>(def.keySet());
    ids.sort((x, y) -> Integer.compare(def.get(x), def.get(y)));
    for (int id : ids) {
      if (isFirst(id) && declaredBefore(id) == region) {
        out.add(id);
      }
    }
    return out;
  }
}
