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
  /** The adjoints of the input gradients of another graph's backward, by input index, until it is reached. */
  private final Map<Integer, Map<Integer, Integer>> fieldAdjoints = new HashMap<>();
  /**
   * A backward that is itself differentiated again: its branches merge their gradients (values
   * the next differentiation sees) rather than write slots, and its calls into other graphs drop
   * their weight gradients, since it computes a value, not the training gradients.
   */
  private final boolean inner;
  /** The values whose adjoints go on to their arguments (those that depend on what is asked for); null: all. */
  private Set<Integer> through;

  private Differentiator(Builder b, boolean inner) {
    this.b = b;
    this.ir = new IrMath(b);
    this.inner = inner;
  }

  /** A backward this differentiation cannot write as a value of the forward, with what to say to the user. */
  static final class Unsupported extends RuntimeException {
    Unsupported(String what) {
      super(what, null, false, false);
    }
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
    return differentiate(b, body, results, seeds, nullableSeeds, wrt, false);
  }

  /**
   * The same, where {@code inner}, as a backward that is a value of the forward and is itself
   * differentiated again (see {@link #inner}); throws {@link Unsupported} for what that cannot do.
   */
  static Adjoints differentiate(Builder b, Block body, List<Integer> results, List<Integer> seeds,
      boolean nullableSeeds, List<Integer> wrt, boolean inner) {
    return differentiate(b, body, results, seeds, nullableSeeds, wrt, inner, null);
  }

  /** The same, differentiating only the values in {@code through} (null: all). */
  static Adjoints differentiate(Builder b, Block body, List<Integer> results, List<Integer> seeds,
      boolean nullableSeeds, List<Integer> wrt, boolean inner, Set<Integer> through) {
    Differentiator d = new Differentiator(b, inner);
    d.through = through;
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
        total = existingMaybe || gradMaybe ? ir.accumulate(existing, grad) : ir.sum(existing, grad);
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
    if (through != null && !through.contains(n.id())) {
      return;
    }
    if ((n.op() == Structure.CALL || n.op() == Structure.RNN) && outputAdjoints.containsKey(n.id())) {
      callBackward(n, region);
      return;
    }
    if (Structure.isBackward(n) && fieldAdjoints.containsKey(n.id())) {
      secondBackward(n, region);
      return;
    }
    Integer g = adj.get(n.id());
    if (g == null || n.args().isEmpty()) {
      return;
    }
    if (Structure.isBackwardField(b, n)) {
      // One input gradient of another graph's backward: held until that backward, whose own backward takes them all.
      collect(fieldAdjoints, n.arg(0), n.attrs().integer("index"), g);
      return;
    }
    if (n.op() == Structure.OUTPUT && n.attrs().has("component")) {
      // One output of a call with several: held until the call, whose backward takes them all at once.
      collect(outputAdjoints, n.arg(0), n.attrs().integer("index"), g);
      return;
    }
    // Accumulations belong to the line whose use they come from, as the rule's own ops do.
    Origin previous = b.at(n.origin().asGradient());
    if (nullable.contains(g)) {
      g = ir.orZerosLike(g, n.id());
      b.rename(g, GraphNames.gradientOf(n.hint()));
    }
    int[] grads = inner && n.op() == Structure.OUTPUT ? innerOutput(n, g) : n.op().vjp(b, n, g);
    for (int i = 0; i < grads.length; i++) {
      if (grads[i] != Op.ZERO) {
        contribute(n.arg(i), grads[i], region);
      }
    }
    b.at(previous);
  }

  private void collect(Map<Integer, Map<Integer, Integer>> held, int at, int index, int g) {
    Map<Integer, Integer> parts = held.computeIfAbsent(at, k -> new java.util.TreeMap<>());
    Integer before = parts.get(index);
    if (before == null) {
      parts.put(index, g);
    } else {
      int total = ir.accumulate(before, g);
      nullable.add(total);
      parts.put(index, total);
    }
  }

  /** An inner backward's step through a call's output: the other graph's backward, dropping its weight gradients. */
  private int[] innerOutput(Node output, int g) {
    Node call = b.get(output.arg(0));
    if (call.op() != Structure.CALL) {
      throw new Unsupported("a recurrent loop (rnn)");
    }
    int[] fromInputs = Structure.backwardOf(b, call, List.of(call.id(), g), new int[] {g}, true);
    int[] out = new int[output.args().size()];
    out[0] = Op.ZERO;
    System.arraycopy(fromInputs, 0, out, 1, fromInputs.length);
    return out;
  }

  /**
   * The backward of another graph's backward (an inner backward's step through a call, now
   * differentiated again), given the adjoints its input gradients collected: that graph's
   * generated backward of its backward, once; it gives the call's inputs and the seed their part.
   */
  private void secondBackward(Node backward, Region region) {
    Map<Integer, Integer> parts = fieldAdjoints.remove(backward.id());
    Node call = b.get(backward.arg(0));
    Origin previous = b.at(backward.origin());
    int[] dd = new int[call.args().size()];
    java.util.Arrays.fill(dd, Op.ZERO);
    parts.forEach((index, g) -> dd[index] = g);
    int[] grads = Structure.secondBackwardOf(b, backward, call, dd);
    for (int g : grads) {
      nullable.add(g); // null where the other graph found no dependence
    }
    for (int i = 0; i < call.args().size(); i++) {
      contribute(call.arg(i), grads[i], region);
    }
    contribute(backward.arg(1), grads[call.args().size()], region);
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
    if (inner && call.op() == Structure.RNN) {
      throw new Unsupported("a recurrent loop (rnn)");
    }
    int[] grads = Structure.backwardOf(b, call, args, seeds, inner);
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
      boolean tensor = n.op().differentiable() || Structure.isBackwardField(b, n);
      if (!tensor || n.op().javaType(n.attrs()) != null) {
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
    if (inner) {
      throw new Unsupported("a `for` loop");
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
    Set<Integer> thenDefined = Blocks.defined(f.then());
    Set<Integer> elseDefined = Blocks.defined(f.otherwise());
    // A value made inside a branch may also be read after the if by a backward that is itself
    // differentiated (a second order): its adjoint is already known and goes on inside the branch.
    boolean escaped = adj.keySet().stream().anyMatch(v -> thenDefined.contains(v) || elseDefined.contains(v));
    if (live.isEmpty() && !escaped) {
      return;
    }
    if (inner) {
      mergedBranches(f, live);
      return;
    }
    Origin previous = b.at(f.origin().asGradient());
    Set<Integer> free = new LinkedHashSet<>(Blocks.free(f.then()));
    free.addAll(Blocks.free(f.otherwise()));
    // A sublayer's backward inside a branch (a second order) names its forward call, whose
    // arguments its own backward then reaches: they get slots too when made outside the branch.
    for (Block side : List.of(f.then(), f.otherwise())) {
      Blocks.forEachNode(side, n -> {
        if (Structure.isBackward(n)) {
          for (int arg : b.get(n.arg(0)).args()) {
            if (!thenDefined.contains(arg) && !elseDefined.contains(arg)) {
              free.add(arg);
            }
          }
        }
      });
    }
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

  /**
   * An inner backward's {@code if}: each branch adds to the adjoints it finds, and every adjoint a
   * branch changed is merged after it (zeros on the side that had none), so that the next
   * differentiation sees plain values, as it sees the forward's merges.
   */
  private void mergedBranches(If f, List<If.Merge> live) {
    Origin previous = b.at(f.origin().asGradient());
    Map<Integer, Integer> before = new HashMap<>(adj);
    Set<Integer> nullableBefore = new HashSet<>(nullable);
    Block[] blocks = new Block[2];
    List<Map<Integer, Integer>> after = new ArrayList<>();
    for (int side = 0; side < 2; side++) {
      adj = new HashMap<>(before);
      nullable = new HashSet<>(nullableBefore);
      b.openBlock();
      for (If.Merge m : live) {
        contribute(side == 0 ? m.fromThen() : m.fromElse(), before.get(m.out()), null);
      }
      block(side == 0 ? f.then() : f.otherwise(), null);
      blocks[side] = b.closeBlock();
      after.add(adj);
    }
    Set<Integer> inside = new HashSet<>(Blocks.defined(f.then()));
    inside.addAll(Blocks.defined(f.otherwise()));
    Set<Integer> changed = new LinkedHashSet<>();
    for (Map<Integer, Integer> a : after) {
      a.forEach((value, g) -> {
        if (!inside.contains(value) && !g.equals(before.get(value))) {
          changed.add(value);
        }
      });
    }
    Set<Integer> nullableAfter = nullable;
    adj = new HashMap<>(before);
    nullable = nullableAfter;
    nullable.addAll(nullableBefore);
    List<If.Merge> merges = new ArrayList<>();
    List<List<Stmt>> sides = List.of(new ArrayList<>(blocks[0].stmts()), new ArrayList<>(blocks[1].stmts()));
    for (int value : changed) {
      int[] fromSide = new int[2];
      for (int side = 0; side < 2; side++) {
        Integer g = after.get(side).get(value);
        b.openBlock();
        fromSide[side] = g == null ? ir.zerosLike(value) : nullable.contains(g) ? ir.orZerosLike(g, value) : g;
        sides.get(side).addAll(b.closeBlock().stmts());
      }
      int out = b.reserve(Structure.PHI, b.shape(value), GraphNames.gradientOf(b.hint(value)), Attrs.NONE);
      merges.add(new If.Merge(out, fromSide[0], fromSide[1]));
      adj.put(value, out);
    }
    b.append(new If(f.region(), f.condition(), new Block(sides.get(0)), new Block(sides.get(1)), merges,
        f.origin().asGradient()));
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
