package dev.leibniz.processor.ad;

import dev.leibniz.dsl.GraphNames;
import dev.leibniz.processor.ir.Attrs;
import dev.leibniz.processor.Message;
import dev.leibniz.processor.ir.Block;
import dev.leibniz.processor.ir.Blocks;
import dev.leibniz.processor.ir.Builder;
import dev.leibniz.processor.ir.Fn;
import dev.leibniz.processor.ir.Node;
import dev.leibniz.processor.ir.OpError;
import dev.leibniz.processor.ir.Origin;
import dev.leibniz.processor.ir.Stmt;
import dev.leibniz.processor.ops.IrMath;
import dev.leibniz.processor.ops.Structure;
import dev.leibniz.processor.simplify.Simplifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The differentiation stage: simplifies a parsed function, differentiates it, simplifies its
 * backward, finds what the backward reads of the forward (the {@link Tape}), and where the
 * function asks for second order, differentiates its gradient again.
 */
public final class Planner {
  private Planner() {}

  public static FnPlan plan(Fn parsed, Builder b) {
    Simplifier.Result f = Simplifier.simplify(b, parsed.body(), parsed.results());
    Fn fn = parsed.withBody(f.block(), f::resolve);

    b.openBlock();
    // One seed per output: dOutput, or for a record of outputs d<Component> each, which a caller
    // that uses only some of the outputs passes as null.
    List<Integer> seedIds = new ArrayList<>();
    for (int i = 0; i < fn.results().size(); i++) {
      int result = fn.results().get(i);
      String name = fn.outputs() == null ? "dOutput" : GraphNames.gradientOf(fn.outputs().names().get(i));
      int seed = b.reserve(Structure.SEED, b.shape(result), name, Attrs.NONE);
      seedIds.add(seed);
    }
    var adjoints = fn.outputs() == null
        ? Differentiator.differentiate(b, fn.body(), fn.result(), seedIds.get(0), fn.parameters())
        : Differentiator.differentiate(b, fn.body(), fn.results(), seedIds, true, fn.parameters());
    Map<Integer, Integer> inputGradients = everyInput(b, fn, adjoints);
    Block backwardRaw = b.closeBlock();
    Simplifier.Result bw = Simplifier.simplify(b, backwardRaw, inputGradients.values());
    Map<Integer, Integer> resolved = resolve(bw, inputGradients);
    Tape tape = Tape.of(fn, bw.block(), seedIds);

    FnPlan.Whole grad = null;
    FnPlan.Whole grad2 = null;
    FnPlan.Hvp hvp = null;
    FnPlan.SecondBackward backwardBackward = fn.order() >= 2 ? secondBackward(b, fn) : null;
    if (fn.order() >= 2 && fn.isStatic()) {
      List<Integer> inputs = fn.inputs().stream().map(n -> n.id()).toList();
      grad = whole(b, fn.body(), fn.result(), inputs, false);
      // Second order: differentiate each input's gradient again, with respect to that input.
      List<Stmt> stmts = new ArrayList<>(grad.block().stmts());
      Map<Integer, Integer> second = new LinkedHashMap<>();
      for (int in : inputs) {
        Integer g = grad.adjoints().get(in);
        if (g == null) {
          continue;
        }
        FnPlan.Whole d = whole(b, new Block(stmts), g, List.of(in), true);
        stmts = new ArrayList<>(d.block().stmts());
        if (d.adjoints().containsKey(in)) {
          second.put(in, d.adjoints().get(in));
        }
      }
      Simplifier.Result s2 = Simplifier.simplify(b, new Block(stmts), second.values());
      grad2 = new FnPlan.Whole(s2.block(), resolve(s2, second));
      hvp = hvp(b, fn, inputs);
    }
    return new FnPlan(fn, bw.block(), seedIds, resolved, tape, grad, grad2, hvp, backwardBackward, b);
  }

