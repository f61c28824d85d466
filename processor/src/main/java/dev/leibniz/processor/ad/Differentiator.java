package dev.leibniz.processor.ad;

import dev.leibniz.processor.ir.Attrs;
import dev.leibniz.processor.ir.Block;
import dev.leibniz.processor.ir.Blocks;
import dev.leibniz.processor.ir.Builder;
import dev.leibniz.processor.ir.Fn;
import dev.leibniz.processor.ir.If;
import dev.leibniz.processor.ir.Loop;
import dev.leibniz.processor.ir.Node;
import dev.leibniz.processor.ir.Op;
import dev.leibniz.processor.ir.SlotWrite;
import dev.leibniz.processor.ir.Stmt;
import dev.leibniz.processor.ops.Ir;
import dev.leibniz.processor.ops.Structure;
import java.util.ArrayList;
import java.util.HashMap;
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
 * before it, added to inside it and read after it.
 */
public final class Differentiator {
  /** The backward statements, and the adjoint of each input and weight that has one. */
  public record Backward(Block block, Map<Integer, Integer> adjoints) {}

  private final Builder b;
  private final Ir ir;
  private final Map<Integer, Integer> adj = new HashMap<>();

  private Differentiator(Builder b) {
    this.b = b;
    this.ir = new Ir(b);
  }

  /**
   * Appends to {@code b} the backward of {@code body} given adjoint {@code seed} of value
   * {@code result}, and returns the adjoints of {@code wrt}.
   */
  public static Map<Integer, Integer> differentiate(Builder b, Block body, int result, int seed, List<Integer> wrt) {
    Differentiator d = new Differentiator(b);
    d.adj.put(result, seed);
    d.block(body, null);
    Map<Integer, Integer> out = new LinkedHashMap<>();
    for (int id : wrt) {
      if (d.adj.containsKey(id)) {
        out.put(id, d.adj.get(id));
      }
    }
    return out;
  }

  /** The inputs and weights of a function, the values its gradients are taken with respect to. */
  public static List<Integer> parameters(Fn fn) {
    List<Integer> ids = new ArrayList<>();
    fn.inputs().forEach(n -> ids.add(n.id()));
    fn.weights().forEach(n -> ids.add(n.id()));
    return ids;
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

  private void contribute(int value, int grad, Region region) {
    if (region == null || region.defined().contains(value)) {
      Integer existing = adj.get(value);
      int total = existing == null ? grad : ir.add(existing, grad);
      Node n = b.get(total);
      if (!Structure.isLeaf(n) && n.op() != Structure.READ) {
        b.rename(total, "d" + Structure.capitalize(b.hint(value)));
      }
      adj.put(value, total);
      return;
    }
    b.append(new SlotWrite(region.slot(value), grad, false));
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
    Integer g = adj.get(n.id());
    if (g == null || n.args().isEmpty()) {
      return;
    }
    var previous = b.at(n.origin().asGradient());
    int[] grads = n.op().vjp(b, n, g);
    b.at(previous);
    for (int i = 0; i < grads.length; i++) {
      if (grads[i] != Op.ZERO) {
        contribute(n.arg(i), grads[i], region);
      }
    }
  }

  /**
   * Declares (in the enclosing context) a slot for each outer value the region reads that no
   * enclosing region has a slot for yet, holding the adjoint it has so far (or zeros).
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
      Integer current = adj.remove(v);
      int init = current != null ? current : ir.zerosLike(v);
      slots.put(v, b.node(Structure.SLOT, List.of(init), Attrs.NONE, "d" + Structure.capitalize(n.hint())));
    }
    return slots;
  }

  /** After the region: each slot's final value is the adjoint of its value. */
  private void closeSlots(Map<Integer, Integer> slots) {
    for (var e : slots.entrySet()) {
      adj.put(e.getKey(), b.node(Structure.READ, List.of(e.getValue()), Attrs.NONE, b.hint(e.getValue())));
    }
  }

  private void loop(Loop l, Region region) {
    if (l.carried().stream().noneMatch(c -> adj.containsKey(c.out()))) {
      return;
    }
    // Carried values feed each other inside the loop (h into total): all carry a gradient.
    List<Loop.Carry> carried = l.carried();
    var previous = b.at(l.origin().asGradient());
    Set<Integer> free = new LinkedHashSet<>(Blocks.free(l.body()));
    Set<Integer> defined = Blocks.defined(l.body());
    for (Loop.Carry c : carried) {
      if (!defined.contains(c.result())) {
        free.add(c.result());
      }
    }
    Map<Integer, Integer> carrySlots = new LinkedHashMap<>();
    for (Loop.Carry c : carried) {
      Integer after = adj.remove(c.out());
      carrySlots.put(c.param(), b.node(Structure.SLOT, List.of(after != null ? after : ir.zerosLike(c.init())), Attrs.NONE,
          "d" + Structure.capitalize(b.hint(c.out()))));
    }
    Map<Integer, Integer> slots = openSlots(free, region);
    Region inner = new Region(region, defined, slots);

    b.openBlock();
    for (Loop.Carry c : carried) {
      int slot = carrySlots.get(c.param());
      contribute(c.result(), b.node(Structure.READ, List.of(slot), Attrs.NONE, b.hint(slot)), inner);
    }
    block(l.body(), inner);
    for (Loop.Carry c : carried) {
      Integer g = adj.get(c.param());
      b.append(new SlotWrite(carrySlots.get(c.param()), g != null ? g : ir.zerosLike(c.param()), true));
    }
    Block body = b.closeBlock();
    b.append(new Loop(l.region(), l.var(), l.from(), l.to(), true, List.of(), body, l.origin().asGradient()));

    closeSlots(slots);
    for (Loop.Carry c : carried) {
      int slot = carrySlots.get(c.param());
      contribute(c.init(), b.node(Structure.READ, List.of(slot), Attrs.NONE, b.hint(slot)), region);
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
    var previous = b.at(f.origin().asGradient());
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
    Block then = branch(f.then(), thenDefined, live, seeds, true, region, slots);
    Block otherwise = branch(f.otherwise(), elseDefined, live, seeds, false, region, slots);
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
