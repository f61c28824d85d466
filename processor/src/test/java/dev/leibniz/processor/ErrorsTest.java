package dev.leibniz.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every message of the catalogue, each made to happen by a source that has that one mistake,
 * and asserted on its tag and text, its file and its line.
 */
class ErrorsTest {
  /** A layer with a kernel, a constant, a mutable field and a @Build; {@code body} holds its @Call. */
  static JavaFileObject layer(String name, String... body) {
    return source(name,
        "@Layer",
        "public class " + name + " {",
        "  @Weight Variable kernel;",
        "  final int units = 4;",
        "  int mutable = 2;",
        "  @Build void build(Shape input) {",
        "    kernel = addWeight(\"kernel\", Shape.of(input.last(), units), Init.GLOROT_UNIFORM);",
        "  }",
        String.join("\n", body),
        "}");
  }

  /** A @Call body of a layer, returning {@code x} after {@code statements}. */
  static JavaFileObject body(String name, String... statements) {
    return layer(name, "  @Call Tensor call(@Dims({-1, 4}) Tensor x) {", String.join("\n", statements),
        "    return x;", "  }");
  }

  static JavaFileObject source(String name, String... lines) {
    return JavaFileObjects.forSourceString("test." + name, "package test;\n"
        + "import static dev.leibniz.dsl.Ops.*;\nimport dev.leibniz.dsl.*;\n" + String.join("\n", lines));
  }

  /** One mistake: the message it must produce (its text, after the tag), the source, and the line that has it. */
  record Row(Message message, String text, JavaFileObject source, String line) {
    @Override
    public String toString() {
      return message.name();
    }
  }

  static Row row(Message message, String text, JavaFileObject source, String line) {
    return new Row(message, text, source, line);
  }

