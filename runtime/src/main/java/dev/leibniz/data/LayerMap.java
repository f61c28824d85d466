package dev.leibniz.data;

import dev.leibniz.LayerGraphs;
import dev.leibniz.tf.LayerGraph;
import dev.leibniz.tf.TfGraph;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** A compiled {@code @Layer} without weights as a dataset map: its generated forward built inside the map's function. */
final class LayerMap implements InputMap {
  private final Object layer;
  private final LayerGraph<Object> graph;

  LayerMap(Object layer) {
    this.layer = java.util.Objects.requireNonNull(layer, "layer");
    this.graph = LayerGraphs.of(layer);
  }

  @Override
  @SuppressWarnings("unchecked")
  public List<Operand<?>> apply(Ops ops, List<Operand<?>> inputs) {
    if (inputs.size() != graph.inputs()) {
      throw new IllegalArgumentException(layer.getClass().getSimpleName() + "'s call takes " + graph.inputs()
          + " input(s), the dataset's samples have " + inputs.size());
    }
    List<Operand<TFloat32>> floats = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      if (inputs.get(i).type() != TFloat32.class) {
        throw new IllegalArgumentException(layer.getClass().getSimpleName() + " takes float inputs, but input " + i
            + " of the dataset holds " + inputs.get(i).type().getSimpleName() + " (strings go through a TextVectorization first)");
      }
      floats.add((Operand<TFloat32>) inputs.get(i));
    }
    TfGraph state = new TfGraph((Graph) ops.scope().env());
    List<Operand<?>> out = new ArrayList<>(graph.call(state.tf(), layer, floats).outputs());
    if (!state.weights().isEmpty()) {
      throw new IllegalArgumentException(layer.getClass().getSimpleName() + " has weights (" + state.weights().size()
          + "); a dataset's map takes a layer without weights, since nothing trains it there: put the layer in the model");
    }
    return out;
  }

  @Override
  public String toString() {
    return "map(" + layer.getClass().getSimpleName() + ")";
  }
}
