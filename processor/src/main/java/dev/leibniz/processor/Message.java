package dev.leibniz.processor;

/**
 * Every problem the processor reports, with its full text: a stable tag that says what kind of
 * mistake it is (for searching and for tests) and a message that says what was found and what to
 * write instead. Call sites pass only the values ({@code %s}); the words live here.
 */
public enum Message {
  // ---- statements of a @Call body
  UNSUPPORTED_STATEMENT(Tag.UNSUPPORTED_STATEMENT,
      "%s is not supported in a @Call body; write local variables, op calls, `if` on configuration"
          + " fields and `for (int i = 0; i < n; i++)` loops, and return the result at the end"),
  EARLY_RETURN(Tag.UNSUPPORTED_STATEMENT,
      "`return` before the end of the method is not supported in a @Call body; keep the result in a local and"
          + " return it at the end"),
  LOCAL_WITHOUT_VALUE(Tag.UNSUPPORTED_STATEMENT,
      "the local `%s` has no value; give it one where it is declared (`Tensor %s = ...;`)"),
  ASSIGN_TO_FIELD(Tag.UNSUPPORTED_STATEMENT,
      "assigning to `%s` is not supported in a @Call body: fields are configuration; keep results in locals"),
  ASSIGN_TO_UNKNOWN(Tag.UNSUPPORTED_STATEMENT,
      "assigning to `%s`, which is not a local of this method; declare it first (`Tensor %s = ...;`)"),
  REASSIGN_NUMBER(Tag.UNSUPPORTED_STATEMENT,
      "the number local `%s` is fixed while the graph is built, so it cannot be reassigned; declare a new local"),
  UNSUPPORTED_LOOP(Tag.UNSUPPORTED_LOOP,
      "write the loop as `for (int i = start; i < end; i++)` with start and end from literals or"
          + " final configuration fields; found `%s`"),
  TENSOR_CONDITION(Tag.TENSOR_CONDITION,
      "the condition `%s` depends on a tensor; `if` is decided while the graph is built, so it may"
          + " only test configuration fields, literals and loop indices"),
  RESERVED_NAME(Tag.RESERVED_NAME, "'%s' is used by the generated code; rename this %s"),

  // ---- expressions
  NUMBER_FOR_TENSOR(Tag.NOT_A_TENSOR, "`%s` is a number, but a tensor is expected here; write scalar(%s) for a tensor"),
  FIELD_FOR_TENSOR(Tag.NOT_A_TENSOR,
      "`%s` is a field of type %s, but a tensor is expected here; tensors in a @Call body are inputs,"
          + " @Weight fields, locals and op results"),
  JAVA_OPERATOR(Tag.UNSUPPORTED_EXPRESSION,
      "the operator `%s` is not supported in a @Call body; Java operators do not apply to tensors: write add,"
          + " sub, mul or div"),
  NOT_A_TENSOR_EXPRESSION(Tag.UNSUPPORTED_EXPRESSION,
      "`%s` is not supported in a @Call body; a tensor is an input, a @Weight field, a local, or the result of an"
          + " op or @Call"),
  UNSUPPORTED_NUMBER(Tag.UNSUPPORTED_EXPRESSION,
      "`%s` is not supported in a @Call body; numbers here are literals, final number, boolean or enum fields,"
          + " enum constants (Type.NAME), number locals and loop indices"),
  INSTANCE_FIELD_IN_STATIC(Tag.UNSUPPORTED_EXPRESSION,
      "instance field `%s` is not supported in a static @Call; a static @Call reads static final fields"),
  NOT_A_NUMBER(Tag.NOT_A_NUMBER,
      "`%s` must be known while the graph is built (a literal, a final number field or a loop"
          + " index), not a tensor"),
  MUTABLE_CONFIG(Tag.MUTABLE_CONFIG,
      "field '%s' is read while the graph is built, so changing it later would have no effect;"
          + " make it final, or assign it only in the @Build method (which runs before the graph is built)"),
  INACCESSIBLE(Tag.INACCESSIBLE, "%s '%s' is private, but the generated %s reads it; make it package-private"),

