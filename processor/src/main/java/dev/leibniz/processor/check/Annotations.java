package dev.leibniz.processor.check;

import dev.leibniz.dsl.GraphNames;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;

/** The DSL's annotations by name (the processor does not load the DSL's classes). */
public final class Annotations {
  public static final String LAYER = "dev.leibniz.dsl.Layer";
  public static final String MODEL = "dev.leibniz.dsl.Model";
  public static final String CALL = "dev.leibniz.dsl.Call";
  public static final String WEIGHT = "dev.leibniz.dsl.Weight";
  public static final String BUILD = "dev.leibniz.dsl.Build";
  public static final String DIMS = "dev.leibniz.dsl.Dims";
  public static final String TENSOR = "dev.leibniz.dsl.Tensor";
  public static final String VARIABLE = "dev.leibniz.dsl.Variable";
  public static final String SHAPE = "dev.leibniz.dsl.Shape";
  public static final String OPS = "dev.leibniz.dsl.Ops";

  private Annotations() {}

  public static AnnotationMirror find(Element e, String name) {
    for (AnnotationMirror m : e.getAnnotationMirrors()) {
      if (((TypeElement) m.getAnnotationType().asElement()).getQualifiedName().contentEquals(name)) {
        return m;
      }
    }
    return null;
  }

  /**
   * The components of a record whose components are all tensors (a {@code @Call} with several
   * outputs returns one), in order; null for any other type.
   */
  public static java.util.List<String> tensorRecord(javax.lang.model.type.TypeMirror t) {
    if (!(t instanceof javax.lang.model.type.DeclaredType d)
        || d.asElement().getKind() != javax.lang.model.element.ElementKind.RECORD) {
      return null;
    }
    java.util.List<String> names = new java.util.ArrayList<>();
    for (var c : ((TypeElement) d.asElement()).getRecordComponents()) {
      if (!(c.asType() instanceof javax.lang.model.type.DeclaredType ct)
          || !((TypeElement) ct.asElement()).getQualifiedName().contentEquals(TENSOR)) {
        return null;
      }
      names.add(c.getSimpleName().toString());
    }
    return names.isEmpty() ? null : names;
  }

  /** The {@code order} of a {@code @Call} method: 1 unless it asks for 2. */
  public static int order(Element method) {
    AnnotationMirror call = find(method, CALL);
    if (call == null) {
      return 1;
    }
    for (var e : call.getElementValues().entrySet()) {
      if (e.getKey().getSimpleName().contentEquals("order")) {
        return ((Number) e.getValue().getValue()).intValue();
      }
    }
    return 1;
  }

  public static boolean has(Element e, String name) {
    return find(e, name) != null;
  }

  /** A class whose instances are layers: sublayer fields of this type are callable. */
  public static boolean isLayerType(Element e) {
    return e != null && (has(e, LAYER) || has(e, MODEL));
  }

  /** {@code pkg.Outer_Inner_Graph} for {@code pkg.Outer.Inner} ({@link GraphNames#graphClass}). */
  public static String graphName(TypeElement type) {
    java.util.LinkedList<String> simple = new java.util.LinkedList<>();
    Element e = type;
    while (e instanceof TypeElement t) {
      simple.addFirst(t.getSimpleName().toString());
      e = t.getEnclosingElement();
    }
    return GraphNames.graphClass(((javax.lang.model.element.PackageElement) e).getQualifiedName().toString(), simple);
  }
}
