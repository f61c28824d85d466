package dev.leibniz.losses;

import dev.leibniz.tf.Forward;
import dev.leibniz.tf.FunctionGraph;
import dev.leibniz.tf.Tf;
import dev.leibniz.tf.TfGraph;
import java.util.List;
import java.util.Objects;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A loss: a compiled DSL function of (targets, predictions) to the loss of each sample's rows
 * (or to one number for the batch), with its generated gradient, reduced as Keras 3 reduces. {@code sparse} losses take class indices as targets ({@code int[]} labels).
 * Made by {@link Losses}.
 *
 * <p>The built-in cross-entropies do what Keras does when the predictions come straight from a
 * softmax (categorical) or a sigmoid (binary): they are computed from that activation's input,
 * the logits, with TensorFlow's fused kernels, so a confidently wrong prediction keeps its full
 * loss and gradient instead of being clipped at probability 1e-7. Metrics still see the
 * probabilities.
 */
public final class Loss {
  private static final System.Logger LOG = System.getLogger(Loss.class.getName());

  private final String name;
  private final FunctionGraph function;
  private final boolean sparse;
  /** The same loss of the logits, where this one sees through {@link #activation}; else null. */
  private final FunctionGraph ofLogits;
  /** The TensorFlow op type ("Softmax", "Sigmoid") whose input {@link #ofLogits} takes. */
  private final String activation;

  /** A loss from any static {@code @Call} function of (targets, predictions), e.g. {@code MyLosses_Graph.HUBER}. */
  public Loss(String name, FunctionGraph function, boolean sparse) {
    this(name, function, sparse, null, null);
  }

  Loss(String name, FunctionGraph function, boolean sparse, FunctionGraph ofLogits, String activation) {
    this.name = Objects.requireNonNull(name, "name");
    this.function = Objects.requireNonNull(function, "function");
    this.sparse = sparse;
    this.ofLogits = ofLogits;
    this.activation = activation;
    if (function.inputs() != 2) {
      throw new IllegalArgumentException("a loss takes (targets, predictions); " + function.name() + " takes "
          + function.inputs() + " inputs");
    }
  }

  /** The Keras name, e.g. "sparse_categorical_crossentropy". */
  public String name() {
    return name;
  }

  /** Whether targets are class indices rather than values shaped like the predictions. */
  public boolean sparse() {
    return sparse;
  }

  /**
   * The loss of one output, built: {@link #dPredictions} seeds the model's backward, and
   * {@link #value} is the loss the gradients belong to, known once that backward is built.
   */
  public static final class Built {
    private final TfGraph graph;
    private final Operand<TFloat32> value;
    private final Operand<TFloat32> dPredictions;
    private final Operand<TFloat32> valueOfLogits;

    Built(TfGraph graph, Operand<TFloat32> value, Operand<TFloat32> dPredictions, Operand<TFloat32> valueOfLogits) {
      this.graph = graph;
      this.value = value;
      this.dPredictions = dPredictions;
      this.valueOfLogits = valueOfLogits;
    }

    /** The gradient of the predictions, to seed the backward with. */
    public Operand<TFloat32> dPredictions() {
      return dPredictions;
    }

    /**
     * The loss: computed from the logits where the backward took the seed past the output's
     * softmax or sigmoid, else from the predictions. Read it after building the backward.
     */
    public Operand<TFloat32> value() {
      return valueOfLogits != null && graph.tookPastActivation(dPredictions) ? valueOfLogits : value;
    }
  }

  /** Builds the loss of {@code predictions} and its backward, seeded with {@code seed} (dLoss). */
  public Built build(TfGraph graph, Operand<TFloat32> targets, Operand<TFloat32> predictions, Operand<TFloat32> seed) {
    return build(graph, targets, predictions, seed, null);
  }