  // ---- calls
  UNKNOWN_OP(Tag.UNKNOWN_OP,
      "'%s' is not a Leibniz op nor a @Call method; ops are the functions of dev.leibniz.dsl.Ops"
          + " (import static dev.leibniz.dsl.Ops.*)"),
  UNKNOWN_OP_DID_YOU_MEAN(Tag.UNKNOWN_OP,
      "'%s' is not a Leibniz op nor a @Call method; did you mean '%s'? ops are the functions of"
          + " dev.leibniz.dsl.Ops (import static dev.leibniz.dsl.Ops.*)"),
  PLAIN_METHOD(Tag.UNKNOWN_OP,
      "'%s' is a plain Java method of this class, not a Leibniz op; annotate it @Call to use it in a graph"),
  NO_SUCH_CALL(Tag.UNKNOWN_OP, "'%s' is not a Leibniz op nor a @Call method; %s has no %s@Call method '%s' with %d inputs"),
  RNN_STEP(Tag.BAD_ARGUMENT,
      "`%s`: rnn runs one of this layer's own @Call methods over a sequence; write rnn(this::step, x,"
          + " returnSequences, stateSize) with a @Call step(Tensor x, Tensor state), or rnn(this::step, x,"
          + " returnSequences, hSize, cSize) with a @Call step(Tensor x, Tensor h, Tensor c) that returns a record"
          + " of the two new states (with a padding mask: rnn(this::step, x, mask, returnSequences, ...))"),
  RNN_STATES(Tag.BAD_ARGUMENT,
      "@Call step '%s' is run with %d state(s) but returns %d tensor(s): a recurrent step returns its new states,"
          + " one per state, the output first"),
  RECURSION(Tag.RECURSION,
      "@Call method '%s' calls itself; a graph is built from straight-line code, so write the"
          + " repetition as a `for` loop"),
  WEIGHT_NOT_BUILT(Tag.WEIGHT_NOT_BUILT,
      "weight '%s' is read here but no @Build method assigns it; in a @Build method write"
          + " %s = addWeight(\"%s\", Shape.of(...), Init.GLOROT_UNIFORM)"),
  WEIGHT_IN_CALL(Tag.WEIGHT_IN_CALL,
      "addWeight creates a weight and belongs in the @Build method, which runs once; assign the"
          + " weight to a @Weight field there and read the field here"),

  // ---- arguments of ops
  NOT_A_BOOLEAN(Tag.BAD_ARGUMENT, "`%s` must be a boolean literal here; write true or false"),
  NOT_AN_INTEGER(Tag.BAD_ARGUMENT, "`%s` is not an integer; axes and dimensions are integers"),
  AXIS_OUT_OF_RANGE(Tag.BAD_ARGUMENT,
      "%s axis %d is out of range for a rank-%d tensor of shape %s (axes go from %d to %d)"),
  AXIS_TWICE(Tag.BAD_ARGUMENT, "%s names axis %d twice"),
  EXPAND_AXIS_OUT_OF_RANGE(Tag.BAD_ARGUMENT, "expandDims axis %d is out of range for a result of rank %d"),
  CLIP_BOUNDS(Tag.BAD_ARGUMENT, "clip to [%s, %s]: the lower bound is above the upper one; write clip(x, lo, hi) with lo <= hi"),
  RESHAPE_DIMENSION(Tag.BAD_ARGUMENT, "reshape dimensions are sizes or -1, got %d"),
  RESHAPE_TWO_INFERRED(Tag.BAD_ARGUMENT, "reshape to %s: at most one dimension may be -1"),
  STRIDES(Tag.BAD_ARGUMENT, "%s strides are 1 or more, got %d"),
  TRANSPOSE_PERMUTATION(Tag.BAD_ARGUMENT, "transpose needs a constant permutation (integer literals) to be differentiated; got (%s)"),
  MOVING_AVERAGE_OF_WEIGHT(Tag.BAD_ARGUMENT,
      "movingAverage updates a @Weight field (a non-trainable moving statistic); pass the field itself as its"
          + " first argument"),

  // ---- static shapes
  BROADCAST(Tag.SHAPE_MISMATCH,
      "cannot broadcast %s with %s: dimension %d does not match %d (dimensions must be equal, or one of them 1)"),
  RANK(Tag.SHAPE_MISMATCH, "%s needs a rank-%d %s, got rank %d with shape %s"),
  MIN_RANK(Tag.SHAPE_MISMATCH, "%s needs %s of rank %d or more, got rank %d with shape %s"),
  SCALAR_INPUT(Tag.SHAPE_MISMATCH, "%s needs a tensor of rank 1 or more (%s), got a scalar"),
  MATMUL_INNER(Tag.SHAPE_MISMATCH,
      "matmul of %s and %s: the inner dimensions %d and %d differ; the left operand's columns must equal the"
          + " right operand's rows (transpose one side, or check the weight's shape in @Build)"),
  BIAS_SIZE(Tag.SHAPE_MISMATCH, "biasAdd of a bias of %d values to an input whose last axis has %d: %s"),
  CONV_CHANNELS(Tag.SHAPE_MISMATCH, "conv2d of an input with %d channels %s and a kernel for %d channels %s"),
  WINDOW_LARGER_THAN_INPUT(Tag.SHAPE_MISMATCH,
      "%s with VALID padding needs inputs at least as large as its window: %d < %d"),
  RESHAPE_SIZE(Tag.SHAPE_MISMATCH, "cannot reshape %s (%d elements) to %s (%d elements)"),
  TRANSPOSE_RANK(Tag.SHAPE_MISMATCH, "transpose of a rank-%d tensor %s needs %d axes in its permutation, got %d"),
  SLICE_RANGE(Tag.SHAPE_MISMATCH, "slice [%d, %d) of axis %d of %s is out of range"),
  TAKE_RANGE(Tag.SHAPE_MISMATCH, "take %s of axis %d of %s is out of range"),
  CONCAT_RANKS(Tag.SHAPE_MISMATCH, "concat of tensors of different ranks: %s and %s"),
  CONCAT_DIMENSIONS(Tag.SHAPE_MISMATCH, "concat along axis %d needs the other dimensions equal, got %s and %s"),

