package dev.leibniz;

import dev.leibniz.tf.Forward;
import dev.leibniz.tf.LayerGraph;
import dev.leibniz.tf.Tf;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Keras's {@code Sequential}: compiled layers applied one after the other, each taking one
 * input. Shapes are inferred: each layer builds its weights from the output of the one before,
 * once the model sees its first data (or {@link #build}).
 */
public final class Sequential extends Model {
  private final List<Object> layers = new ArrayList<>();

  private Sequential(List<Object> layers) {
    for (Object layer : layers) {
      add(layer);
    }
  }

  public static Sequential of(Object... layers) {
    return new Sequential(List.of(layers));
  }

  /** Appends a layer; only before the model's graph is built. */
  public Sequential add(Object layer) {
    requireNotBuilt("add a layer");
    LayerGraph<Object> graph = Compiled.of(layer);
    if (graph.inputs() != 1) {
      throw new IllegalArgumentException("Sequential layers take one input; " + layer.getClass().getSimpleName()
          + "'s @Call takes " + graph.inputs() + " (use Functional for several)");
    }
    layers.add(layer);
    return this;
  }

  @Override
  String defaultName() {
    return "sequential";
  }

  @Override
  Net net() {
    return new Net() {
      @Override
      public int inputs() {
        return 1;
      }

      @Override
      public List<Object> layers() {
        return List.copyOf(layers);
      }

      @Override
      public Built forward(Tf tf, List<Operand<TFloat32>> inputs, List<Applied> applied) {
        if (layers.isEmpty()) {
          throw new IllegalStateException("this Sequential model has no layers; add some before using it");
        }
        List<Forward> forwards = new ArrayList<>();
        Operand<TFloat32> x = inputs.get(0);
        for (Object layer : layers) {
          Forward f = Compiled.of(layer).call(tf, layer, List.of(x));
          forwards.add(f);
          x = f.output();
          applied.add(new Applied(layer, x));
        }
        Operand<TFloat32> output = x;
        return new Built() {
          @Override
          public List<Operand<TFloat32>> outputs() {
            return List.of(output);
          }

          @Override
          public void backward(Tf tf, List<Operand<TFloat32>> dOutputs) {
            Operand<TFloat32> d = dOutputs.get(0);
            for (int i = layers.size() - 1; i >= 0 && d != null; i--) {
              Object layer = layers.get(i);
              d = Compiled.of(layer).backward(tf, layer, forwards.get(i), d).get(0);
            }
          }
        };
      }
    };
  }
}