  /**
   * The same with sample weights {@code [batch]} (or {@code [1]}: all alike; null: none), as
   * Keras's {@code sample_weight}: the loss is {@code sum(w * rowLoss) / rows}, Keras 3's "sum over
   * batch size", each sample's weight on each of its rows.
   */
  public Built build(TfGraph graph, Operand<TFloat32> targets, Operand<TFloat32> predictions, Operand<TFloat32> seed,
      Operand<TFloat32> sampleWeights) {
    Tf tf = graph.tf();
    Forward forward = function.call(tf, List.of(targets, predictions));
    Reduced reduced = reduce(graph, forward.output(), sampleWeights, seed);
    Operand<TFloat32> dPredictions = function.backward(tf, forward, reduced.rowSeed()).get(1);
    Operand<TFloat32> logits = logitsOf(predictions);
    if (logits == null) {
      return new Built(graph, reduced.value(), dPredictions, null);
    }
    if (function == ofLogits) {
      LOG.log(System.Logger.Level.WARNING, name + " was given fromLogits = true, but the predictions come from a "
          + activation + " and are not logits; as Keras does, it is computed from the " + activation + "'s input");
    }
    Forward onLogits = ofLogits.call(tf, List.of(targets, logits));
    Reduced ofTheLogits = reduce(graph, onLogits.output(), sampleWeights, seed);
    Operand<TFloat32> dLogits = ofLogits.backward(tf, onLogits, ofTheLogits.rowSeed()).get(1);
    return new Built(graph, reduced.value(), graph.seedPastActivation(predictions, dPredictions, dLogits),
        ofTheLogits.value());
  }

  /**
   * The loss of each sample's rows from the predictions themselves (the probabilities, not the
   * logits), with no gradient: what a loss used as a metric averages. One number for a loss over the whole batch.
   */
  public Operand<TFloat32> rows(TfGraph graph, Operand<TFloat32> targets, Operand<TFloat32> predictions) {
    return function.call(graph.tf(), List.of(targets, predictions)).output();
  }

  /** The batch's loss and the seed of the function's backward (dLoss/dRow). */
  private record Reduced(Operand<TFloat32> value, Operand<TFloat32> rowSeed) {}

  /**
   * A function's rows to the batch's loss: their mean, or {@code sum(w * row) / rows} with sample
   * weights; a function that returns one number (a loss of your own over the whole batch) is it.
   */
  private Reduced reduce(TfGraph graph, Operand<TFloat32> rows, Operand<TFloat32> sampleWeights, Operand<TFloat32> seed) {
    Tf tf = graph.tf();
    int rank = rows.shape().numDimensions();
    if (rank == 0) {
      if (sampleWeights != null) {
        throw new IllegalArgumentException("loss " + name + " gives one number for the whole batch, so it cannot weigh"
            + " samples; to take sample weights, return one loss per sample (shape [batch])");
      }
      return new Reduced(rows, seed);
    }
    var ops = graph.ops();
    Operand<TFloat32> count = ops.dtypes.cast(ops.size(rows), TFloat32.class);
    Operand<TFloat32> perRow = tf.div(seed, count);
    if (sampleWeights == null) {
      return new Reduced(tf.mean(rows), tf.mul(ops.onesLike(rows), perRow));
    }
    long[] along = new long[rank];
    java.util.Arrays.fill(along, 1);
    along[0] = -1;
    Operand<TFloat32> w = ops.reshape(sampleWeights, ops.constant(along)); // each sample's weight on its rows
    Operand<TFloat32> value = tf.div(tf.sum(tf.mul(rows, w)), count);
    return new Reduced(value, tf.mul(ops.onesLike(rows), tf.mul(w, perRow)));
  }

  /** The input of the softmax or sigmoid that made {@code predictions}, where this loss sees through it; else null. */
  @SuppressWarnings("unchecked")
  private Operand<TFloat32> logitsOf(Operand<TFloat32> predictions) {
    if (ofLogits == null || !(predictions.op() instanceof GraphOperation op) || !op.type().equals(activation)) {
      return null;
    }
    return (Operand<TFloat32>) op.input(0);
  }

  /** Equal when they compute the same: the same name, function, target kind and logits form. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Loss l && name.equals(l.name) && function == l.function && sparse == l.sparse
        && ofLogits == l.ofLogits;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, System.identityHashCode(function), sparse);
  }

  @Override
  public String toString() {
    return name;
  }
}
