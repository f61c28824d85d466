package dev.leibniz.processor.ad;

import dev.leibniz.dsl.GraphNames;
import dev.leibniz.processor.ir.Attrs;
import dev.leibniz.processor.ir.Block;
import dev.leibniz.processor.ir.Blocks;
import dev.leibniz.processor.ir.Builder;
import dev.leibniz.processor.ir.If;
import dev.leibniz.processor.ir.Loop;
import dev.leibniz.processor.ir.Node;
import dev.leibniz.processor.ir.Op;
import dev.leibniz.processor.ir.Origin;
import dev.leibniz.processor.ir.SlotWrite;
import dev.leibniz.processor.ir.Stmt;
import dev.leibniz.processor.ops.IrMath;
import dev.leibniz.processor.ops.Structure;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reverse-mode differentiation of a function's IR. Straight-line code gets SSA adjoints,
 * accumulated with {@code add} where a value is used twice and absent (a symbolic zero) where
 * it is not used at all. A region (a loop body, a branch) runs its backward in a reversed loop
 * or the same branch; the values it reads from outside get mutable gradient slots, declared
 * before it, written inside it and read after it.
 *
 * <p>Symbolic zeros cross regions as JAX's {@code add_tangents} lets them: a slot starts empty
 * (null while the graph is built) unless its value already has a gradient, its first write is
 * the value, and what a region may or may not have written is added with {@code accumulate},
 * which treats null as zero. So no zeros tensor is built for a gradient nobody wrote. Which of
 * these holds is tracked as the backward is written ({@link Fill}), through branches (both
 * sides) and loops (to a fixpoint: a loop body may run any number of times).
 */
final class Differentiator {
  /** What a slot holds at a point of the backward: nothing yet, a gradient, or either. */
  private enum Fill {
    EMPTY, FULL, MAYBE;

    Fill join(Fill other) {
      return this == other ? this : MAYBE;
    }
  }

  private final Builder b;
  private final IrMath ir;
  private Map<Integer, Integer> adj = new HashMap<>();
  /** Adjoints that may be a symbolic zero (null) when the graph is built: reads of MAYBE slots. */
  private Set<Integer> nullable = new HashSet<>();
  private Map<Integer, Fill> fill = new HashMap<>();
  /** The adjoints of each output of a call with several, by output index, until the call is reached. */
  private final Map<Integer, Map<Integer, Integer>> outputAdjoints = new HashMap<>();

  private Differentiator(Builder b) {
    this.b = b;
    this.ir = new IrMath(b);
  }

  /** Adjoints of the values asked for; {@code nullable} lists those that may be null when the graph is built. */
  record Adjoints(Map<Integer, Integer> of, Set<Integer> nullable) {}

  /**
   * Appends to {@code b} the backward of {@code body} given adjoint {@code seed} of value
   * {@code result}, and returns the adjoints of {@code wrt} (absent: a symbolic zero).
   */
  static Adjoints differentiate(Builder b, Block body, int result, int seed, List<Integer> wrt) {
    return differentiate(b, body, List.of(result), List.of(seed), false, wrt);
  }

  /**
   * The same for several results, each with its seed (a method with several outputs); where
   * {@code nullableSeeds}, a seed may be null when the graph is built (a caller that uses only
   * some of the outputs passes symbolic zeros for the others).
   */
  static Adjoints differentiate(Builder b, Block body, List<Integer> results, List<Integer> seeds,
      boolean nullableSeeds, List<Integer> wrt) {
    Differentiator d = new Differentiator(b);
    for (int i = 0; i < results.size(); i++) {
      int result = results.get(i);
      int seed = seeds.get(i);
      if (nullableSeeds) {
        d.nullable.add(seed);
      }
      Integer existing = d.adj.get(result);
      if (existing == null) {
        d.adj.put(result, seed);
      } else {
        int total = d.ir.accumulate(existing, seed);
        d.nullable.add(total);
        d.adj.put(result, total);
      }
    }
    d.block(body, null);
    Map<Integer, Integer> out = new LinkedHashMap<>();
    Set<Integer> maybe = new LinkedHashSet<>();
    for (int id : wrt) {
      Integer a = d.adj.get(id);
      if (a != null) {
        out.put(id, a);
        if (d.nullable.contains(a)) {
          maybe.add(a);
        }
      }
    }
    return new Adjoints(out, maybe);
  }

