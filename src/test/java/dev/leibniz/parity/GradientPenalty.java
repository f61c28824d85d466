package dev.leibniz.parity;

import static dev.leibniz.dsl.Ops.add;
import static dev.leibniz.dsl.Ops.gradient;
import static dev.leibniz.dsl.Ops.mean;
import static dev.leibniz.dsl.Ops.mul;
import static dev.leibniz.dsl.Ops.sqrt;
import static dev.leibniz.dsl.Ops.square;
import static dev.leibniz.dsl.Ops.sub;
import static dev.leibniz.dsl.Ops.sum;

import dev.leibniz.dsl.Activations;
import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Layer;
import dev.leibniz.dsl.Model;
import dev.leibniz.dsl.Padding;
import dev.leibniz.dsl.Tensor;
import dev.leibniz.layers.Conv2D;
import dev.leibniz.layers.Dense;
import dev.leibniz.layers.Flatten;
import dev.leibniz.layers.LeakyReLU;

/** WGAN-GP's gradient penalty on the critic of make_gradient_penalty.py. */
@Model
public final class GradientPenalty {
  final Critic critic = new Critic();

  @Call
  public Tensor call(Tensor images) {
    return critic.call(images);
  }

  /** mean((||d critic(mixed) / d mixed|| - 1)^2), mixed = eps * real + (1 - eps) * fake. */
  @Call
  public Tensor penalty(Tensor real, Tensor fake, Tensor eps) {
    Tensor mixed = add(mul(eps, real), mul(sub(1.0, eps), fake));
    Tensor slopes = gradient(critic.call(mixed), mixed);
    Tensor norm = sqrt(sum(square(slopes), new int[] {1, 2, 3}, false));
    return mean(square(sub(norm, 1.0)));
  }

  /** Conv2D(4, 3x3, strides 2, same) -> LeakyReLU(0.2) -> Flatten -> Dense(8, tanh) -> Dense(1). */
  @Layer
  public static final class Critic {
    final Conv2D conv = new Conv2D(4, 3, 3, 2, 2, Padding.SAME, Activations.LINEAR, true);
    final LeakyReLU leaky = new LeakyReLU(0.2);
    final Flatten flatten = new Flatten();
    final Dense hidden = new Dense(8, "tanh");
    final Dense out = new Dense(1);

    @Call(order = 2)
    public Tensor call(Tensor images) {
      return out.call(hidden.call(flatten.call(leaky.call(conv.call(images)))));
    }
  }
}