  // ---- declarations
  BUILD_TWICE(Tag.BAD_SIGNATURE, "a layer has one @Build method; merge this one into '%s'"),
  CALL_OVERLOADED(Tag.BAD_SIGNATURE,
      "another @Call method is named '%s' too: @Call methods each have their own name (their generated graphs and"
          + " backward functions are named after them); rename this one, e.g. after what it adds"),
  BUILD_OF_FUNCTIONS(Tag.BAD_SIGNATURE,
      "@Build creates the weights of a layer object: make it an instance method of a @Layer or @Model class"),
  BUILD_PARAMETER(Tag.BAD_SIGNATURE,
      "@Build receives the Shape of each @Call input, got %s for '%s'; declare it as `Shape %s`"),
  INSTANCE_CALL_OUTSIDE_LAYER(Tag.BAD_SIGNATURE,
      "an instance @Call method belongs to a @Layer or @Model class; annotate the class, or make '%s' static"),
  CALL_RETURN_TYPE(Tag.BAD_SIGNATURE,
      "@Call method '%s' must return Tensor, or a record of Tensors for several outputs, got %s"),
  NEW_LAYER_IN_CALL(Tag.UNSUPPORTED_EXPRESSION,
      "`%s` in a @Call body would make a new layer, with new weights, each time the graph is built; hold it in a"
          + " field (`final %s layer = new ...;`) and call that field"),
  INHERITED_CALL(Tag.BAD_SIGNATURE,
      "%s inherits %s from %s; Leibniz compiles the @Call methods and @Weight fields a class declares itself, so"
          + " declare them in %s (a layer may hold the other as a sublayer field instead of extending it)"),
  LAYER_WITHOUT_CALL(Tag.BAD_SIGNATURE,
      "@%s class %s has no @Call method; give it one (`@Call Tensor call(Tensor x) { ... }`)"),
  LAYER_RECORD(Tag.BAD_SIGNATURE,
      "@%s on a record: a layer's @Weight fields are assigned by @Build, which a record's final components cannot"
          + " be; make %s a class"),
  BODY_TOO_LARGE(Tag.BAD_SIGNATURE,
      "@Call method '%s' is too large for the generated code: %s; split it into sublayers (each a @Layer with its own"
          + " @Call) or write the repetition as a loop"),
  CALL_NAMES_COLLIDE(Tag.BAD_SIGNATURE,
      "@Call methods '%s' and '%s' would both generate %s in the generated class; rename one"),
  CALL_WITHOUT_BODY(Tag.BAD_SIGNATURE,
      "@Call method '%s' has no body: Leibniz compiles the body of a @Call, so write it here (not abstract, native or"
          + " in an interface)"),
  INPUT_NAMES_COLLIDE(Tag.BAD_SIGNATURE,
      "inputs '%s' and '%s' would both have the gradient '%s' in the generated code; rename one"),
  GRAPH_CLASS_TAKEN(Tag.BAD_SIGNATURE,
      "the generated class %s cannot be written: a class of that name already exists (%s); rename this class or the"
          + " other (Outer.Inner and Outer_Inner both make Outer_Inner_Graph)"),
  CALL_WITHOUT_INPUTS(Tag.BAD_SIGNATURE, "@Call method '%s' needs at least one Tensor input"),
  CALL_PARAMETER(Tag.BAD_SIGNATURE,
      "@Call inputs are tensors; '%s' has type %s (keep configuration in final fields of the layer)"),
  ORDER_RANGE(Tag.BAD_SIGNATURE, "@Call(order = %d) on '%s': the order is 1 (forward and backward) or 2 (also the"
      + " gradient of the gradient)"),
  ORDER_2_THROUGH(Tag.BAD_SIGNATURE,
      "@Call(order = 2) on '%s': the backward of its backward cannot pass through %s; remove order = 2, or move"
          + " that part out of this method"),
  ORDER_NEEDS_TENSOR(Tag.BAD_SIGNATURE,
      "@Call(order = 2) on '%s': second derivatives are generated for functions of one Tensor result, not a %s;"
          + " remove order = 2 or return one Tensor"),
  RECORD_FOR_TENSOR(Tag.NOT_A_TENSOR,
      "`%s` is a %s of several tensors; take one of them: %s"),
  TENSOR_FOR_RECORD(Tag.NOT_A_TENSOR, "`%s` is not a %s; return new %s(...) of tensors, or a call that returns one"),
  NO_SUCH_COMPONENT(Tag.UNKNOWN_OP, "%s has no component '%s'; its components are %s"),
  REASSIGN_RECORD(Tag.UNSUPPORTED_STATEMENT,
      "'%s' holds several outputs and cannot be reassigned; declare another local for the new ones"),
  ORDER_NEEDS_STRAIGHT_LINE(Tag.BAD_SIGNATURE,
      "@Call(order = 2) on '%s': second derivatives are generated for straight-line bodies of ops (no `if`, no"
          + " `for`, no calls into other layers); remove order = 2 or move the second-order part into a function"
          + " of its own"),
  GRADIENT_THROUGH(Tag.UNSUPPORTED_EXPRESSION,
      "gradient(...) cannot pass through %s: its backward cannot be differentiated again; take the gradient of"
          + " a part without it"),
  GRADIENT_NEEDS_ORDER_2(Tag.UNSUPPORTED_EXPRESSION,
      "gradient(...) passes through %s, whose backward has no backward of its own; annotate that method"
          + " @Call(order = 2) (the README lists the built-in layers that have it)"),
  GRADIENT_NOT_AT_TOP(Tag.UNSUPPORTED_EXPRESSION,
      "gradient(...) inside `if` or `for` is not supported; take it at the top level of the @Call body, before"
          + " the `if` or `for`"),
  GRADIENT_UNRELATED(Tag.BAD_ARGUMENT,
      "`%s` is not computed from `%s`, so its gradient would be zero everywhere; pass an input or a local that it"
          + " is computed from"),
  WEIGHT_TYPE(Tag.BAD_WEIGHT, "@Weight field '%s' must have type Variable, got %s; declare it as `@Weight Variable %s;`"),
  WEIGHT_FINAL(Tag.BAD_WEIGHT,
      "@Weight field '%s' is assigned by @Build, once per layer object; remove `final` and `static`"),