  /**
   * An in-body {@code gradient(y, x)}: the gradient of the sum of {@code y} with respect to
   * {@code x}, as values appended to the open block after {@code before} (the statements that
   * compute {@code y}). Only what depends on {@code x} is differentiated; calls into other graphs
   * on the way drop their weight gradients (this is a value, not the training gradients), and must
   * have a backward of their backward ({@code @Call(order = 2)}) for the function's own backward.
   * Throws {@link OpError} for what it cannot pass through.
   */
  public static int gradient(Builder b, Block before, int y, int x) {
    IrMath ir = new IrMath(b);
    b.openBlock();
    int ones = ir.onesLike(y);
    Differentiator.Adjoints a;
    try {
      a = Differentiator.differentiate(b, before, List.of(y), List.of(ones), false, List.of(x), true,
          Blocks.dependents(before, x));
    } catch (Differentiator.Unsupported e) {
      b.closeBlock();
      throw new OpError(Message.GRADIENT_THROUGH, e.getMessage());
    }
    Integer g = a.of().get(x);
    int out = g == null ? ir.zerosLike(x) : a.nullable().contains(g) ? ir.orZerosLike(g, x) : g;
    Block added = b.closeBlock();
    Blocks.forEachNode(added, n -> {
      if (Structure.isBackward(n) && (n.attrs().has("present") || n.attrs().integer("order") < 2)) {
        throw new OpError(Message.GRADIENT_NEEDS_ORDER_2, Structure.callee(n));
      }
    });
    added.stmts().forEach(b::append);
    return out;
  }

  /**
   * The backward of the backward: the forward, its backward from seed {@code dOutput} (written as
   * a value, {@link Differentiator#differentiate(Builder, Block, List, List, boolean, List, boolean)
   * inner}), then the backward of that from an adjoint of each input gradient, to the inputs, the
   * weights and the seed; null (a symbolic zero) where one has none, which callers accumulate
   * (so no zeros are built for an input that only shapes the output).
   */
  private static FnPlan.SecondBackward secondBackward(Builder b, Fn fn) {
    IrMath ir = new IrMath(b);
    b.openBlock();
    Origin previous = b.at(fn.origin().asGradient());
    int seed = b.reserve(Structure.SEED, b.shape(fn.result()), "dOutput", Attrs.NONE);
    List<Integer> inputs = fn.inputs().stream().map(Node::id).toList();
    Differentiator.Adjoints first = Differentiator.differentiate(b, fn.body(), List.of(fn.result()), List.of(seed),
        false, inputs, true);
    List<Integer> results = new ArrayList<>();
    List<Integer> seeds = new ArrayList<>();
    Map<Integer, Integer> inputAdjoints = new LinkedHashMap<>();
    for (Node in : fn.inputs()) {
      int dd = b.reserve(Structure.SEED, in.shape(), GraphNames.gradientOf(GraphNames.gradientOf(in.hint())), Attrs.NONE);
      inputAdjoints.put(in.id(), dd);
      Integer g = first.of().get(in.id());
      if (g != null) {
        results.add(first.nullable().contains(g) ? ir.orZerosLike(g, in.id()) : g);
        seeds.add(dd);
      }
    }
    List<Stmt> stmts = new ArrayList<>(fn.body().stmts());
    stmts.addAll(b.closeBlock().stmts());
    b.openBlock();
    List<Integer> wrt = new ArrayList<>(fn.parameters());
    wrt.add(seed);
    Differentiator.Adjoints second = results.isEmpty() ? new Differentiator.Adjoints(Map.of(), Set.of())
        : Differentiator.differentiate(b, new Block(stmts), results, seeds, true, wrt);
    Map<Integer, Integer> out = new LinkedHashMap<>();
    for (int p : wrt) {
      Integer g = second.of().get(p);
      if (g != null) {
        out.put(p, g); // may be a symbolic zero: callers accumulate what they receive
      }
    }
    b.at(previous);
    stmts.addAll(b.closeBlock().stmts());
    Simplifier.Result s = Simplifier.simplify(b, new Block(stmts), out.values());
    return new FnPlan.SecondBackward(new FnPlan.Whole(s.block(), resolve(s, out)), seed, inputAdjoints);
  }

