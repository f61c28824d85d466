package dev.leibniz.processor.check;

import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import dev.leibniz.dsl.GraphNames;
import dev.leibniz.processor.Message;
import dev.leibniz.processor.Reporter;
import dev.leibniz.processor.ir.StaticShape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;

/**
 * Checks the declarations of an annotated class (signatures, weight fields, the {@code @Build}
 * method) and reads which weights {@code @Build} assigns, with their shapes where literal.
 */
public final class DeclarationCheck {
  private final Trees trees;
  private final Reporter reporter;

  public DeclarationCheck(Trees trees, Reporter reporter) {
    this.trees = trees;
    this.reporter = reporter;
  }

  public ClassInfo check(TypeElement type) {
    ClassInfo.Kind kind = Annotations.has(type, Annotations.LAYER) ? ClassInfo.Kind.LAYER
        : Annotations.has(type, Annotations.MODEL) ? ClassInfo.Kind.MODEL : ClassInfo.Kind.FUNCTIONS;
    String graph = Annotations.graphName(type);
    String graphSimple = graph.substring(graph.lastIndexOf('.') + 1);
    for (Element e = type; e instanceof TypeElement t; e = t.getEnclosingElement()) {
      if (isPrivate(t)) {
        reporter.error(type, Message.INACCESSIBLE, "class", t.getSimpleName(), graphSimple);
        break;
      }
    }

    Map<String, VariableElement> fields = new LinkedHashMap<>();
    List<VariableElement> weightFields = new ArrayList<>();
    for (VariableElement f : ElementFilter.fieldsIn(type.getEnclosedElements())) {
      fields.put(f.getSimpleName().toString(), f);
      if (Annotations.has(f, Annotations.WEIGHT)) {
        weightFields.add(f);
        checkWeightField(f, graphSimple);
      }
    }

    ExecutableElement build = null;
    List<ExecutableElement> calls = new ArrayList<>();
    for (ExecutableElement m : ElementFilter.methodsIn(type.getEnclosedElements())) {
      if (Annotations.has(m, Annotations.BUILD)) {
        if (build != null) {
          reporter.error(m, Message.BUILD_TWICE, build.getSimpleName());
        }
        build = m;
        checkBuild(m, kind, graphSimple);
      }
      if (Annotations.has(m, Annotations.CALL)) {
        boolean clash = false;
        for (ExecutableElement other : calls) {
          if (other.getSimpleName().contentEquals(m.getSimpleName())) {
            reporter.error(m, Message.CALL_OVERLOADED, m.getSimpleName());
            clash = true;
          } else if (generatedNamesCollide(other, m)) {
            reporter.error(m, Message.CALL_NAMES_COLLIDE, other.getSimpleName(), m.getSimpleName(),
                collision(other, m));
            clash = true;
          }
        }
        if (m.getModifiers().contains(Modifier.ABSTRACT) || m.getModifiers().contains(Modifier.NATIVE)
            || trees.getTree(m) == null || trees.getTree(m).getBody() == null) {
          reporter.error(m, Message.CALL_WITHOUT_BODY, m.getSimpleName());
          continue;
        }
        if (!clash) {
          calls.add(m);
        }
        checkCall(m, kind);
      }
    }

    if (kind != ClassInfo.Kind.FUNCTIONS) {
      checkLayerClass(type, kind, calls);
    }

    Map<String, ClassInfo.WeightInfo> weights = new LinkedHashMap<>();
    Map<String, StaticShape> assigned = build == null ? Map.of() : assignedWeights(build, weightFields);
    for (VariableElement f : weightFields) {
      String name = f.getSimpleName().toString();
      weights.put(name, new ClassInfo.WeightInfo(name, assigned.containsKey(name),
          assigned.getOrDefault(name, StaticShape.UNKNOWN)));
    }
    return new ClassInfo(type, kind, graph, weights, fields, build, calls);
  }

  /**
   * Whether two @Call methods would give the generated class the same names: records and methods
   * from the capitalized name ({@code call} and {@code Call}), or a static function's constant
   * ({@code fooBar} and {@code foo_bar} both {@code FOO_BAR}).
   */
  private static boolean generatedNamesCollide(ExecutableElement a, ExecutableElement b) {
    return collision(a, b) != null;
  }

