package dev.leibniz.processor.ir;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The static attributes of a node (axes, a constant, a field name...): a sorted immutable map,
 * so that equal attributes compare equal for common-subexpression elimination.
 */
public record Attrs(Map<String, Object> map) {
  public static final Attrs NONE = new Attrs(Map.of());

  public Attrs {
    map = java.util.Collections.unmodifiableMap(new TreeMap<>(map));
  }

  public static Attrs of(Object... keysAndValues) {
    Map<String, Object> m = new TreeMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return new Attrs(m);
  }

  public Attrs with(String key, Object value) {
    Map<String, Object> m = new TreeMap<>(map);
    m.put(key, value);
    return new Attrs(m);
  }

  public boolean has(String key) {
    return map.containsKey(key);
  }

  /** A list of strings (Java code, names). */
  @SuppressWarnings("unchecked")
  public List<String> strings(String key) {
    return (List<String>) map.get(key);
  }

  public String string(String key) {
    return (String) require(key);
  }

  public boolean bool(String key) {
    return (Boolean) require(key);
  }

  public int integer(String key) {
    return (Integer) require(key);
  }

  public JavaExpr expr(String key) {
    return (JavaExpr) require(key);
  }

  @SuppressWarnings("unchecked")
  public List<JavaExpr> exprs(String key) {
    return (List<JavaExpr>) require(key);
  }

  private Object require(String key) {
    Object v = map.get(key);
    if (v == null) {
      throw new IllegalStateException("attribute '" + key + "' missing in " + map);
    }
    return v;
  }
}
