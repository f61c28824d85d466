package dev.leibniz.reliability;

import static dev.leibniz.dsl.Ops.add;
import static dev.leibniz.dsl.Ops.addWeight;
import static dev.leibniz.dsl.Ops.matmul;
import static dev.leibniz.dsl.Ops.reshape;

import dev.leibniz.dsl.Build;
import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Init;
import dev.leibniz.dsl.Layer;
import dev.leibniz.dsl.Shape;
import dev.leibniz.dsl.Tensor;
import dev.leibniz.dsl.Variable;
import dev.leibniz.dsl.Weight;
import java.util.concurrent.atomic.AtomicInteger;

/** Layers for the reliability tests. */
final class CountingLayers {
  private CountingLayers() {}

  /** A dense layer that counts how often its {@code @Build} runs. */
  @Layer
  public static final class CountingDense {
    final AtomicInteger builds = new AtomicInteger();
    @Weight Variable kernel;
    @Weight Variable bias;

    @Build
    void build(Shape input) {
      builds.incrementAndGet();
      Thread.onSpinWait();
      kernel = addWeight("kernel", Shape.of(input.last(), 3), Init.GLOROT_UNIFORM);
      bias = addWeight("bias", Shape.of(3), Init.ZEROS);
    }

    @Call
    public Tensor call(Tensor x) {
      return add(matmul(x, kernel), bias);
    }
  }

  /** A layer that reshapes without keeping the batch axis: samples of 4 values to rows of 5. */
  @Layer
  public static final class Mixer {
    @Call
    public Tensor call(Tensor x) {
      return reshape(x, -1, 5);
    }
  }

  /** Holds a {@link Back} that holds it: a cycle. */
  @Layer
  public static final class Front {
    final Back back = new Back(this);

    @Call
    public Tensor call(Tensor x) {
      return back.call(x);
    }
  }

  @Layer
  public static final class Back {
    final Front front;

    Back(Front front) {
      this.front = front;
    }

    @Call
    public Tensor call(Tensor x) {
      return front.call(x);
    }
  }

  /** A sublayer field that may be left null. */
  @Layer
  public static final class Holder {
    final dev.leibniz.layers.Dense dense;

    Holder(boolean make) {
      dense = make ? new dev.leibniz.layers.Dense(2) : null;
    }

    @Call
    public Tensor call(Tensor x) {
      return dense.call(x);
    }
  }

  /** A layer whose kernel does not fit its input (built for 3 features whatever it gets). */
  @Layer
  public static final class Misshapen {
    @Weight Variable kernel;

    @Build
    void build(Shape input) {
      kernel = addWeight("kernel", Shape.of(3, 2), Init.GLOROT_UNIFORM);
    }

    @Call
    public Tensor call(Tensor x) {
      Tensor y = matmul(x, kernel);
      return y;
    }
  }
}
