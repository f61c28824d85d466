package dev.leibniz.examples;

import static dev.leibniz.dsl.Ops.mul;
import static dev.leibniz.dsl.Ops.square;

import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Tensor;
import dev.leibniz.tf.Tensors;
import dev.leibniz.tf.Tf;
import dev.leibniz.tf.TfGraph;
import dev.leibniz.tf.TfSession;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * "Deep Learning with Python", listing 3.12: the position of a falling apple, its speed and its
 * acceleration, from first and second derivatives the compiler wrote
 * ({@code FallingApple_Graph.positionGrad} and {@code positionGrad2}).
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
    try (Graph graph = new Graph()) {
      TfGraph g = new TfGraph(graph);
      Tf tf = g.tf();
      Operand<TFloat32> time = g.placeholder("time");
      Operand<TFloat32> speed = FallingApple_Graph.positionGrad(tf, time).dTime();
      Operand<TFloat32> acceleration = FallingApple_Graph.positionGrad2(tf, time).dTime();
      try (TfSession session = new TfSession(g); TFloat32 at = Tensors.scalar(t)) {
        List<float[]> out = session.run(Map.of(time, at), List.of(speed, acceleration));
        return new float[] {out.get(0)[0], out.get(1)[0]};
      }
    }
  }

  public static void main(String[] args) {
    float[] r = speedAndAcceleration(0f);
    System.out.printf("t = 0 s: speed %.2f m/s, acceleration %.2f m/s^2%n", r[0], r[1]);
  }
}