  static final List<Row> ROWS = List.of(
        // statements
        row(Message.UNSUPPORTED_STATEMENT, "a while statement is not supported in a @Call body",
            body("While", "    while (true) { x = relu(x); }"), "while (true)"),
        row(Message.UNSUPPORTED_STATEMENT, "an assert statement is not supported in a @Call body",
            body("Assert", "    assert units > 0;"), "assert units"),
        row(Message.EARLY_RETURN, "`return` before the end of the method is not supported",
            body("EarlyReturn", "    if (units > 2) { return x; }"), "return x; }"),
        row(Message.LOCAL_WITHOUT_VALUE, "the local `y` has no value; give it one where it is declared (`Tensor y = ...;`)",
            body("NoValue", "    Tensor y;"), "Tensor y;"),
        row(Message.ASSIGN_TO_FIELD, "assigning to `this.units` is not supported in a @Call body",
            body("AssignField", "    this.units = 3;"), "this.units = 3;"),
        row(Message.ASSIGN_TO_UNKNOWN, "assigning to `y`, which is not a local of this method",
            body("AssignUnknown", "    y = relu(x);"), "y = relu(x);"),
        row(Message.REASSIGN_NUMBER, "the number local `k` is fixed while the graph is built",
            body("Reassign", "    int k = 2;", "    k = 3;"), "k = 3;"),
        row(Message.UNSUPPORTED_LOOP, "write the loop as `for (int i = start; i < end; i++)`",
            body("Loop", "    for (int i = 0; i != units; i++) { x = tanh(x); }"), "i != units"),
        row(Message.TENSOR_CONDITION, "the condition `sum(x) == null` depends on a tensor",
            body("Condition", "    if (sum(x) == null) { x = relu(x); }"), "if (sum(x) == null)"),
        row(Message.RESERVED_NAME, "'tf' is used by the generated code; rename this local",
            body("Reserved", "    Tensor tf = relu(x);"), "Tensor tf = relu(x);"),
        // expressions
        row(Message.NUMBER_FOR_TENSOR, "`3 * 2` is a number, but a tensor is expected here; write scalar(3 * 2)",
            body("Number", "    x = neg(3 * 2);"), "x = neg(3 * 2);"),
        row(Message.FIELD_FOR_TENSOR, "`units` is a field of type int, but a tensor is expected here",
            body("Field", "    x = relu(units);"), "x = relu(units);"),
        row(Message.JAVA_OPERATOR, "the operator `*` is not supported in a @Call body; Java operators do not apply to"
            + " tensors", body("Times", "    x = relu(x * 2);"), "x = relu(x * 2);"),
        row(Message.NOT_A_TENSOR_EXPRESSION, "`\"x\"` is not supported in a @Call body; a tensor is an input",
            body("StringTensor", "    x = relu(\"x\");"), "x = relu(\"x\");"),
        row(Message.UNSUPPORTED_NUMBER, "`Math.PI` is not supported in a @Call body; numbers here are literals",
            body("Pi", "    x = mul(x, Math.PI);"), "x = mul(x, Math.PI);"),
        row(Message.INSTANCE_FIELD_IN_STATIC, "instance field `k` is not supported in a static @Call",
            source("Fns", "public class Fns {", "  final int k;", "  Fns(int k) { this.k = k; }",
                "  @Call static Tensor f(Tensor x) { return mul(x, k); }", "}"), "return mul(x, k);"),
        row(Message.NOT_A_NUMBER, "`x` must be known while the graph is built",
            body("NotNumber", "    x = sum(x, x);"), "x = sum(x, x);"),
        row(Message.MUTABLE_CONFIG, "field 'mutable' is read while the graph is built, so changing it later would have"
            + " no effect; make it final", body("Mutable", "    x = mul(x, mutable);"), "x = mul(x, mutable);"),
        row(Message.INACCESSIBLE, "@Weight field 'kernel' is private, but the generated Hidden_Graph reads it",
            source("Hidden", "@Layer", "public class Hidden {", "  @Weight private Variable kernel;",
                "  @Call Tensor call(Tensor x) { return x; }", "}"), "@Weight private Variable kernel;"),
        // calls
        row(Message.UNKNOWN_OP, "'frobnicate' is not a Leibniz op nor a @Call method; ops are the functions of",
            body("Unknown", "    x = frobnicate(x);"), "x = frobnicate(x);"),
        row(Message.UNKNOWN_OP_DID_YOU_MEAN, "'matmull' is not a Leibniz op nor a @Call method; did you mean 'matmul'?",
            body("Typo", "    x = matmull(x, kernel);"), "x = matmull(x, kernel);"),
        row(Message.PLAIN_METHOD, "'helper' is a plain Java method of this class, not a Leibniz op; annotate it @Call",
            layer("Plain", "  Tensor helper(Tensor x) { return x; }",
                "  @Call Tensor call(Tensor x) { return helper(x); }"), "return helper(x);"),
        row(Message.NO_SUCH_CALL, "'inner.other' is not a Leibniz op nor a @Call method; Inner has no @Call method"
            + " 'other' with 1 inputs",
            source("Outer", "@Model", "public class Outer {",
                "  @Layer static class Inner { @Call Tensor call(Tensor x) { return x; } }",
                "  final Inner inner = new Inner();",
                "  @Call Tensor call(Tensor x) { return inner.other(x); }", "}"), "return inner.other(x);"),
        row(Message.RNN_STEP, "`rnn(this::helper, x, false, 4)`: rnn runs one of this layer's own @Call methods",
            layer("PlainStep", "  Tensor helper(Tensor x, Tensor h) { return h; }",
                "  @Call Tensor call(Tensor x) { return rnn(this::helper, x, false, 4); }"), "rnn(this::helper"),
        row(Message.RNN_STATES, "@Call step 'step' is run with 2 state(s) but returns 3 tensor(s)",
            source("ThreeStates", "@Layer", "public class ThreeStates {",
                "  public record Three(Tensor a, Tensor b, Tensor c) {}",
                "  @Call Tensor call(Tensor x) { return rnn(this::step, x, false, 4, 4); }",
                "  @Call Three step(Tensor x, Tensor h, Tensor c) { return new Three(h, c, h); }", "}"),
            "rnn(this::step, x, false, 4, 4)"),
        row(Message.RECURSION, "@Call method 'call' calls itself",
            layer("Recursive", "  @Call Tensor call(Tensor x) { return again(x); }",
                "  @Call Tensor again(Tensor x) { return call(relu(x)); }"), "return call(relu(x));"),
        row(Message.WEIGHT_NOT_BUILT, "weight 'bias' is read here but no @Build method assigns it",
            source("NoBias", "@Layer", "public class NoBias {", "  @Weight Variable bias;",
                "  @Call Tensor call(Tensor x) { return add(x, bias); }", "}"), "return add(x, bias);"),
        row(Message.WEIGHT_IN_CALL, "addWeight creates a weight and belongs in the @Build method",
            body("AddWeight", "    Tensor w = addWeight(\"w\", Shape.of(2), Init.ZEROS);"), "Tensor w = addWeight"),
        // arguments of ops
        row(Message.NOT_A_BOOLEAN, "`units > 2` must be a boolean literal here; write true or false",
            body("Bool", "    x = sum(x, 1, units > 2);"), "x = sum(x, 1, units > 2);"),
        row(Message.NOT_AN_INTEGER, "`1.5` is not an integer; axes and dimensions are integers",
            body("Real", "    x = sum(x, 1.5);"), "x = sum(x, 1.5);"),
        row(Message.AXIS_OUT_OF_RANGE, "sum/mean axis 3 is out of range for a rank-2 tensor of shape [?, 4] (axes go"
            + " from -2 to 1)", body("Axis", "    x = sum(x, 3);"), "x = sum(x, 3);"),
        row(Message.AXIS_TWICE, "sum/mean names axis 1 twice",
            body("Twice", "    x = sum(x, new int[] {1, 1}, false);"), "x = sum(x, new int[] {1, 1}, false);"),
        row(Message.EXPAND_AXIS_OUT_OF_RANGE, "expandDims axis 5 is out of range for a result of rank 3",
            body("Expand", "    x = expandDims(x, 5);"), "x = expandDims(x, 5);"),
        row(Message.CLIP_BOUNDS, "clip to [1, -1]: the lower bound is above the upper one; write clip(x, lo, hi) with"
            + " lo <= hi", body("Clip", "    x = clip(x, 1, -1);"), "x = clip(x, 1, -1);"),
        row(Message.RESHAPE_DIMENSION, "reshape dimensions are sizes or -1, got -2",
            body("Dim", "    x = reshape(x, -2, 4);"), "x = reshape(x, -2, 4);"),
        row(Message.RESHAPE_TWO_INFERRED, "reshape to [-1, -1]: at most one dimension may be -1",
            body("TwoInferred", "    x = reshape(x, -1, -1);"), "x = reshape(x, -1, -1);"),
        row(Message.STRIDES, "conv2d strides are 1 or more, got 0",
            layer("Strides", "  @Call Tensor call(@Dims({-1, 8, 8, 1}) Tensor x) {",
                "    return conv2d(x, ones(3, 3, 1, 2), 0, 1, Padding.SAME);", "  }"), "return conv2d("),
        row(Message.TRANSPOSE_PERMUTATION, "transpose needs a constant permutation (integer literals) to be differentiated; got (first, 0)",
            source("Perm", "@Layer", "public class Perm {", "  final int first;", "  Perm(int first) { this.first = first; }",
                "  @Call Tensor call(Tensor x) { return transpose(x, first, 0); }", "}"), "return transpose(x, first, 0);"),
        row(Message.MOVING_AVERAGE_OF_WEIGHT, "movingAverage updates a @Weight field (a non-trainable moving statistic)",
            body("Moving", "    x = movingAverage(mean(x, 0), x, 0.9);"), "x = movingAverage("),
        // static shapes
        row(Message.BROADCAST, "cannot broadcast [?, 4] with [5]: dimension 4 does not match 5",
            body("Broadcast", "    x = add(x, ones(5));"), "x = add(x, ones(5));"),
        row(Message.RANK, "matmul needs a rank-2 right operand, got rank 1 with shape [4]",
            body("Rank", "    x = matmul(x, ones(4));"), "x = matmul(x, ones(4));"),
        row(Message.MIN_RANK, "gather needs params of rank 1 or more, got rank 0 with shape []",
            body("MinRank", "    x = gather(scalar(1), x);"), "x = gather(scalar(1), x);"),
        row(Message.SCALAR_INPUT, "softmax needs a tensor of rank 1 or more (it normalizes the last axis), got a scalar",
            body("Scalar", "    x = softmax(scalar(1));"), "x = softmax(scalar(1));"),
        row(Message.MATMUL_INNER, "matmul of [?, 4] and [3, 2]: the inner dimensions 4 and 3 differ",
            body("Inner", "    x = matmul(x, ones(3, 2));"), "x = matmul(x, ones(3, 2));"),
        row(Message.BIAS_SIZE, "biasAdd of a bias of 5 values to an input whose last axis has 4: [?, 4]",
            body("Bias", "    x = biasAdd(x, ones(5));"), "x = biasAdd(x, ones(5));"),
        row(Message.CONV_CHANNELS, "conv2d of an input with 1 channels [?, 8, 8, 1] and a kernel for 2 channels",
            layer("Channels", "  @Call Tensor call(@Dims({-1, 8, 8, 1}) Tensor x) {",
                "    return conv2d(x, ones(3, 3, 2, 8));", "  }"), "return conv2d("),
        row(Message.WINDOW_LARGER_THAN_INPUT, "pooling with VALID padding needs inputs at least as large as its window:"
            + " 8 < 9", layer("Window", "  @Call Tensor call(@Dims({-1, 8, 8, 1}) Tensor x) {",
                "    return maxPool(x, 9);", "  }"), "return maxPool(x, 9);"),
        row(Message.RESHAPE_SIZE, "cannot reshape [2, 3] (6 elements) to [4, 2] (8 elements)",
            body("Size", "    x = reshape(ones(2, 3), 4, 2);"), "x = reshape(ones(2, 3), 4, 2);"),
        row(Message.TRANSPOSE_RANK, "transpose of a rank-3 tensor [2, 3, 4] needs 3 axes in its permutation, got 2",
            body("TransposeRank", "    x = transpose(ones(2, 3, 4), 1, 0);"), "x = transpose(ones(2, 3, 4), 1, 0);"),
        row(Message.SLICE_RANGE, "slice [0, 10) of axis 1 of [?, 4] is out of range",
            body("Slice", "    x = slice(x, 1, 0, 10);"), "x = slice(x, 1, 0, 10);"),
        row(Message.TAKE_RANGE, "take 7 of axis 1 of [?, 4] is out of range",
            body("Take", "    x = take(x, 1, 7);"), "x = take(x, 1, 7);"),
        row(Message.CONCAT_RANKS, "concat of tensors of different ranks: [?, 4] and [3]",
            body("ConcatRanks", "    x = concat(x, ones(3), 0);"), "x = concat(x, ones(3), 0);"),
        row(Message.CONCAT_DIMENSIONS, "concat along axis 1 needs the other dimensions equal, got [2, 3] and [3, 3]",
            body("ConcatDims", "    x = concat(ones(2, 3), ones(3, 3), 1);"), "x = concat(ones(2, 3), ones(3, 3), 1);"),
        // declarations
        row(Message.BUILD_TWICE, "a layer has one @Build method; merge this one into 'build'",
            source("TwoBuilds", "@Layer", "public class TwoBuilds {", "  @Build void build(Shape s) {}",
                "  @Build void again(Shape s) {}", "  @Call Tensor call(Tensor x) { return x; }", "}"), "void again"),
        row(Message.CALL_OVERLOADED, "another @Call method is named 'call' too",
            source("Overloaded", "@Layer", "public class Overloaded {", "  @Call Tensor call(Tensor x) { return x; }",
                "  @Call Tensor call(Tensor x, Tensor y) { return y; }", "}"), "Tensor call(Tensor x, Tensor y)"),
        row(Message.BUILD_OF_FUNCTIONS, "@Build creates the weights of a layer object",
            source("StaticBuild", "@Layer", "public class StaticBuild {", "  @Build static void build(Shape s) {}",
                "  @Call Tensor call(Tensor x) { return x; }", "}"), "@Build static void build"),
        row(Message.BUILD_PARAMETER, "@Build receives the Shape of each @Call input, got int for 'n'",
            source("BuildInt", "@Layer", "public class BuildInt {", "  @Build void build(int n) {}",
                "  @Call Tensor call(Tensor x) { return x; }", "}"), "void build(int n)"),
        row(Message.INSTANCE_CALL_OUTSIDE_LAYER, "an instance @Call method belongs to a @Layer or @Model class",
            source("NotALayer", "public class NotALayer {", "  @Call Tensor call(Tensor x) { return x; }", "}"),
            "@Call Tensor call"),
        row(Message.CALL_RETURN_TYPE, "@Call method 'call' must return Tensor, or a record of Tensors for several outputs, got int",
            source("ReturnsInt", "@Layer", "public class ReturnsInt {", "  @Call int call(Tensor x) { return 1; }", "}"),
            "@Call int call"),
        row(Message.ORDER_NEEDS_TENSOR, "@Call(order = 2) on 'pair': second derivatives are generated for functions of"
            + " one Tensor result, not a test.Pair2.P; remove order = 2 or return one Tensor",
            source("Pair2", "public class Pair2 {", "  public record P(Tensor a, Tensor b) {}",
                "  @Call(order = 2) static P pair(Tensor x) { return new P(x, x); }", "}"),
            "@Call(order = 2) static P pair"),
        row(Message.RECORD_FOR_TENSOR, "`this.pair(x)` is a P of several tensors; take one of them: P r ="
            + " this.pair(x); then r.a()",
            source("Pair3", "@Layer", "public class Pair3 {", "  public record P(Tensor a, Tensor b) {}",
                "  @Call P pair(Tensor x) { return new P(x, x); }",
                "  @Call Tensor call(Tensor x) { return add(x, this.pair(x)); }", "}"),
            "return add(x, this.pair(x))"),
        row(Message.TENSOR_FOR_RECORD, "`x` is not a record of tensors; return new P(...) of tensors, or a call that"
            + " returns one",
            source("Pair4", "@Layer", "public class Pair4 {", "  public record P(Tensor a, Tensor b) {}",
                "  @Call P call(Tensor x) { return x; }", "}"),
            "return x;"),
        row(Message.NO_SUCH_COMPONENT, "P has no component 'c'; its components are [a, b]",
            source("Pair5", "@Layer", "public class Pair5 {", "  public record P(Tensor a, Tensor b) {}",
                "  @Call P pair(Tensor x) { return new P(x, x); }",
                "  @Call Tensor call(Tensor x) {", "    P p = pair(x);", "    return p.c();", "  }", "}"),
            "return p.c();"),
        row(Message.REASSIGN_RECORD, "'p' holds several outputs and cannot be reassigned; declare another local for"
            + " the new ones",
            source("Pair6", "@Layer", "public class Pair6 {", "  public record P(Tensor a, Tensor b) {}",
                "  @Call P pair(Tensor x) { return new P(x, x); }",
                "  @Call Tensor call(Tensor x) {", "    P p = pair(x);", "    p = pair(add(x, 1.0));", "    return p.a();",
                "  }", "}"),
            "p = pair(add(x, 1.0));"),
        row(Message.CALL_WITHOUT_INPUTS, "@Call method 'call' needs at least one Tensor input",
            source("NoInputs", "@Layer", "public class NoInputs {", "  @Call Tensor call() { return null; }", "}"),
            "@Call Tensor call()"),
        row(Message.CALL_PARAMETER, "@Call inputs are tensors; 'n' has type int",
            source("IntInput", "@Layer", "public class IntInput {", "  @Call Tensor call(Tensor x,", "      int n) {",
                "    return x;", "  }", "}"), "int n)"),
        row(Message.CALL_NAMES_COLLIDE, "@Call methods 'fooBar' and 'foo_bar' would both generate the constant FOO_BAR",
            source("Collide", "public class Collide {", "  @Call static Tensor fooBar(Tensor x) { return x; }",
                "  @Call static Tensor foo_bar(Tensor x) { return x; }", "}"), "foo_bar(Tensor x)"),
        row(Message.CALL_NAMES_COLLIDE, "@Call methods 'call' and 'Call' would both generate the record CallForward",
            source("Capital", "@Layer", "public class Capital {", "  @Call Tensor call(Tensor x) { return x; }",
                "  @Call Tensor Call(Tensor x) { return x; }", "}"), "Tensor Call(Tensor x)"),
        row(Message.CALL_WITHOUT_BODY, "@Call method 'call' has no body",
            source("NoBody", "@Layer", "public abstract class NoBody {", "  @Call abstract Tensor call(Tensor x);", "}"),
            "abstract Tensor call"),
        row(Message.INPUT_NAMES_COLLIDE, "inputs 'x' and 'X' would both have the gradient 'dX'",
            source("Cases", "public class Cases {", "  @Call static Tensor f(Tensor x,", "      Tensor X) { return add(x, X); }",
                "}"), "Tensor X)"),
        row(Message.INACCESSIBLE, "class 'Inner' is private, but the generated PrivateNested_Inner_Graph reads it",
            source("PrivateNested", "public class PrivateNested {", "  @Layer private static class Inner {",
                "    @Call Tensor call(Tensor x) { return x; }", "  }", "}"), "@Layer private static class Inner"),
        row(Message.GRAPH_CLASS_TAKEN, "the generated class test.Taken_Graph cannot be written",
            source("Taken", "@Layer", "public class Taken {", "  @Call Tensor call(Tensor x) { return x; }", "}",
                "class Taken_Graph {}"), "public class Taken {"),
        row(Message.NEW_LAYER_IN_CALL, "`new Inner()` in a @Call body would make a new layer",
            source("NewInCall", "@Layer", "public class NewInCall {",
                "  @Layer public static class Inner { @Call Tensor call(Tensor x) { return x; } }",
                "  @Call Tensor call(Tensor x) { return new Inner().call(x); }", "}"), "return new Inner().call(x);"),
        row(Message.INHERITED_CALL, "ChildLayer inherits @Call call() from ParentLayer",
            source("ChildLayer", "@Layer", "public class ChildLayer extends ParentLayer {", "}",
                "@Layer class ParentLayer { @Call Tensor call(Tensor x) { return x; } }"),
            "public class ChildLayer extends ParentLayer"),
        row(Message.INHERITED_CALL, "Defaulted inherits @Call call() from Callable",
            source("Defaulted", "@Layer", "public class Defaulted implements Callable {", "}",
                "interface Callable { @Call default Tensor call(Tensor x) { return x; } }"),
            "public class Defaulted implements Callable"),
        row(Message.LAYER_WITHOUT_CALL, "@Layer class NoCall has no @Call method",
            source("NoCall", "@Layer", "public class NoCall {", "}"), "public class NoCall"),
        row(Message.LAYER_RECORD, "@Layer on a record",
            source("RecordLayer", "@Layer", "public record RecordLayer(int units) {",
                "  @Call public Tensor call(Tensor x) { return x; }", "}"), "public record RecordLayer"),
        row(Message.BODY_TOO_LARGE, "@Call method 'f' is too large for the generated code: its backward reads",
            source("Deep", "public class Deep {", "  @Call static Tensor f(Tensor x) {",
                "    x = tanh(x);\n".repeat(300) + "    return x;", "  }", "}"), "static Tensor f(Tensor x)"),
        row(Message.BODY_TOO_LARGE, "@Call method 'g' is too large for the generated code: it makes",
            source("LongBody", "public class LongBody {", "  @Call static Tensor g(@Dims({2, 3}) Tensor x) {",
                "    x = neg(reverse(x, 1));\n".repeat(1300) + "    return x;", "  }", "}"), "static Tensor g(@Dims({2, 3}) Tensor x)"),
        row(Message.ORDER_RANGE, "@Call(order = 3) on 'f': the order is 1",
            source("Third", "public class Third {", "  @Call(order = 3)", "  static Tensor f(Tensor x) { return x; }", "}"),
            "static Tensor f"),
        row(Message.ORDER_2_THROUGH, "@Call(order = 2) on 'call': the backward of its backward cannot pass through a"
            + " `for` loop", source("SecondLayer", "@Layer", "public class SecondLayer {", "  @Call(order = 2)",
                "  Tensor call(Tensor x) {", "    for (int i = 0; i < 3; i++) { x = tanh(x); }", "    return x;", "  }",
                "}"), "Tensor call(Tensor x)"),
        row(Message.GRADIENT_THROUGH, "gradient(...) cannot pass through a `for` loop",
            source("LoopGradient", "@Layer", "public class LoopGradient {", "  @Call Tensor call(Tensor x) {",
                "    Tensor y = x;", "    for (int i = 0; i < 3; i++) { y = tanh(y); }", "    return gradient(y, x);",
                "  }", "}"), "gradient(y, x)"),
        row(Message.GRADIENT_NEEDS_ORDER_2, "gradient(...) passes through FirstOnly.Inner.call, whose backward has no"
            + " backward of its own", source("FirstOnly", "@Layer", "public class FirstOnly {",
                "  @Layer public static class Inner { @Call Tensor call(Tensor x) { return tanh(x); } }",
                "  final Inner inner = new Inner();",
                "  @Call Tensor call(Tensor x) { return gradient(inner.call(x), x); }", "}"),
            "gradient(inner.call(x), x)"),
        row(Message.GRADIENT_NOT_AT_TOP, "gradient(...) inside `if` or `for` is not supported",
            source("BranchGradient", "@Layer", "public class BranchGradient {", "  final boolean on = true;",
                "  @Call Tensor call(Tensor x) {", "    Tensor y = x;", "    if (on) { y = gradient(square(x), x); }",
                "    return y;", "  }", "}"), "gradient(square(x), x)"),
        row(Message.GRADIENT_UNRELATED, "`square(x)` is not computed from `z`, so its gradient would be zero",
            source("UnrelatedGradient", "@Layer", "public class UnrelatedGradient {",
                "  @Call Tensor call(Tensor x, Tensor z) { return gradient(square(x), z); }", "}"),
            "gradient(square(x), z)"),
        row(Message.ORDER_NEEDS_STRAIGHT_LINE, "@Call(order = 2) on 'f': second derivatives are generated for"
            + " straight-line bodies", source("Looped", "public class Looped {", "  @Call(order = 2)",
                "  static Tensor f(Tensor x) {", "    for (int i = 0; i < 3; i++) { x = tanh(x); }", "    return x;", "  }",
                "}"), "static Tensor f"),
        row(Message.WEIGHT_TYPE, "@Weight field 'w' must have type Variable, got dev.leibniz.dsl.Tensor",
            source("TensorWeight", "@Layer", "public class TensorWeight {", "  @Weight Tensor w;",
                "  @Call Tensor call(Tensor x) { return x; }", "}"), "@Weight Tensor w;"),
        row(Message.WEIGHT_FINAL, "@Weight field 'w' is assigned by @Build, once per layer object",
            source("FinalWeight", "@Layer", "public class FinalWeight {", "  @Weight final Variable w = null;",
                "  @Call Tensor call(Tensor x) { return x; }", "}"), "@Weight final Variable w"));

