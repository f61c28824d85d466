package dev.leibniz.processor;

import com.google.auto.service.AutoService;
import com.sun.source.util.Trees;
import dev.leibniz.processor.ad.Differentiator;
import dev.leibniz.processor.check.Annotations;
import dev.leibniz.processor.check.ClassInfo;
import dev.leibniz.processor.check.DeclarationCheck;
import dev.leibniz.processor.gen.FnPlan;
import dev.leibniz.processor.gen.GraphWriter;
import dev.leibniz.processor.ir.Attrs;
import dev.leibniz.processor.ir.Block;
import dev.leibniz.processor.ir.Blocks;
import dev.leibniz.processor.ir.Builder;
import dev.leibniz.processor.ir.Fn;
import dev.leibniz.processor.ir.If;
import dev.leibniz.processor.ir.Loop;
import dev.leibniz.processor.ir.Stmt;
import dev.leibniz.processor.ops.Ir;
import dev.leibniz.processor.ops.Structure;
import dev.leibniz.processor.parse.BodyParser;
import dev.leibniz.processor.simplify.Simplifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;

/**
 * Compiles the {@code @Call} methods of {@code @Layer} and {@code @Model} classes, and static
 * {@code @Call} functions anywhere, into {@code <Name>_Graph} classes. Each class goes
 * check -> parse -> simplify -> differentiate -> simplify -> generate, and stops at the first
 * stage that reports an error. Claims nothing, so other processors see the same annotations.
 */
@AutoService(Processor.class)
public final class LeibnizProcessor extends AbstractProcessor {
  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of(Annotations.LAYER, Annotations.MODEL, Annotations.CALL);
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    Set<TypeElement> classes = new LinkedHashSet<>();
    for (TypeElement annotation : annotations) {
      for (Element e : round.getElementsAnnotatedWith(annotation)) {
        classes.add(e instanceof TypeElement t ? t : (TypeElement) e.getEnclosingElement());
      }
    }
    Trees trees = Trees.instance(processingEnv);
    for (TypeElement type : classes) {
      Reporter reporter = new Reporter(processingEnv.getMessager(), trees);
      try {
        compile(type, trees, reporter);
      } catch (RuntimeException | IOException e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        reporter.error(type, Message.INTERNAL, type.getQualifiedName(), e + "\n" + trace);
      }
    }
    return false;
  }

  private void compile(TypeElement type, Trees trees, Reporter reporter) throws IOException {
    ClassInfo info = new DeclarationCheck(trees, reporter).check(type);
    if (reporter.hasErrors()) {
      return;
    }
    List<FnPlan> plans = new ArrayList<>();
    for (var method : info.calls()) {
      BodyParser parser = new BodyParser(trees, processingEnv.getElementUtils(), reporter, info);
      Fn fn = parser.parse(method);
      if (fn.result() >= 0 && !reporter.hasErrors()) {
        plans.add(plan(fn, parser.nodes()));
      }
    }
    if (reporter.hasErrors()) {
      return;
    }
    GraphWriter.write(info, plans).writeTo(processingEnv.getFiler());
  }

  /** Simplifies the forward, differentiates it, and for static functions differentiates twice. */
  static FnPlan plan(Fn parsed, Builder b) {
    Simplifier.Result f = Simplifier.simplify(b, parsed.body(), List.of(parsed.result()));
    Fn fn = parsed.withBody(f.block(), f.resolve(parsed.result()));
    List<Integer> wrt = Differentiator.parameters(fn);

    b.openBlock();
    int seed = b.reserve(Structure.SEED, b.shape(fn.result()), "dOutput", Attrs.NONE);
    Map<Integer, Integer> adjoints = Differentiator.differentiate(b, fn.body(), fn.result(), seed, wrt);
    Block backwardRaw = b.closeBlock();
    Simplifier.Result bw = Simplifier.simplify(b, backwardRaw, adjoints.values());
    Map<Integer, Integer> resolved = new LinkedHashMap<>();
    adjoints.forEach((k, v) -> resolved.put(k, bw.resolve(v)));

    FnPlan.Whole grad = null;
    FnPlan.Whole grad2 = null;
    if (fn.isStatic() && straightLine(fn.body())) {
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
      Map<Integer, Integer> second2 = new LinkedHashMap<>();
      second.forEach((k, v) -> second2.put(k, s2.resolve(v)));
      grad2 = new FnPlan.Whole(s2.block(), second2);
    }
    return new FnPlan(fn, bw.block(), seed, resolved, grad, grad2, b);
  }

  /** Forward plus backward from a ones seed, as one block; {@code raw} skips simplification. */
  private static FnPlan.Whole whole(Builder b, Block forward, int result, List<Integer> wrt, boolean raw) {
    b.openBlock();
    var previous = b.at(b.get(result).origin().asGradient());
    int ones = new Ir(b).onesLike(result);
    b.at(previous);
    Map<Integer, Integer> adjoints = Differentiator.differentiate(b, forward, result, ones, wrt);
    List<Stmt> stmts = new ArrayList<>(forward.stmts());
    stmts.addAll(b.closeBlock().stmts());
    if (raw) {
      return new FnPlan.Whole(new Block(stmts), adjoints);
    }
    Simplifier.Result s = Simplifier.simplify(b, new Block(stmts), adjoints.values());
    Map<Integer, Integer> resolved = new LinkedHashMap<>();
    adjoints.forEach((k, v) -> resolved.put(k, s.resolve(v)));
    return new FnPlan.Whole(s.block(), resolved);
  }

  /** Second order is generated for straight-line functions of primitives (no regions, no calls). */
  private static boolean straightLine(Block body) {
    boolean[] ok = {true};
    for (Stmt s : body.stmts()) {
      ok[0] &= !(s instanceof If) && !(s instanceof Loop);
    }
    Blocks.forEachNode(body, n -> ok[0] &= n.op().differentiable() && n.op() != Structure.OUTPUT);
    return ok[0];
  }
}
