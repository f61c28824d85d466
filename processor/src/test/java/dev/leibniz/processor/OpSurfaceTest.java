package dev.leibniz.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.leibniz.dsl.Ops;
import dev.leibniz.processor.ops.OpRegistry;
import dev.leibniz.tf.Nn;
import dev.leibniz.tf.Tf;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The op surface agrees with itself: the public op functions of {@code dev.leibniz.dsl.Ops} are
 * the ops the processor knows, and the bridge methods generated code calls ({@code tf.x(...)},
 * {@code tf.nn().y(...)}) are exactly the public methods of {@link Tf} and {@link Nn}: every op's
 * forward, derivative and second derivative, compiled here, calls only what the bridge has, and
 * the bridge has nothing generated code does not call.
 */
class OpSurfaceTest {
  /** One second-order function per op of the DSL, and a layer for what needs one (weights, branches, loops). */
  static final JavaFileObject EVERY_OP = JavaFileObjects.forSourceString("test.EveryOp", String.join("\n",
      "package test;",
      "import static dev.leibniz.dsl.Ops.*;",
      "import dev.leibniz.dsl.*;",
      "public class EveryOp {",
      "  @Call(order = 2) static Tensor arithmetic(Tensor a, Tensor b) {",
      "    return div(mul(sub(add(a, b), 1.0), neg(b)), add(b, 3.0));",
      "  }",
      "  @Call(order = 2) static Tensor elementwise(Tensor x) {",
      "    return add(add(square(x), add(sqrt(x), rsqrt(x))), add(exp(x), add(log(x), add(pow(x, 3), softplus(x)))));",
      "  }",
      "  @Call(order = 2) static Tensor nonlinear(Tensor x) { return add(tanh(x), add(sigmoid(x), add(relu(x), leakyRelu(x, 0.2)))); }",
      "  @Call(order = 2) static Tensor piecewise(Tensor x, Tensor y) {",
      "    return add(mul(abs(x), sign(y)), add(maximum(x, y), add(minimum(x, 0.5), clip(y, -1, 1))));",
      "  }",
      "  @Call(order = 2) static Tensor normalized(Tensor x) { return add(softmax(x), logSoftmax(x)); }",
      "  @Call(order = 2) static Tensor crossEntropies(Tensor labels, Tensor ids, Tensor logits) {",
      "    return add(softmaxCrossEntropy(labels, logits), sparseSoftmaxCrossEntropy(ids, logits));",
      "  }",
      "  @Call(order = 2) static Tensor reduced(Tensor x) { return add(sum(x, 1, true), mean(x, new int[] {1}, true)); }",
      "  @Call(order = 2) static Tensor allReduced(Tensor x) { return add(sum(x), add(mean(x), add(max(x), sum(max(x, 1))))); }",
      "  @Call(order = 2) static Tensor matrices(Tensor a, Tensor b) { return matmul(transpose(a), b); }",
      "  @Call(order = 2) static Tensor shaped(@Dims({2, 3, 4}) Tensor x) {",
      "    return mul(reshape(flatten(x), 2, 3, 4), transpose(mergeLeadingThenBack(x), 0, 1, 2));",
      "  }",
      "  @Call(order = 2) static Tensor mergeLeadingThenBack(@Dims({2, 3, 4}) Tensor x) {",
      "    return reshape(mergeLeading(x), 2, 3, 4);",
      "  }",
      "  @Call(order = 2) static Tensor expanded(Tensor x) { return mul(expandDims(x, 1), expandDims(x, 0)); }",
      "  @Call(order = 2) static Tensor heads(@Dims({-1, 3, 6}) Tensor x) { return mergeLast(splitLast(x, 2, 3)); }",
      "  @Call(order = 2) static Tensor everyStep(@Dims({-1, 3, 6}) Tensor x) { return splitFirst(mergeFirst(x), x); }",
      "  @Call(order = 2) static Tensor causal(@Dims({2, 3, 3}) Tensor x) { return lowerTriangle(x); }",
      "  @Call(order = 2) static Tensor backwards(@Dims({2, 3}) Tensor x) { return reverse(x, 1); }",
      "  @Call(order = 2) static Tensor positions(@Dims({5, 3}) Tensor t, @Dims({-1, 4, 3}) Tensor x) {",
      "    return mul(x, firstRows(t, x));",
      "  }",
      "  @Call(order = 2) static Tensor batchedProduct(@Dims({2, 3, 4}) Tensor a, @Dims({2, 4, 5}) Tensor b) {",
      "    return matmul(a, b);",
      "  }",
      "  @Call(order = 2) static Tensor labels(Tensor ids, Tensor x) { return mul(oneHot(ids, x), x); }",
      "  @Call(order = 2) static Tensor constants(Tensor x) {",
      "    return add(mul(x, scalar(2.0)), add(mul(ones(3), zeros(3)), mul(onesLike(x), zerosLike(x))));",
      "  }",
      "  @Call(order = 2) static Tensor selected(Tensor a, Tensor b) { return where(greater(a, b), a, where(less(a, 0.0), b, where(greaterEqual(b, a), 1.0, lessEqual(a, 2.0)))); }",
      "  @Call(order = 2) static Tensor gathered(Tensor table, Tensor ids) { return gather(table, ids); }",
      "  @Call(order = 2) static Tensor sliced(Tensor x) {",
      "    return concat(slice(x, 1, 0, 2), expandDims(take(x, 1, 2), 1), 1);",
      "  }",
      "  @Call(order = 2) static Tensor convolved(Tensor x, Tensor k) {",
      "    return add(biasAdd(conv2d(x, k, 1, 1, Padding.SAME), scalarBias(k)), conv2d(x, k));",
      "  }",
      "  @Call(order = 2) static Tensor scalarBias(Tensor k) { return sum(k, new int[] {0, 1, 2}, false); }",
      "  @Call(order = 2) static Tensor pooled(Tensor x) { return add(square(maxPool(x, 2)), avgPool(x, 2, 2, 2, 2, Padding.VALID)); }",
      "  @Call(order = 2) static Tensor grown(@Dims({-1, 4, 4, 2}) Tensor x, @Dims({3, 3, 2, 2}) Tensor k) {",
      "    return add(square(upSample2d(x, 2)), conv2dTranspose(x, k, 2, 2, Padding.SAME));",
      "  }",
      "  @Call(order = 2) static Tensor modes(Tensor x) { return mul(dropout(x, 0.5), add(training(), add(randomNormal(x), sum(randomNormal(x, 3))))); }",
      "  @Call(order = 2) static Tensor regularized(Tensor x) { return addLoss(square(x), sum(x)); }",
      "",
      "  public record Pair(Tensor h, Tensor c) {}",
      "",
      "  @Layer",
      "  public static class Recurrent {",
      "    @Call Tensor call(Tensor x) { return add(rnn(this::step, x, false, 3), sum(rnn(this::pair, x, true, 3, 3), 1, false)); }",
      "    @Call Tensor both(Tensor x, Tensor mask) {",
      "      Ops.WithStates s = rnnStates(this::pair, x, mask, false, 3, 3);",
      "      return add(rnn(this::pair, x, mask, false, s.h(), s.c()), add(s.output(), rnn(this::step, x, false, s.h())));",
      "    }",
      "    @Call Tensor step(Tensor x, Tensor h) { return tanh(add(h, sum(x, 1, true))); }",
      "    @Call Pair pair(Tensor x, Tensor h, Tensor c) { return new Pair(tanh(add(h, c)), add(c, sum(x, 1, true))); }",
      "  }",
      "",
      "  @Layer",
      "  public static class Smooth {",
      "    @Call(order = 2) Tensor call(Tensor x) { return tanh(x); }",
      "  }",
      "",
      "  @Layer",
      "  public static class Penalized {",
      "    final Smooth inner = new Smooth();",
      "    @Call Tensor call(Tensor x) { return square(gradient(inner.call(mul(x, x)), x)); }",
      "  }",
      "",
      "  @Layer",
      "  public static class Regions {",
      "    final boolean flag;",
      "    final int steps;",
      "    @Weight Variable kernel;",
      "    @Weight Variable bias;",
      "    @Weight Variable moving;",
      "    final String mode = \"tanh\";",
      "    Regions(boolean flag, int steps) { this.flag = flag; this.steps = steps; }",
      "    @Build void build(Shape input) {",
      "      kernel = addWeight(\"kernel\", Shape.of(input.last(), input.last()), Init.GLOROT_UNIFORM);",
      "      moving = addWeight(\"moving\", Shape.of(input.last()), Init.ZEROS, false);",
      "      if (flag) {",
      "        bias = addWeight(\"bias\", Shape.of(input.last()), Init.ZEROS);",
      "      }",
      "    }",
      "    @Call Tensor call(Tensor x) {",
      "      Tensor t = x;",
      "      if (mode.equals(\"tanh\")) {",
      "        t = tanh(x);",
      "      }",
      "      Tensor h = movingAverage(moving, matmul(x, kernel), 0.9);",
      "      for (int i = 0; i < steps; i++) {",
      "        var half = 0.5;",
      "        h = add(h, mul(t, half));",
      "      }",
      "      if (flag) {",
      "        h = add(add(h, bias), t);",
      "      }",
      "      return mul(h, x);",
      "    }",
      "  }",
      "}"));

