package dev.leibniz.processor.ops;

import dev.leibniz.processor.ir.Attrs;
import dev.leibniz.processor.ir.Builder;
import dev.leibniz.processor.ir.Node;
import dev.leibniz.processor.ir.Op;
import dev.leibniz.processor.ir.StaticShape;
import java.util.List;
import java.util.function.BiFunction;

/**
 * An {@link Op} assembled from its three rules, so that an op family file reads as a table:
 * shape, emission (a template over the bridge, {@code $0} for the first argument), derivative.
 */
final class Rule extends Op {
  interface ShapeRule {
    StaticShape apply(List<StaticShape> in, Attrs attrs);
  }

  interface VjpRule {
    int[] apply(IrMath ir, Node node, int g);
  }

  private final int arity;
  private final ShapeRule shape;
  private final BiFunction<List<String>, Attrs, String> emit;
  private final VjpRule vjp;
  private final boolean effect;

  private Rule(String name, int arity, ShapeRule shape, BiFunction<List<String>, Attrs, String> emit,
      VjpRule vjp, boolean effect) {
    super(name);
    this.arity = arity;
    this.shape = shape;
    this.emit = emit;
    this.vjp = vjp;
    this.effect = effect;
  }

  /** The same op, kept even where nothing reads its value ({@link Op#hasEffect}). */
  Rule withEffect() {
    return new Rule(name(), arity, shape, emit, vjp, true);
  }

  @Override
  public boolean hasEffect() {
    return effect;
  }

  static Rule op(String name, int arity, ShapeRule shape, String template, VjpRule vjp) {
    return new Rule(name, arity, shape, (args, attrs) -> fill(template, args), vjp, false);
  }

  static Rule op(String name, int arity, ShapeRule shape, BiFunction<List<String>, Attrs, String> emit,
      VjpRule vjp) {
    return new Rule(name, arity, shape, emit, vjp, false);
  }

  static String fill(String template, List<String> args) {
    String out = template;
    for (int i = args.size() - 1; i >= 0; i--) {
      out = out.replace("$" + i, args.get(i));
    }
    return out;
  }

  @Override
  public StaticShape shape(List<StaticShape> in, Attrs attrs) {
    if (in.size() != arity) {
      throw new IllegalStateException(name() + " takes " + arity + " arguments, got " + in.size());
    }
    return shape.apply(in, attrs);
  }

  @Override
  public String emit(List<String> args, Attrs attrs) {
    return emit.apply(args, attrs);
  }

  @Override
  public int[] vjp(Builder b, Node node, int g) {
    int[] grads = vjp.apply(new IrMath(b), node, g);
    if (grads.length != arity) {
      throw new IllegalStateException(name() + " rule gave " + grads.length + " adjoints for " + arity + " inputs");
    }
    return grads;
  }

  // ---- common shape rules

  static StaticShape sameAsFirst(List<StaticShape> in, Attrs attrs) {
    return in.get(0);
  }

  static StaticShape scalar(List<StaticShape> in, Attrs attrs) {
    return StaticShape.SCALAR;
  }

  static StaticShape sameAsSecond(List<StaticShape> in, Attrs attrs) {
    return in.get(1);
  }
}
