package dev.leibniz.processor;

import com.google.auto.service.AutoService;
import com.sun.source.util.Trees;
import dev.leibniz.processor.ad.FnPlan;
import dev.leibniz.processor.ad.Planner;
import dev.leibniz.processor.check.Annotations;
import dev.leibniz.processor.check.ClassInfo;
import dev.leibniz.processor.check.DeclarationCheck;
import dev.leibniz.processor.gen.GraphWriter;
import dev.leibniz.processor.gen.SourceLines;
import dev.leibniz.processor.ir.Fn;
import dev.leibniz.processor.parse.BodyParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
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
 * check ({@code check}), parse ({@code parse}), differentiate ({@code ad}, simplifying with
 * {@code simplify}) and write ({@code gen}), and stops at the first stage that reports an error.
 */
@AutoService(Processor.class)
public final class LeibnizProcessor extends AbstractProcessor {
  /** Whether this compilation was found to be by a compiler without javac's tree API (reported once). */
  private boolean notJavac;

  /**
   * Every annotation of the DSL, and the {@code @Generated} of the classes it writes: the processor
   * claims them, so that no "unclaimed annotations" warning breaks {@code -Xlint:all -Werror} builds.
   */
  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of(Annotations.LAYER, Annotations.MODEL, Annotations.CALL, Annotations.WEIGHT, Annotations.BUILD,
        Annotations.DIMS, "javax.annotation.processing.Generated");
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    Set<TypeElement> classes = new LinkedHashSet<>();
    for (TypeElement annotation : annotations) {
      if (annotation.getQualifiedName().contentEquals(Annotations.LAYER)
          || annotation.getQualifiedName().contentEquals(Annotations.MODEL)
          || annotation.getQualifiedName().contentEquals(Annotations.CALL)) {
        for (Element e : round.getElementsAnnotatedWith(annotation)) {
          classes.add(e instanceof TypeElement t ? t : (TypeElement) e.getEnclosingElement());
        }
      }
    }
    if (classes.isEmpty() || notJavac) {
      return true;
    }
    Trees trees = javacTrees(classes.iterator().next());
    if (trees == null) {
      return true;
    }
    for (TypeElement type : classes) {
      Reporter reporter = new Reporter(processingEnv.getMessager(), trees);
      try {
        compile(type, trees, reporter);
      } catch (RuntimeException | Error | IOException e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        processingEnv.getMessager().printMessage(javax.tools.Diagnostic.Kind.ERROR,
            Message.INTERNAL.format(type.getQualifiedName(), e + "\n" + trace), type);
      }
    }
    return true;
  }

  /**
   * javac's tree API, through which the bodies of {@code @Call} methods are read; null (with one
   * error, on {@code first}) where the compiler is another (the Eclipse compiler has none).
   */
  private Trees javacTrees(Element first) {
    try {
      return Trees.instance(processingEnv);
    } catch (RuntimeException | LinkageError e) {
      notJavac = true;
      String compiler = processingEnv.getClass().getName();
      String name = compiler.contains("eclipse") ? "the Eclipse compiler (ecj, " + compiler + ")" : compiler;
      processingEnv.getMessager().printMessage(javax.tools.Diagnostic.Kind.ERROR,
          Message.UNSUPPORTED_COMPILER.format(name), first);
      return null;
    }
  }

  /** A record's components and a method's bytecode have limits (255 parameters, 64 KB) javac would hit. */
  static final int MAX_SAVED = 240;
  static final int MAX_NODES = 2500;

  /** What of {@code plan} the generated code could not hold, or null. */
  private static String tooLarge(FnPlan plan) {
    int saved = plan.tape().top().saved().size() + plan.forward().results().size() + plan.tape().top().loops().size();
    if (saved > MAX_SAVED) {
      return "its backward reads " + saved + " values of its forward, more than one record holds (" + MAX_SAVED + ")";
    }
    int[] nodes = {0, 0};
    dev.leibniz.processor.ir.Blocks.forEachNode(plan.forward().body(), n -> nodes[0]++);
    dev.leibniz.processor.ir.Blocks.forEachNode(plan.backward(), n -> nodes[1]++);
    int most = Math.max(nodes[0], nodes[1]);
    if (most > MAX_NODES) {
      return "it makes " + most + " operations in one method, more than the JVM's 64 KB of code per method holds"
          + " (about " + MAX_NODES + ")";
    }
    return null;
  }

  /** Check, parse, differentiate, write: each stage stops the class if it reported an error. */
  private void compile(TypeElement type, Trees trees, Reporter reporter) throws IOException {
    ClassInfo info = new DeclarationCheck(trees, reporter).check(type);
    // The bodies are read even after a declaration error, so that one compile shows every problem;
    // a failure there may be a consequence of the declaration's, which is reported already.
    boolean declarationErrors = reporter.hasErrors();
    List<FnPlan> plans = new ArrayList<>();
    for (var method : info.calls()) {
      if (DeclarationCheck.isPrivate(method)) {
        continue; // a private @Call is a helper, inlined where the others call it
      }
      try {
        BodyParser parser = new BodyParser(trees, processingEnv.getElementUtils(), reporter, info);
        Fn fn = parser.parse(method);
        if (fn.result() >= 0 && !reporter.hasErrors()) {
          FnPlan plan = Planner.plan(fn, parser.nodes());
          String tooLarge = tooLarge(plan);
          if (tooLarge != null) {
            reporter.error(method, Message.BODY_TOO_LARGE, method.getSimpleName(), tooLarge);
          } else {
            plans.add(plan);
          }
        }
      } catch (RuntimeException e) {
        if (!declarationErrors) {
          throw e;
        }
      }
    }
    if (reporter.hasErrors()) {
      return;
    }
    var file = GraphWriter.write(info, plans);
    try {
      file.writeTo(processingEnv.getFiler());
      SourceLines.write(processingEnv.getFiler(), file, type);
    } catch (javax.annotation.processing.FilerException taken) {
      reporter.error(type, Message.GRAPH_CLASS_TAKEN, info.graphName(), taken.getMessage());
    }
  }
}