  /** A region being differentiated: what it defines, and the slots of what it reads from outside. */
  private record Region(Region parent, Set<Integer> defined, Map<Integer, Integer> slots) {
    Integer slot(int id) {
      for (Region r = this; r != null; r = r.parent) {
        Integer s = r.slots.get(id);
        if (s != null) {
          return s;
        }
      }
      return null;
    }
  }

  /** Adds {@code grad} (null-able if listed in {@link #nullable}) to the adjoint of {@code value}. */
  private void contribute(int value, int grad, Region region) {
    boolean gradMaybe = nullable.contains(grad);
    if (region == null || region.defined().contains(value)) {
      Integer existing = adj.get(value);
      int total = grad;
      if (existing != null) {
        boolean existingMaybe = nullable.contains(existing);
        total = existingMaybe || gradMaybe ? ir.accumulate(existing, grad) : ir.add(existing, grad);
        if (existingMaybe && gradMaybe) {
          nullable.add(total);
        }
      }
      Node n = b.get(total);
      if (!Structure.isLeaf(n) && n.op() != Structure.READ) {
        b.rename(total, GraphNames.gradientOf(b.hint(value)));
      }
      adj.put(value, total);
      return;
    }
    write(region.slot(value), grad, gradMaybe);
  }

  private void write(int slot, int grad, boolean gradMaybe) {
    Fill now = fill.get(slot);
    SlotWrite.Kind kind = now == Fill.EMPTY ? SlotWrite.Kind.SET
        : now == Fill.FULL && !gradMaybe ? SlotWrite.Kind.ADD : SlotWrite.Kind.ACCUMULATE;
    b.append(new SlotWrite(slot, grad, kind));
    fill.put(slot, now == Fill.FULL || !gradMaybe ? Fill.FULL : Fill.MAYBE);
  }

  private void block(Block block, Region region) {
    List<Stmt> stmts = block.stmts();
    for (int i = stmts.size() - 1; i >= 0; i--) {
      Stmt s = stmts.get(i);
      if (s instanceof Node n) {
        node(n, region);
      } else if (s instanceof Loop l) {
        loop(l, region);
      } else if (s instanceof If f) {
        branches(f, region);
      }
    }
  }

  private void node(Node n, Region region) {
    if ((n.op() == Structure.CALL || n.op() == Structure.RNN) && outputAdjoints.containsKey(n.id())) {
      callBackward(n, region);
      return;
    }
    Integer g = adj.get(n.id());
    if (g == null || n.args().isEmpty()) {
      return;
    }
    if (n.op() == Structure.OUTPUT && n.attrs().has("component")) {
      // One output of a call with several: held until the call, whose backward takes them all at once.
      Map<Integer, Integer> parts = outputAdjoints.computeIfAbsent(n.arg(0), k -> new java.util.TreeMap<>());
      int index = n.attrs().integer("index");
      Integer before = parts.get(index);
      if (before == null) {
        parts.put(index, g);
      } else {
        int total = ir.accumulate(before, g);
        nullable.add(total);
        parts.put(index, total);
      }
      return;
    }
    // Accumulations belong to the line whose use they come from, as the rule's own ops do.
    Origin previous = b.at(n.origin().asGradient());
    if (nullable.contains(g)) {
      g = ir.orZerosLike(g, n.id());
      b.rename(g, GraphNames.gradientOf(n.hint()));
    }
    int[] grads = n.op().vjp(b, n, g);
    for (int i = 0; i < grads.length; i++) {
      if (grads[i] != Op.ZERO) {
        contribute(n.arg(i), grads[i], region);
      }
    }
    b.at(previous);
  }

