package dev.leibniz.processor.ir;

import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * One {@code @Call} method lowered to IR: its tensor inputs ({@code input} nodes), the weights
 * it reads ({@code weight} nodes), the body, the id of the value it returns, and the order of
 * derivatives it asks for ({@code @Call(order = 2)}). A method with several outputs returns a
 * record of tensors: {@code outputs} names them ({@code result} is the first); null otherwise.
 */
public record Fn(String name, boolean isStatic, List<Node> inputs, List<String> inputNames,
    List<Node> weights, Block body, int result, Outputs outputs, Origin origin, int order) {
  public Fn {
    inputs = List.copyOf(inputs);
    inputNames = List.copyOf(inputNames);
    weights = List.copyOf(weights);
  }

  /** Several outputs: the record's type (its qualified name), its components' names, their values. */
  public record Outputs(String type, List<String> names, List<Integer> ids) {
    public Outputs {
      names = List.copyOf(names);
      ids = List.copyOf(ids);
    }
  }

  /** The values the method returns: one, or each component of its record. */
  public List<Integer> results() {
    return outputs == null ? List.of(result) : outputs.ids();
  }

  /** The same method with another body, its results found where {@code resolve} says they now live. */
  public Fn withBody(Block body, IntUnaryOperator resolve) {
    Outputs moved = outputs == null ? null
        : new Outputs(outputs.type(), outputs.names(), outputs.ids().stream().map(resolve::applyAsInt).toList());
    return new Fn(name, isStatic, inputs, inputNames, weights, body, resolve.applyAsInt(result), moved, origin, order);
  }

  /** The inputs and weights, the values its gradients are taken with respect to. */
  public List<Integer> parameters() {
    return java.util.stream.Stream.concat(inputs.stream(), weights.stream()).map(Node::id).toList();
  }
}
