package dev.leibniz.examples;

import static dev.leibniz.dsl.Ops.mul;
import static dev.leibniz.dsl.Ops.square;

import dev.leibniz.Function;
import dev.leibniz.Leibniz;
import dev.leibniz.Value;
import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Tensor;

/**
 * "Deep Learning with Python", listing 3.12: the position of a falling apple, its speed and its
 * acceleration, from first and second derivatives the compiler wrote
 * ({@code FallingApple_Graph.POSITION}: its gradient and its Hessian-vector product).
 */
public final class FallingApple {
  private FallingApple() {}

  /** Metres fallen after {@code time} seconds. */
  @Call(order = 2)
  static Tensor position(Tensor time) {
    return mul(4.9, square(time));
  }

  /** Speed and acceleration at {@code t} seconds. */
  public static float[] speedAndAcceleration(float t) {
    try (Function position = Leibniz.function(FallingApple_Graph.POSITION)) {
      Value time = Value.of(t);
      Value speed = position.gradient(0, time);
      Value acceleration = position.secondDerivative(0, time);
      return new float[] {speed.floatValue(), acceleration.floatValue()};
    }
  }

  public static void main(String[] args) {
    float[] r = speedAndAcceleration(0f);
    System.out.printf("t = 0 s: speed %.2f m/s, acceleration %.2f m/s^2%n", r[0], r[1]);
  }
}