  /**
   * The backward of a call with several outputs, given the adjoints its outputs collected (null,
   * a symbolic zero, for the outputs nothing used): one call of the other graph's backward.
   */
  private void callBackward(Node call, Region region) {
    Map<Integer, Integer> parts = outputAdjoints.remove(call.id());
    Origin previous = b.at(call.origin().asGradient());
    int[] seeds = Structure.outputSeeds(call, parts);
    List<Integer> args = new ArrayList<>();
    args.add(call.id());
    for (int s : seeds) {
      if (s != Op.ZERO) {
        args.add(s);
      }
    }
    int[] grads = Structure.backwardOf(b, call, args, seeds);
    for (int i = 0; i < grads.length; i++) {
      if (grads[i] != Op.ZERO) {
        contribute(call.arg(i), grads[i], region);
      }
    }
    b.at(previous);
  }

  /**
   * Declares (in the enclosing context) a slot for each outer value the region reads that no
   * enclosing region has a slot for yet, holding the adjoint it has so far (or nothing).
   */
  private Map<Integer, Integer> openSlots(Set<Integer> free, Region region) {
    Map<Integer, Integer> slots = new LinkedHashMap<>();
    for (int v : free) {
      if (region != null && !region.defined().contains(v) && region.slot(v) != null) {
        continue;
      }
      Node n = b.get(v);
      if (!n.op().differentiable() || n.op().javaType(n.attrs()) != null) {
        continue;
      }
      slots.put(v, slot(adj.remove(v), n));
    }
    return slots;
  }

  private int slot(Integer init, Node of) {
    String hint = GraphNames.gradientOf(of.hint());
    int slot = init == null
        ? b.node(Structure.SLOT, List.of(), Attrs.of("shape", of.shape()), hint)
        : b.node(Structure.SLOT, List.of(init), Attrs.NONE, hint);
    fill.put(slot, init == null ? Fill.EMPTY : nullable.contains(init) ? Fill.MAYBE : Fill.FULL);
    return slot;
  }

  /** After the region: each slot's content is the adjoint of its value (none if it stayed empty). */
  private void closeSlots(Map<Integer, Integer> slots) {
    for (var e : slots.entrySet()) {
      Integer read = read(e.getValue());
      if (read != null) {
        adj.put(e.getKey(), read);
      }
    }
  }

  /** The slot's value, or null where it is certainly empty. */
  private Integer read(int slot) {
    Fill now = fill.get(slot);
    if (now == Fill.EMPTY) {
      return null;
    }
    int read = b.node(Structure.READ, List.of(slot), now == Fill.MAYBE ? Attrs.of("maybeEmpty", true) : Attrs.NONE,
        b.hint(slot));
    if (now == Fill.MAYBE) {
      nullable.add(read);
    }
    return read;
  }

  /** Everything the backward of a region changes, to run it again from the same start. */
  private record Snapshot(Map<Integer, Integer> adj, Set<Integer> nullable, Map<Integer, Fill> fill) {}

  private Snapshot snapshot() {
    return new Snapshot(new HashMap<>(adj), new HashSet<>(nullable), new HashMap<>(fill));
  }

  private void restore(Snapshot s) {
    adj = new HashMap<>(s.adj());
    nullable = new HashSet<>(s.nullable());
    fill = new HashMap<>(s.fill());
  }

  private static Map<Integer, Fill> join(Map<Integer, Fill> a, Map<Integer, Fill> c) {
    Map<Integer, Fill> out = new HashMap<>();
    a.forEach((slot, f) -> {
      Fill other = c.get(slot);
      out.put(slot, other == null ? f : f.join(other));
    });
    return out;
  }

