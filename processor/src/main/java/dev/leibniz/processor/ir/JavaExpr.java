package dev.leibniz.processor.ir;

import java.util.OptionalDouble;

/**
 * A Java number or boolean computed while the graph is built (a literal, a configuration
 * field, a loop index, or arithmetic on them), kept as source text for the generated code and
 * as a value when the processor can fold it.
 */
public record JavaExpr(String code, OptionalDouble value, boolean integral) {
  public static JavaExpr of(double value) {
    boolean integral = value == Math.rint(value) && Math.abs(value) < 1e15;
    String code = integral ? Long.toString((long) value) : Double.toString(value);
    return new JavaExpr(code, OptionalDouble.of(value), integral);
  }

  public static JavaExpr code(String code, boolean integral) {
    return new JavaExpr(code, OptionalDouble.empty(), integral);
  }

  public boolean isConstant() {
    return value.isPresent();
  }

  public boolean is(double v) {
    return value.isPresent() && value.getAsDouble() == v;
  }

  public JavaExpr plus(double d) {
    if (value.isPresent()) {
      return of(value.getAsDouble() + d);
    }
    return new JavaExpr("(" + code + (d < 0 ? " - " + JavaExpr.of(-d).code : " + " + JavaExpr.of(d).code) + ")",
        OptionalDouble.empty(), integral && d == Math.rint(d));
  }

  public JavaExpr times(double d) {
    if (value.isPresent()) {
      return of(value.getAsDouble() * d);
    }
    return new JavaExpr("(" + JavaExpr.of(d).code + " * " + code + ")", OptionalDouble.empty(),
        integral && d == Math.rint(d));
  }

  /** The code as a float literal or cast, for the bridge's float arguments. */
  public String floatCode() {
    if (value.isPresent()) {
      double v = value.getAsDouble();
      return (v == Math.rint(v) && Math.abs(v) < 1e7 ? Long.toString((long) v) : Double.toString(v)) + "f";
    }
    return "(float) " + (code.matches("[\\w.]+") ? code : "(" + code + ")");
  }

  @Override
  public String toString() {
    return code;
  }
}
