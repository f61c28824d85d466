package dev.leibniz.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** Every error the processor reports, asserted on its message, file and line. */
class ErrorsTest {
  private static JavaFileObject layer(String name, String body) {
    return JavaFileObjects.forSourceString("test." + name, String.join("\n",
        "package test;",
        "import static dev.leibniz.dsl.Ops.*;",
        "import dev.leibniz.dsl.*;",
        "@Layer",
        "public class " + name + " {",
        "  @Weight Variable kernel;",
        "  final int units = 4;",
        "  int mutable = 2;",
        "  @Build void build(Shape input) {",
        "    kernel = addWeight(\"kernel\", Shape.of(input.last(), units), Init.GLOROT_UNIFORM);",
        "  }",
        body,
        "}"));
  }

  private static Compilation compile(JavaFileObject source) {
    return javac().withProcessors(new LeibnizProcessor()).compile(source);
  }

  @Test
  void unsupportedStatement() {
    JavaFileObject src = layer("WhileLayer", String.join("\n",
        "  @Call Tensor call(Tensor x) {",
        "    while (true) { x = relu(x); }",
        "  }"));
    Compilation c = compile(src);
    assertThat(c).hadErrorContaining("[leibniz.UnsupportedStatement] a while statement is not supported in a @Call body")
        .inFile(src).onLineContaining("while (true)");
  }

  @Test
  void unknownOpSuggestsTheNearestOne() {
    JavaFileObject src = layer("TypoLayer", String.join("\n",
        "  @Call Tensor call(Tensor x) {",
        "    return matmull(x, kernel);",
        "  }"));
    Compilation c = compile(src);
    assertThat(c).hadErrorContaining("[leibniz.UnknownOp] 'matmull' is not a Leibniz op nor a @Call method; did you mean 'matmul'?")
        .inFile(src).onLineContaining("return matmull(x, kernel);");
  }

  @Test
  void staticShapeMismatchInMatmul() {
    JavaFileObject src = layer("ShapeLayer", String.join("\n",
        "  @Call Tensor call(@Dims({-1, 3}) Tensor x) {",
        "    return matmul(x, ones(4, 2));",
        "  }"));
    Compilation c = compile(src);
    assertThat(c).hadErrorContaining("[leibniz.ShapeMismatch] matmul of [?, 3] and [4, 2]: the inner dimensions 3 and 4 differ")
        .inFile(src).onLineContaining("return matmul(x, ones(4, 2));");
  }

  @Test
  void broadcastMismatch() {
    JavaFileObject src = layer("BroadcastLayer", String.join("\n",
        "  @Call Tensor call(@Dims({-1, 3}) Tensor x) {",
        "    Tensor y = add(x, ones(5));",
        "    return y;",
        "  }"));
    assertThat(compile(src)).hadErrorContaining("[leibniz.ShapeMismatch] cannot broadcast [?, 3] with [5]")
        .inFile(src).onLineContaining("Tensor y = add(x, ones(5));");
  }

  @Test
  void convolutionShapesAreCheckedAtCompileTime() {
    JavaFileObject src = layer("ConvLayer", String.join("\n",
        "  @Call Tensor call(@Dims({-1, 28, 28, 1}) Tensor x) {",
        "    Tensor y = conv2d(x, ones(3, 3, 2, 8));",
        "    Tensor z = maxPool(conv2d(x, ones(3, 3, 1, 8)), 30);",
        "    return add(y, z);",
        "  }"));
    Compilation c = compile(src);
    assertThat(c).hadErrorContaining("[leibniz.ShapeMismatch] conv2d of an input with 1 channels [?, 28, 28, 1] and a"
        + " kernel for 2 channels [3, 3, 2, 8]").inFile(src).onLineContaining("Tensor y = conv2d(");
    assertThat(c).hadErrorContaining("[leibniz.ShapeMismatch] pooling with VALID padding needs inputs at least as large"
        + " as its window: 26 < 30").inFile(src).onLineContaining("Tensor z = maxPool(");
  }

  @Test
  void movingAverageNeedsAWeightField() {
    JavaFileObject src = layer("MovingLayer", String.join("\n",
        "  @Call Tensor call(Tensor x) {",
        "    return movingAverage(mean(x, 0), x, 0.9);",
        "  }"));
    assertThat(compile(src)).hadErrorContaining("movingAverage updates a @Weight field (a non-trainable moving"
        + " statistic); pass the field itself as its first argument")
        .inFile(src).onLineContaining("return movingAverage(");
  }