  private void loop(Loop l, Region region) {
    if (l.carried().stream().noneMatch(c -> adj.containsKey(c.out()))) {
      return;
    }
    // Carried values feed each other inside the loop (h into total): all carry a gradient.
    List<Loop.Carry> carried = l.carried();
    Origin previous = b.at(l.origin().asGradient());
    Set<Integer> free = new LinkedHashSet<>(Blocks.free(l.body()));
    Set<Integer> defined = Blocks.defined(l.body());
    for (Loop.Carry c : carried) {
      if (!defined.contains(c.result())) {
        free.add(c.result());
      }
    }
    Map<Integer, Integer> carrySlots = new LinkedHashMap<>();
    for (Loop.Carry c : carried) {
      carrySlots.put(c.param(), slot(adj.remove(c.out()), b.get(c.out())));
    }
    Map<Integer, Integer> slots = openSlots(free, region);
    Region inner = new Region(region, defined, slots);

    // The body may run any number of times: write it from what the slots may hold at its start
    // (before the loop, or after an iteration), until that stops changing.
    Snapshot start = snapshot();
    Block body;
    while (true) {
      b.openBlock();
      for (Loop.Carry c : carried) {
        Integer read = read(carrySlots.get(c.param()));
        if (read != null) {
          contribute(c.result(), read, inner);
        }
      }
      block(l.body(), inner);
      for (Loop.Carry c : carried) {
        Integer g = adj.get(c.param());
        int slot = carrySlots.get(c.param());
        b.append(new SlotWrite(slot, g != null ? g : Op.ZERO, SlotWrite.Kind.SET));
        fill.put(slot, g == null ? Fill.EMPTY : nullable.contains(g) ? Fill.MAYBE : Fill.FULL);
      }
      body = b.closeBlock();
      Map<Integer, Fill> atStart = join(start.fill(), fill);
      if (atStart.equals(start.fill())) {
        break;
      }
      start = new Snapshot(start.adj(), start.nullable(), atStart);
      restore(start);
    }
    restore(start); // zero iterations, or any number: what the slots may hold after the loop
    b.append(new Loop(l.region(), l.var(), l.from(), l.to(), true, List.of(), body, l.origin().asGradient()));

    closeSlots(slots);
    for (Loop.Carry c : carried) {
      Integer read = read(carrySlots.get(c.param()));
      if (read != null) {
        contribute(c.init(), read, region);
      }
    }
    b.at(previous);
  }

  private void branches(If f, Region region) {
    List<If.Merge> live = new ArrayList<>();
    for (If.Merge m : f.merges()) {
      if (adj.containsKey(m.out())) {
        live.add(m);
      }
    }
    if (live.isEmpty()) {
      return;
    }
    Origin previous = b.at(f.origin().asGradient());
    Set<Integer> free = new LinkedHashSet<>(Blocks.free(f.then()));
    free.addAll(Blocks.free(f.otherwise()));
    Set<Integer> thenDefined = Blocks.defined(f.then());
    Set<Integer> elseDefined = Blocks.defined(f.otherwise());
    for (If.Merge m : live) {
      if (!thenDefined.contains(m.fromThen())) {
        free.add(m.fromThen());
      }
      if (!elseDefined.contains(m.fromElse())) {
        free.add(m.fromElse());
      }
    }
    Map<Integer, Integer> seeds = new LinkedHashMap<>();
    for (If.Merge m : live) {
      seeds.put(m.out(), adj.remove(m.out()));
    }
    Map<Integer, Integer> slots = openSlots(free, region);
    Snapshot start = snapshot();
    Block then = branch(f.then(), thenDefined, live, seeds, true, region, slots);
    Map<Integer, Fill> afterThen = fill;
    restore(start);
    Block otherwise = branch(f.otherwise(), elseDefined, live, seeds, false, region, slots);
    fill = join(afterThen, fill);
    b.append(new If(f.region(), f.condition(), then, otherwise, List.of(), f.origin().asGradient()));
    closeSlots(slots);
    b.at(previous);
  }

  private Block branch(Block forward, Set<Integer> defined, List<If.Merge> live, Map<Integer, Integer> seeds,
      boolean then, Region region, Map<Integer, Integer> slots) {
    Region inner = new Region(region, defined, slots);
    b.openBlock();
    for (If.Merge m : live) {
      contribute(then ? m.fromThen() : m.fromElse(), seeds.get(m.out()), inner);
    }
    block(forward, inner);
    return b.closeBlock();
  }
}