  UNSUPPORTED_COMPILER(Tag.UNSUPPORTED_COMPILER,
      "Leibniz reads @Call bodies through javac's tree API (com.sun.source), and this compiler is %s, which has"
          + " none; build with javac (Maven, Gradle or the command line). In Eclipse, turn annotation processing off"
          + " for this project and let Maven write the _Graph classes (mvn compile): m2e adds"
          + " target/generated-sources/annotations as a source folder"),
  INTERNAL(Tag.INTERNAL, "the Leibniz processor failed on %s (%s); please report it with this class");

  /** What kind of mistake a message reports; shown as {@code [leibniz.Name]}. */
  public enum Tag {
    UNSUPPORTED_STATEMENT("UnsupportedStatement"),
    UNSUPPORTED_EXPRESSION("UnsupportedExpression"),
    UNKNOWN_OP("UnknownOp"),
    BAD_ARGUMENT("BadArgument"),
    SHAPE_MISMATCH("ShapeMismatch"),
    WEIGHT_NOT_BUILT("WeightNotBuilt"),
    WEIGHT_IN_CALL("WeightInCall"),
    TENSOR_CONDITION("TensorCondition"),
    UNSUPPORTED_LOOP("UnsupportedLoop"),
    NOT_A_TENSOR("NotATensor"),
    NOT_A_NUMBER("NotANumber"),
    MUTABLE_CONFIG("MutableConfig"),
    INACCESSIBLE("Inaccessible"),
    BAD_SIGNATURE("BadSignature"),
    BAD_WEIGHT("BadWeight"),
    RECURSION("Recursion"),
    RESERVED_NAME("ReservedName"),
    UNSUPPORTED_COMPILER("UnsupportedCompiler"),
    INTERNAL("Internal");

    private final String name;

    Tag(String name) {
      this.name = name;
    }

    @Override
    public String toString() {
      return "[leibniz." + name + "]";
    }
  }

  private final Tag tag;
  private final String format;

  Message(Tag tag, String format) {
    this.tag = tag;
    this.format = format;
  }

  public Tag tag() {
    return tag;
  }

  public String format(Object... args) {
    return tag + " " + String.format(format, args);
  }
}