  private static String collision(ExecutableElement a, ExecutableElement b) {
    String x = a.getSimpleName().toString();
    String y = b.getSimpleName().toString();
    if (GraphNames.capitalize(x).equals(GraphNames.capitalize(y))) {
      return "the record " + GraphNames.forwardRecord(x);
    }
    boolean bothStatic = a.getModifiers().contains(Modifier.STATIC) && b.getModifiers().contains(Modifier.STATIC);
    if (bothStatic && GraphNames.functionConstant(x).equals(GraphNames.functionConstant(y))) {
      return "the constant " + GraphNames.functionConstant(x);
    }
    return null;
  }

  /** A layer is a class that declares its own @Call (and @Weight fields): none inherited, not a record. */
  private void checkLayerClass(TypeElement type, ClassInfo.Kind kind, List<ExecutableElement> calls) {
    String annotation = kind == ClassInfo.Kind.LAYER ? "Layer" : "Model";
    if (type.getKind() == javax.lang.model.element.ElementKind.RECORD) {
      reporter.error(type, Message.LAYER_RECORD, annotation, type.getSimpleName());
      return;
    }
    List<TypeElement> above = new ArrayList<>();
    supertypes(type, above);
    for (TypeElement superType : above) {
      for (Element member : superType.getEnclosedElements()) {
        String what = Annotations.has(member, Annotations.CALL) ? "@Call " + member.getSimpleName() + "()"
            : Annotations.has(member, Annotations.WEIGHT) ? "@Weight " + member.getSimpleName() : null;
        if (what != null) {
          reporter.error(type, Message.INHERITED_CALL, type.getSimpleName(), what, superType.getSimpleName(),
              type.getSimpleName());
          return;
        }
      }
    }
    if (calls.isEmpty()) {
      reporter.error(type, Message.LAYER_WITHOUT_CALL, annotation, type.getSimpleName());
    }
  }

  /** Every class and interface {@code type} extends or implements, but Object. */
  private static void supertypes(TypeElement type, List<TypeElement> out) {
    List<TypeMirror> direct = new ArrayList<>(type.getInterfaces());
    direct.add(type.getSuperclass());
    for (TypeMirror t : direct) {
      if (t instanceof DeclaredType d && d.asElement() instanceof TypeElement e
          && !e.getQualifiedName().contentEquals("java.lang.Object") && !out.contains(e)) {
        out.add(e);
        supertypes(e, out);
      }
    }
  }

  private void checkWeightField(VariableElement f, String graphSimple) {
    String name = f.getSimpleName().toString();
    if (!isType(f.asType(), Annotations.VARIABLE)) {
      reporter.error(f, Message.WEIGHT_TYPE, name, f.asType(), name);
    }
    if (f.getModifiers().contains(Modifier.FINAL) || f.getModifiers().contains(Modifier.STATIC)) {
      reporter.error(f, Message.WEIGHT_FINAL, name);
    }
    if (f.getModifiers().contains(Modifier.PRIVATE)) {
      reporter.error(f, Message.INACCESSIBLE, "@Weight field", name, graphSimple);
    }
  }

  private void checkBuild(ExecutableElement m, ClassInfo.Kind kind, String graphSimple) {
    if (kind == ClassInfo.Kind.FUNCTIONS || m.getModifiers().contains(Modifier.STATIC)) {
      reporter.error(m, Message.BUILD_OF_FUNCTIONS);
    }
    if (m.getModifiers().contains(Modifier.PRIVATE)) {
      reporter.error(m, Message.INACCESSIBLE, "@Build method", m.getSimpleName(), graphSimple);
    }
    for (VariableElement p : m.getParameters()) {
      if (!isType(p.asType(), Annotations.SHAPE)) {
        reporter.error(p, Message.BUILD_PARAMETER, p.asType(), p.getSimpleName(), p.getSimpleName());
      }
    }
  }

