package dev.leibniz;

import dev.leibniz.saving.SavedModel;
import dev.leibniz.tf.FunctionGraph;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Entry points: a trainable {@link Model} from a compiled {@code @Model} (or {@code @Layer})
 * object, and a SavedModel (any with a serving signature) loaded for prediction.
 */
public final class Leibniz {
  private Leibniz() {}

  /** The object's {@code @Call} as a model: {@code Leibniz.model(new MnistMlp())}. */
  public static Model model(Object module) {
    if (module == null) {
      throw new IllegalArgumentException("Leibniz.model needs a @Layer or @Model object, got null");
    }
    return new ModuleModel(module);
  }

  /** The SavedModel in {@code dir} (tag "serve", signature "serving_default"), to predict with. */
  public static SavedModel load(Path dir) throws IOException {
    return SavedModel.load(dir);
  }

  /** As {@link #load(Path)}, with another signature. */
  public static SavedModel load(Path dir, String signature) throws IOException {
    return SavedModel.load(dir, signature);
  }

  /**
   * A static {@code @Call} function as an object on {@link Value}s: its value, gradients and
   * (for {@code @Call(order = 2)}) second derivatives, e.g.
   * {@code Leibniz.function(FallingApple_Graph.POSITION)}. Close it to free its graphs.
   */
  public static Function function(FunctionGraph function) {
    return new Function(function);
  }

  /** One call of a compiled object on inferred inputs; its summary lists the object's sublayers. */
  private static final class ModuleModel extends Model {
    private final Object module;
    private final Net net;

    ModuleModel(Object module) {
      this.module = module;
      List<Functional.Symbol> inputs = new ArrayList<>();
      for (int i = 0; i < LayerGraphs.of(module).inputs(); i++) {
        inputs.add(Functional.inferredInput());
      }
      this.net = new Net(inputs, List.of(Functional.apply(module, inputs.toArray(new Functional.Symbol[0]))));
    }

    @Override
    String defaultName() {
      return LayerGraphs.kerasName(module);
    }

    @Override
    Net net() {
      return net;
    }

    @Override
    List<Object> summaryLayers() {
      List<Object> sublayers = LayerGraphs.of(module).sublayers(module);
      return sublayers.isEmpty() ? List.of(module) : sublayers;
    }

    @Override
    List<dev.leibniz.dsl.Variable> ownWeights() {
      return LayerGraphs.of(module).sublayers(module).isEmpty() ? List.of() : LayerGraphs.of(module).weights(module);
    }

    @Override
    Object objectivesModule() {
      return module;
    }
  }
}