  static Stream<Row> rows() {
    return ROWS.stream();
  }

  /**
   * Not caused by a source: the processor's own failures (INTERNAL, which no source can be written
   * to cause) and another compiler than javac (EclipseCompilerTest).
   */
  static final Set<Message> NOT_CAUSED_BY_A_SOURCE = EnumSet.of(Message.INTERNAL, Message.UNSUPPORTED_COMPILER);

  /** Every row's source in one compilation: each class is checked on its own, so its errors are its own. */
  private static Compilation all;

  static synchronized Compilation all() {
    if (all == null) {
      all = javac().withOptions("-Xmaxerrs", "1000").withProcessors(new LeibnizProcessor())
          .compile(rows().map(Row::source).toList());
    }
    return all;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void messageOnItsFileAndLine(Row row) {
    assertThat(all()).hadErrorContaining(row.message().tag() + " " + row.text()).inFile(row.source())
        .onLineContaining(row.line());
  }

  @Test
  void everyMessageOfTheCatalogueHasARow() {
    Set<Message> covered = rows().map(Row::message).collect(Collectors.toSet());
    List<Message> missing = Stream.of(Message.values())
        .filter(m -> !covered.contains(m) && !NOT_CAUSED_BY_A_SOURCE.contains(m)).toList();
    assertEquals(List.of(), missing, "messages without a row in this table");
  }

  @Test
  void declarationAndBodyProblemsInOneCompile() {
    JavaFileObject src = source("BothKinds", "@Layer", "public class BothKinds {", "  @Weight Tensor w;",
        "  @Call Tensor call(Tensor x) {", "    return reluu(x);", "  }", "}");
    Compilation c = javac().withProcessors(new LeibnizProcessor()).compile(src);
    assertThat(c).hadErrorContaining("[leibniz.BadWeight]").inFile(src).onLineContaining("@Weight Tensor w;");
    assertThat(c).hadErrorContaining("did you mean 'relu'?").inFile(src).onLineContaining("return reluu(x);");
  }

  /** A choice @Build makes (from the input's shape) may be branched on: it is fixed before the graph is built. */
  @Test
  void aFieldAssignedOnlyInBuildMayBeBranchedOnAndOneAssignedElsewhereNot() {
    String[] chooses = {"@Layer", "public class Chooses {", "  @Weight Variable kernel;", "  boolean wide;",
        "  @Build void build(Shape input) {",
        "    kernel = addWeight(\"kernel\", Shape.of(input.last(), input.last()), Init.GLOROT_UNIFORM);",
        "    wide = input.last() >= 4;", "  }",
        "  @Call Tensor call(@Dims({-1, 4}) Tensor x) {", "    if (wide) {", "      x = relu(matmul(x, kernel));", "    }",
        "    return x;", "  }"};
    Compilation ok = javac().withProcessors(new LeibnizProcessor()).compile(source("Chooses",
        Stream.concat(Stream.of(chooses), Stream.of("}")).toArray(String[]::new)));
    assertThat(ok).succeeded();
    JavaFileObject src = source("Chooses", Stream.concat(Stream.of(chooses),
        Stream.of("  void widen() { wide = true; }", "}")).toArray(String[]::new));
    Compilation c = javac().withProcessors(new LeibnizProcessor()).compile(src);
    assertThat(c).hadErrorContaining("[leibniz.MutableConfig]").inFile(src).onLineContaining("if (wide) {");
    assertThat(c).hadErrorContaining("or assign it only in the @Build method").inFile(src).onLineContaining("if (wide) {");
  }

  @Test
  void everyProblemOfAClassInOneCompile() {
    JavaFileObject src = body("ManyProblems",
        "    if (sum(x) == null) { x = relu(x); }",
        "    Tensor y = addWeight(\"w\", Shape.of(2), Init.ZEROS);",
        "    Tensor z = mul(x, mutable);",
        "    for (int i = 0; i != units; i++) { x = tanh(x); }",
        "    x = reluu(x);");
    Compilation c = javac().withProcessors(new LeibnizProcessor()).compile(src);
    assertThat(c).hadErrorContaining("[leibniz.TensorCondition]").inFile(src).onLineContaining("if (sum(x) == null)");
    assertThat(c).hadErrorContaining("[leibniz.WeightInCall]").inFile(src).onLineContaining("Tensor y = addWeight");
    assertThat(c).hadErrorContaining("[leibniz.MutableConfig]").inFile(src).onLineContaining("Tensor z = mul(x, mutable);");
    assertThat(c).hadErrorContaining("[leibniz.UnsupportedLoop]").inFile(src).onLineContaining("i != units");
    assertThat(c).hadErrorContaining("did you mean 'relu'?").inFile(src).onLineContaining("x = reluu(x);");
    assertEquals(5, c.errors().size(), c.errors().toString());
  }
}
