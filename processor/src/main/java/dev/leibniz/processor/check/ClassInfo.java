package dev.leibniz.processor.check;

import dev.leibniz.processor.ir.StaticShape;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;

/**
 * What the declarations of one annotated class say, once checked: its kind, its weights (with
 * the shapes its {@code @Build} gives them where they can be read), sublayer fields, and its
 * {@code @Build} and {@code @Call} methods.
 */
public record ClassInfo(TypeElement type, Kind kind, String graphName, Map<String, WeightInfo> weights,
    Map<String, VariableElement> fields, ExecutableElement build, List<ExecutableElement> calls) {

  public enum Kind { LAYER, MODEL, FUNCTIONS }

  /** A {@code @Weight} field; {@code built} when a {@code @Build} method assigns it. */
  public record WeightInfo(String field, boolean built, StaticShape shape) {}

  public boolean hasInstanceState() {
    return kind != Kind.FUNCTIONS;
  }
}
