package dev.leibniz.processor.ad;

import dev.leibniz.dsl.GraphNames;
import dev.leibniz.processor.ir.Attrs;
import dev.leibniz.processor.ir.Block;
import dev.leibniz.processor.ir.Builder;
import dev.leibniz.processor.ir.Fn;
import dev.leibniz.processor.ir.Node;
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
    if (fn.order() >= 2) {
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
    return new FnPlan(fn, bw.block(), seedIds, resolved, tape, grad, grad2, hvp, b);
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