  static final Pattern BRIDGE_CALL = Pattern.compile("\\btf\\.(nn\\(\\)\\.)?(\\w+)\\(");

  @Test
  void dslOpsAreTheOpsTheProcessorKnows() {
    Set<String> dsl = publicMethods(Ops.class);
    dsl.remove("addWeight"); // @Build's, not an op
    assertEquals(dsl, new TreeSet<>(OpRegistry.dslNames()));
  }

  @Test
  void generatedCodeCallsExactlyTheBridgesVocabulary() throws IOException {
    String source = EVERY_OP.getCharContent(true).toString();
    List<String> unused = OpRegistry.dslNames().stream().filter(op -> !source.contains(op + "(")).toList();
    assertEquals(List.of(), unused, "ops this test's source does not use");

    Compilation c = javac().withProcessors(new LeibnizProcessor()).compile(EVERY_OP);
    assertThat(c).succeeded();
    Set<String> tfCalls = new TreeSet<>();
    Set<String> nnCalls = new TreeSet<>();
    for (JavaFileObject generated : c.generatedSourceFiles()) {
      Matcher m = BRIDGE_CALL.matcher(generated.getCharContent(true));
      while (m.find()) {
        if (m.group(1) != null) {
          tfCalls.add("nn");
        }
        (m.group(1) == null ? tfCalls : nnCalls).add(m.group(2));
      }
    }
    assertEquals(publicMethods(Tf.class), tfCalls, "Tf's public methods against the tf.x(...) calls of generated code");
    assertEquals(publicMethods(Nn.class), nnCalls, "Nn's public methods against the tf.nn().x(...) calls");
  }

  static Set<String> publicMethods(Class<?> type) {
    List<Method> declared = new ArrayList<>(Arrays.asList(type.getDeclaredMethods()));
    return declared.stream().filter(m -> Modifier.isPublic(m.getModifiers()) && !m.isSynthetic())
        .map(Method::getName).collect(Collectors.toCollection(TreeSet::new));
  }
}
