package dev.leibniz.processor;

/**
 * Every problem the processor reports: a stable tag (for searching and for tests) and a message
 * that says what was found and what to write instead ({@code %s} filled in by the caller).
 */
public enum Message {
  UNSUPPORTED_STATEMENT("UnsupportedStatement",
      "%s is not supported in a @Call body; write local variables, op calls, `if` on configuration"
          + " fields and `for (int i = 0; i < n; i++)` loops, and return the result at the end"),
  UNSUPPORTED_EXPRESSION("UnsupportedExpression",
      "%s is not supported in a @Call body; %s"),
  UNKNOWN_OP("UnknownOp",
      "'%s' is not a Leibniz op nor a @Call method; %s"),
  SHAPE_MISMATCH("ShapeMismatch", "%s"),
  WEIGHT_NOT_BUILT("WeightNotBuilt",
      "weight '%s' is read here but no @Build method assigns it; in a @Build method write"
          + " %s = addWeight(\"%s\", Shape.of(...), Init.GLOROT_UNIFORM)"),
  WEIGHT_IN_CALL("WeightInCall",
      "addWeight creates a weight and belongs in the @Build method, which runs once; assign the"
          + " weight to a @Weight field there and read the field here"),
  TENSOR_CONDITION("TensorCondition",
      "the condition `%s` depends on a tensor; `if` is decided while the graph is built, so it may"
          + " only test configuration fields, literals and loop indices"),
  UNSUPPORTED_LOOP("UnsupportedLoop",
      "write the loop as `for (int i = start; i < end; i++)` with start and end from literals or"
          + " final configuration fields; found `%s`"),
  NOT_A_TENSOR("NotATensor", "`%s` is a %s, but a tensor is expected here; %s"),
  NOT_A_NUMBER("NotANumber",
      "`%s` must be known while the graph is built (a literal, a final number field or a loop"
          + " index), not a tensor"),
  MUTABLE_CONFIG("MutableConfig",
      "field '%s' is read while the graph is built, so changing it later would have no effect;"
          + " make it final"),
  INACCESSIBLE("Inaccessible",
      "%s '%s' is private, but the generated %s reads it; make it package-private"),
  BAD_SIGNATURE("BadSignature", "%s"),
  BAD_WEIGHT("BadWeight", "%s"),
  RECURSION("Recursion",
      "@Call method '%s' calls itself; a graph is built from straight-line code, so write the"
          + " repetition as a `for` loop"),
  RESERVED_NAME("ReservedName",
      "'%s' is used by the generated code; rename this %s"),
  INTERNAL("Internal",
      "the Leibniz processor failed on %s (%s); please report it with this class");

  private final String tag;
  private final String format;

  Message(String tag, String format) {
    this.tag = tag;
    this.format = format;
  }

  public String tag() {
    return "[leibniz." + tag + "]";
  }

  public String format(Object... args) {
    return tag() + " " + String.format(format, args);
  }
}
