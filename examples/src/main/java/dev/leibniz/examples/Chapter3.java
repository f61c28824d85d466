package dev.leibniz.examples;

import static dev.leibniz.dsl.Ops.add;
import static dev.leibniz.dsl.Ops.addWeight;
import static dev.leibniz.dsl.Ops.matmul;
import static dev.leibniz.dsl.Ops.relu;
import static dev.leibniz.dsl.Ops.square;

import dev.leibniz.Function;
import dev.leibniz.Leibniz;
import dev.leibniz.Model;
import dev.leibniz.Value;
import dev.leibniz.Var;
import dev.leibniz.dsl.Build;
import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Init;
import dev.leibniz.dsl.Layer;
import dev.leibniz.dsl.Shape;
import dev.leibniz.dsl.Tensor;
import dev.leibniz.dsl.Variable;
import dev.leibniz.dsl.Weight;
import java.util.List;

/**
 * "Deep Learning with Python", chapter 3, listings 3.1 to 3.12 and 3.22, one method each, on
 * Leibniz's values, variables and compiled functions (no TensorFlow types). Listings 3.13-3.21
 * are {@link LinearClassifier}, 3.12 also {@link FallingApple}, 3.24 {@link KerasLinearClassifier}.
 */
public final class Chapter3 {
  private Chapter3() {}

  /** 3.1: all-ones and all-zeros tensors of shape (2, 1). */
  public static List<Value> onesAndZeros() {
    return List.of(Value.ones(2, 1), Value.zeros(2, 1));
  }

  /** 3.2: random tensors of shape (3, 1), normal (mean 0, stddev 1) and uniform in [0, 1). */
  public static List<Value> randomTensors() {
    return List.of(Value.randomNormal(Shape.of(3, 1)), Value.randomUniform(Shape.of(3, 1)));
  }

  /** 3.3 and 3.4: a value is not assignable (as a TensorFlow tensor); {@code with} makes a changed copy. */
  public static Value notAssignable() {
    Value x = Value.ones(2, 2);
    return x.with(0f, 0, 0);
  }

  /** 3.5 to 3.8: a variable, assigned, assigned at one element, then added to. */
  public static List<Value> variable() {
    Var v = Var.of(Value.randomNormal(Shape.of(3, 1)));
    Value initial = v.value();
    v.assign(Value.ones(3, 1));
    Value ones = v.value();
    v.assign(3f, 0, 0);
    Value three = v.value();
    v.assignAdd(Value.ones(3, 1));
    return List.of(initial, ones, three, v.value());
  }

  /** 3.9: math on values: square, sqrt, sum, matmul, product, at any point printable. */
  public static Value math() {
    Value a = Value.ones(2, 2);
    Value b = a.square();
    Value c = a.sqrt();
    Value d = b.add(c);
    Value e = a.matmul(b);
    return e.mul(d);
  }

  /** x^2, for listings 3.10 and 3.11. */
  @Call(order = 2)
  static Tensor squared(Tensor x) {
    return square(x);
  }

  /** 3.10: the gradient of x^2 at a scalar variable holding 3: 6. */
  public static Value gradientOfVariable() {
    Var x = Var.of(3f);
    try (Function f = Leibniz.function(Chapter3_Graph.SQUARED)) {
      return f.gradient(0, x.value());
    }
  }

  /** 3.11: the same with a constant input, which needs no watching: 6. */
  public static Value gradientOfConstant() {
    try (Function f = Leibniz.function(Chapter3_Graph.SQUARED)) {
      return f.gradient(0, Value.of(3f));
    }
  }

  /** 3.12: speed and acceleration of the falling apple at time 0: 0 and 9.8. */
  public static List<Value> nestedGradients() {
    Var time = Var.of(0f);
    try (Function position = Leibniz.function(FallingApple_Graph.POSITION)) {
      return List.of(position.gradient(0, time.value()), position.secondDerivative(0, time.value()));
    }
  }

  /** 3.22: a Dense layer written from scratch: W random normal, b zeros, created on the first call. */
  @Layer
  public static final class SimpleDense {
    final int units;
    final boolean relu;
    @Weight Variable w;
    @Weight Variable b;

    public SimpleDense(int units, boolean relu) {
      this.units = units;
      this.relu = relu;
    }

    @Build
    void build(Shape input) {
      w = addWeight("W", Shape.of(input.last(), units), Init.normal(0, 0.05));
      b = addWeight("b", Shape.of(units), Init.ZEROS);
    }

    @Call
    public Tensor call(Tensor inputs) {
      Tensor y = add(matmul(inputs, w), b);
      if (relu) {
        y = relu(y);
      }
      return y;
    }
  }

  /** 3.22: SimpleDense(32, relu) called on ones of shape (2, 784) gives shape (2, 32). */
  public static Value simpleDense() {
    try (Model dense = Leibniz.model(new SimpleDense(32, true))) {
      return dense.call(Value.ones(2, 784));
    }
  }

  public static void main(String[] args) {
    System.out.println("3.1  " + onesAndZeros());
    System.out.println("3.2  " + randomTensors());
    System.out.println("3.4  " + notAssignable());
    System.out.println("3.5-3.8 " + variable());
    System.out.println("3.9  " + math());
    System.out.println("3.10 " + gradientOfVariable());
    System.out.println("3.11 " + gradientOfConstant());
    System.out.println("3.12 speed, acceleration " + nestedGradients());
    System.out.println("3.22 output shape " + java.util.Arrays.toString(simpleDense().shape()));
  }
}