  /**
   * The gradients of the weights, and for a layer's call one for every input, zeros where the
   * output does not depend on it (a mask, token ids, an input only shaped from) or may not when
   * the graph is built: a caller adds what a sublayer's backward returns into its own gradients,
   * and never receives null. (Static functions, losses among them, keep null: a loss's target
   * has no gradient, and zeros for it would be built in every training graph.)
   */
  private static Map<Integer, Integer> everyInput(Builder b, Fn fn, Differentiator.Adjoints adjoints) {
    IrMath ir = new IrMath(b);
    Origin previous = b.at(fn.origin().asGradient());
    Map<Integer, Integer> out = new LinkedHashMap<>();
    Set<Integer> inputs = new HashSet<>(fn.inputs().stream().map(Node::id).toList());
    for (int p : fn.parameters()) {
      Integer g = adjoints.of().get(p);
      if (!inputs.contains(p) || fn.isStatic()) {
        if (g != null) {
          out.put(p, g); // a weight (addGradient takes a symbolic zero), or a function's input (its callers see null)
        }
      } else {
        out.put(p, g == null ? ir.zerosLike(p) : adjoints.nullable().contains(g) ? ir.orZerosLike(g, p) : g);
      }
    }
    b.at(previous);
    return out;
  }

  /**
   * The gradient of sum_j sum(grad_j * v_j) with respect to every input: the Hessian times the
   * vectors v (mixed partials included), reverse over reverse on the generated gradient.
   */
  private static FnPlan.Hvp hvp(Builder b, Fn fn, List<Integer> inputs) {
    FnPlan.Whole grad = whole(b, fn.body(), fn.result(), inputs, true);
    IrMath ir = new IrMath(b);
    Map<Integer, Integer> vectors = new LinkedHashMap<>();
    b.openBlock();
    Origin previous = b.at(b.get(fn.result()).origin().asGradient());
    Integer dot = null;
    for (int in : inputs) {
      int v = b.reserve(Structure.SEED, b.shape(in), GraphNames.vectorOf(b.get(in).hint()), Attrs.NONE);
      vectors.put(in, v);
      Integer g = grad.adjoints().get(in);
      if (g != null) {
        int term = ir.sumAll(ir.mul(g, v));
        dot = dot == null ? term : ir.add(dot, term);
      }
    }
    b.at(previous);
    List<Stmt> stmts = new ArrayList<>(grad.block().stmts());
    stmts.addAll(b.closeBlock().stmts());
    if (dot == null) {
      return new FnPlan.Hvp(new FnPlan.Whole(new Block(List.of()), Map.of()), vectors);
    }
    FnPlan.Whole d = whole(b, new Block(stmts), dot, inputs, true);
    Simplifier.Result s = Simplifier.simplify(b, d.block(), d.adjoints().values());
    return new FnPlan.Hvp(new FnPlan.Whole(s.block(), resolve(s, d.adjoints())), vectors);
  }

  /** Forward plus backward from a ones seed, as one block; {@code raw} skips simplification. */
  private static FnPlan.Whole whole(Builder b, Block forward, int result, List<Integer> wrt, boolean raw) {
    b.openBlock();
    Origin previous = b.at(b.get(result).origin().asGradient());
    int ones = new IrMath(b).onesLike(result);
    b.at(previous);
    Map<Integer, Integer> adjoints = Differentiator.differentiate(b, forward, result, ones, wrt).of();
    List<Stmt> stmts = new ArrayList<>(forward.stmts());
    stmts.addAll(b.closeBlock().stmts());
    if (raw) {
      return new FnPlan.Whole(new Block(stmts), adjoints);
    }
    Simplifier.Result s = Simplifier.simplify(b, new Block(stmts), adjoints.values());
    return new FnPlan.Whole(s.block(), resolve(s, adjoints));
  }

  private static Map<Integer, Integer> resolve(Simplifier.Result simplified, Map<Integer, Integer> adjoints) {
    Map<Integer, Integer> out = new LinkedHashMap<>();
    adjoints.forEach((k, v) -> out.put(k, simplified.resolve(v)));
    return out;
  }
}
