package dev.leibniz.processor.ir;

import java.util.List;

/**
 * One {@code @Call} method lowered to IR: its tensor inputs ({@code input} nodes), the weights
 * it reads ({@code weight} nodes), the body, the id of the value it returns, and the order of
 * derivatives it asks for ({@code @Call(order = 2)}).
 */
public record Fn(String name, boolean isStatic, List<Node> inputs, List<String> inputNames,
    List<Node> weights, Block body, int result, Origin origin, int order) {
  public Fn {
    inputs = List.copyOf(inputs);
    inputNames = List.copyOf(inputNames);
    weights = List.copyOf(weights);
  }

  public Fn withBody(Block body, int result) {
    return new Fn(name, isStatic, inputs, inputNames, weights, body, result, origin, order);
  }

  /** The inputs and weights, the values its gradients are taken with respect to. */
  public List<Integer> parameters() {
    return java.util.stream.Stream.concat(inputs.stream(), weights.stream()).map(Node::id).toList();
  }
}