  private void checkCall(ExecutableElement m, ClassInfo.Kind kind) {
    boolean isStatic = m.getModifiers().contains(Modifier.STATIC);
    if (!isStatic && kind == ClassInfo.Kind.FUNCTIONS) {
      reporter.error(m, Message.INSTANCE_CALL_OUTSIDE_LAYER, m.getSimpleName());
    }
    boolean record = Annotations.tensorRecord(m.getReturnType()) != null;
    if (!isType(m.getReturnType(), Annotations.TENSOR) && !record) {
      reporter.error(m, Message.CALL_RETURN_TYPE, m.getSimpleName(), describe(m.getReturnType()));
    }
    if (m.getParameters().isEmpty()) {
      reporter.error(m, Message.CALL_WITHOUT_INPUTS, m.getSimpleName());
    }
    int order = Annotations.order(m);
    if (order != 1 && order != 2) {
      reporter.error(m, Message.ORDER_RANGE, order, m.getSimpleName());
    } else if (order == 2 && record) {
      reporter.error(m, Message.ORDER_NEEDS_TENSOR, m.getSimpleName(), m.getReturnType());
    }
    Map<String, String> gradients = new java.util.HashMap<>();
    for (VariableElement p : m.getParameters()) {
      String name = p.getSimpleName().toString();
      String before = gradients.putIfAbsent(GraphNames.gradientOf(name), name);
      if (before != null) {
        reporter.error(p, Message.INPUT_NAMES_COLLIDE, before, name, GraphNames.gradientOf(name));
      }
      if (!isType(p.asType(), Annotations.TENSOR)) {
        reporter.error(p, Message.CALL_PARAMETER, name, describe(p.asType()));
      }
      if (GraphNames.RESERVED.contains(name)) {
        reporter.error(p, Message.RESERVED_NAME, name, "parameter");
      }
    }
  }

  /** The type as written, and where javac could not resolve it, what to import. */
  private static String describe(TypeMirror t) {
    return t.getKind() == javax.lang.model.type.TypeKind.ERROR
        ? t + ", which is not found (import " + Annotations.TENSOR + ")" : t.toString();
  }

  private static boolean isType(TypeMirror t, String qualified) {
    return t instanceof DeclaredType d
        && ((TypeElement) d.asElement()).getQualifiedName().contentEquals(qualified);
  }

  /** Weight fields that @Build assigns from addWeight, with the dimensions of a literal Shape.of. */
  private Map<String, StaticShape> assignedWeights(ExecutableElement build, List<VariableElement> weightFields) {
    Set<String> names = new java.util.HashSet<>();
    for (VariableElement f : weightFields) {
      names.add(f.getSimpleName().toString());
    }
    Map<String, StaticShape> out = new LinkedHashMap<>();
    TreePath path = trees.getPath(build);
    if (path == null) {
      return out;
    }
    MethodTree method = (MethodTree) path.getLeaf();
    new TreePathScanner<Void, Void>() {
      @Override
      public Void visitAssignment(AssignmentTree a, Void unused) {
        String target = fieldName(a.getVariable());
        if (target != null && names.contains(target)) {
          out.put(target, shapeOf(a.getExpression()));
        }
        return super.visitAssignment(a, unused);
      }
    }.scan(new TreePath(path, method.getBody()), null);
    return out;
  }

  /** The field an expression names: {@code f} or {@code this.f}; null otherwise. */
  public static String fieldName(ExpressionTree e) {
    if (e instanceof IdentifierTree id) {
      return id.getName().toString();
    }
    if (e instanceof MemberSelectTree s && s.getExpression() instanceof IdentifierTree owner
        && owner.getName().contentEquals("this")) {
      return s.getIdentifier().toString();
    }
    return null;
  }

  /** The shape of {@code addWeight(name, Shape.of(d0, d1...), ...)}: literal dimensions, else unknown. */
  private static StaticShape shapeOf(ExpressionTree e) {
    if (!(e instanceof MethodInvocationTree call) || call.getArguments().size() < 2
        || !(call.getArguments().get(1) instanceof MethodInvocationTree shape)
        || !shape.getMethodSelect().toString().endsWith("of")) {
      return StaticShape.UNKNOWN;
    }
    long[] dims = new long[shape.getArguments().size()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = shape.getArguments().get(i) instanceof LiteralTree lit && lit.getValue() instanceof Number n
          ? n.longValue() : -1;
    }
    return StaticShape.of(dims);
  }

  /** Fields the generated code reads must not be private. */
  public static boolean isPrivate(Element e) {
    return e.getModifiers().contains(Modifier.PRIVATE);
  }
}