  @Test
  void weightNotCreatedByBuild() {
    JavaFileObject src = JavaFileObjects.forSourceString("test.NoBias", String.join("\n",
        "package test;",
        "import static dev.leibniz.dsl.Ops.*;",
        "import dev.leibniz.dsl.*;",
        "@Layer",
        "public class NoBias {",
        "  @Weight Variable kernel;",
        "  @Weight Variable bias;",
        "  @Build void build(Shape input) {",
        "    kernel = addWeight(\"kernel\", Shape.of(input.last(), 2), Init.GLOROT_UNIFORM);",
        "  }",
        "  @Call Tensor call(Tensor x) {",
        "    return add(matmul(x, kernel), bias);",
        "  }",
        "}"));
    assertThat(compile(src)).hadErrorContaining("[leibniz.WeightNotBuilt] weight 'bias' is read here but no @Build method assigns it")
        .inFile(src).onLineContaining("return add(matmul(x, kernel), bias);");
  }

  @Test
  void everyProblemOfAClassInOneCompile() {
    JavaFileObject src = layer("ManyProblems", String.join("\n",
        "  @Call Tensor call(Tensor x) {",
        "    if (sum(x) == null) { x = relu(x); }",
        "    Tensor y = addWeight(\"w\", Shape.of(2), Init.ZEROS);",
        "    Tensor z = mul(x, mutable);",
        "    for (int i = 0; i != units; i++) { x = tanh(x); }",
        "    return reluu(x);",
        "  }"));
    Compilation c = compile(src);
    assertThat(c).hadErrorContaining("[leibniz.TensorCondition]").inFile(src).onLineContaining("if (sum(x) == null)");
    assertThat(c).hadErrorContaining("[leibniz.WeightInCall]").inFile(src).onLineContaining("Tensor y = addWeight");
    assertThat(c).hadErrorContaining("[leibniz.MutableConfig] field 'mutable' is read while the graph is built")
        .inFile(src).onLineContaining("Tensor z = mul(x, mutable);");
    assertThat(c).hadErrorContaining("[leibniz.UnsupportedLoop]").inFile(src).onLineContaining("i != units");
    assertThat(c).hadErrorContaining("did you mean 'relu'?").inFile(src).onLineContaining("return reluu(x);");
  }

  @Test
  void javaOperatorsOnTensors() {
    JavaFileObject src = layer("OperatorLayer", String.join("\n",
        "  @Call Tensor call(Tensor x) {",
        "    Tensor y = relu(x);",
        "    return neg(3 * 2);",
        "  }"));
    assertThat(compile(src)).hadErrorContaining("[leibniz.NotATensor] `3 * 2` is a number, but a tensor is expected here")
        .inFile(src).onLineContaining("return neg(3 * 2);");
  }

  @Test
  void javaOperatorOnATensor() {
    JavaFileObject src = layer("TimesLayer", String.join("\n",
        "  @Call Tensor call(Tensor x) {",
        "    return relu(x * 2);",
        "  }"));
    assertThat(compile(src)).hadErrorContaining("[leibniz.UnsupportedExpression] the operator `*` is not supported in a"
        + " @Call body; Java operators do not apply to tensors: write add, sub, mul or div")
        .inFile(src).onLineContaining("return relu(x * 2);");
  }

  @Test
  void declarationErrorsOnTheElement() {
    JavaFileObject src = JavaFileObjects.forSourceString("test.BadDecl", String.join("\n",
        "package test;",
        "import static dev.leibniz.dsl.Ops.*;",
        "import dev.leibniz.dsl.*;",
        "@Layer",
        "public class BadDecl {",
        "  @Weight private Variable kernel;",
        "  @Call Tensor call(Tensor x, int n) { return x; }",
        "}"));
    Compilation c = compile(src);
    assertThat(c).hadErrorContaining("[leibniz.Inaccessible] @Weight field 'kernel' is private, but the generated BadDecl_Graph reads it")
        .inFile(src).onLineContaining("@Weight private Variable kernel;");
    assertThat(c).hadErrorContaining("[leibniz.BadSignature] @Call inputs are tensors; 'n' has type int")
        .inFile(src).onLineContaining("int n");
  }

  @Test
  void recursionIsReported() {
    JavaFileObject src = layer("Recursive", String.join("\n",
        "  @Call Tensor call(Tensor x) { return again(x); }",
        "  @Call Tensor again(Tensor x) { return call(relu(x)); }"));
    assertThat(compile(src)).hadErrorContaining("[leibniz.Recursion]").inFile(src).onLineContaining("return call(relu(x));");
  }
}
