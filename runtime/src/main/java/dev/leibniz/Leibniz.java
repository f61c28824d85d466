package dev.leibniz;

import dev.leibniz.tf.Forward;
import dev.leibniz.saving.SavedModel;
import dev.leibniz.tf.LayerGraph;
import dev.leibniz.tf.Tf;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Entry points: a trainable {@link Model} from a compiled {@code @Model} (or {@code @Layer})
 * object, and a SavedModel (any with a serving signature) loaded for prediction.
 */
public final class Leibniz {
  private Leibniz() {}

  /** The object's {@code @Call} as a model: {@code Leibniz.model(new MnistMlp())}. */
  public static Model model(Object module) {
    LayerGraph<Object> graph = Compiled.of(module);
    return new Model() {
      @Override
      String defaultName() {
        return Compiled.kerasName(module);
      }

      @Override
      Net net() {
        return new Net() {
          @Override
          public int inputs() {
            return graph.inputs();
          }

          @Override
          public List<Object> layers() {
            List<Object> sublayers = graph.sublayers(module);
            return sublayers.isEmpty() ? List.of(module) : sublayers;
          }

          @Override
          public Built forward(Tf tf, List<Operand<TFloat32>> inputs, List<Applied> applied) {
            Forward f = graph.call(tf, module, inputs);
            applied.add(new Applied(module, f.output()));
            return new Built() {
              @Override
              public List<Operand<TFloat32>> outputs() {
                return List.of(f.output());
              }

              @Override
              public void backward(Tf tf, List<Operand<TFloat32>> dOutputs) {
                graph.backward(tf, module, f, dOutputs.get(0));
              }
            };
          }
        };
      }
    };
  }

  /** The SavedModel in {@code dir} (tag "serve", signature "serving_default"), to predict with. */
  public static SavedModel load(Path dir) throws IOException {
    return SavedModel.load(dir);
  }

  /** As {@link #load(Path)}, with another signature. */
  public static SavedModel load(Path dir, String signature) throws IOException {
    return SavedModel.load(dir, signature);
  }
}
