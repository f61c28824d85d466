package dev.leibniz.processor.ops;

import static dev.leibniz.processor.ops.Rule.op;

import dev.leibniz.processor.Message;
import dev.leibniz.processor.ir.Attrs;
import dev.leibniz.processor.ir.Op;
import dev.leibniz.processor.ir.OpError;
import dev.leibniz.processor.ir.StaticShape;
import java.util.ArrayList;
import java.util.List;

/**
 * softmaxCrossEntropy(labels, logits) and sparseSoftmaxCrossEntropy(labels, logits): the
 * cross-entropy of softmax(logits) against a distribution, or against class indices, for each
 * row (the last axis reduced). They run as TensorFlow's fused kernels, which compute the
 * gradient softmax(logits) - labels in the same pass; the gradient ops read that output.
 */
final class CrossEntropy {
  private CrossEntropy() {}

  /** The logits' shape without its last axis. */
  private static StaticShape rows(StaticShape logits, String op) {
    if (!logits.knownRank()) {
      return StaticShape.UNKNOWN;
    }
    if (logits.rank() == 0) {
      throw new OpError(Message.SCALAR_INPUT, op, "logits, classes on the last axis");
    }
    return new StaticShape(logits.dims().subList(0, logits.rank() - 1));
  }

  static StaticShape dense(List<StaticShape> in, Attrs attrs) {
    StaticShape labels = in.get(0);
    StaticShape logits = in.get(1);
    StaticShape rows = rows(logits, "softmaxCrossEntropy");
    if (labels.knownRank() && logits.knownRank() && labels.rank() != logits.rank()) {
      throw new OpError(Message.RANK, "softmaxCrossEntropy", logits.rank(), "labels tensor (shaped like the logits "
          + logits + ")", labels.rank(), labels);
    }
    Shapes.broadcast(labels, logits); // the dimensions must agree
    return rows;
  }

  static StaticShape sparse(List<StaticShape> in, Attrs attrs) {
    StaticShape labels = in.get(0);
    StaticShape logits = in.get(1);
    StaticShape rows = rows(logits, "sparseSoftmaxCrossEntropy");
    if (!labels.knownRank() || !rows.knownRank()) {
      return rows;
    }
    if (labels.rank() != rows.rank()) {
      throw new OpError(Message.RANK, "sparseSoftmaxCrossEntropy", rows.rank(),
          "labels tensor (one class index per row of the logits " + logits + ")", labels.rank(), labels);
    }
    List<Long> dims = new ArrayList<>();
    for (int i = 0; i < rows.rank(); i++) {
      if (!StaticShape.compatible(labels.dim(i), rows.dim(i))) {
        throw new OpError(Message.RANK, "sparseSoftmaxCrossEntropy", rows.rank(),
            "labels tensor (one class index per row of the logits " + logits + ")", labels.rank(), labels);
      }
      dims.add(Math.max(labels.dim(i), rows.dim(i)));
    }
    return new StaticShape(dims);
  }

  static final Rule SOFTMAX_XENT = op("softmaxCrossEntropy", 2, CrossEntropy::dense,
      "tf.softmaxCrossEntropy($0, $1)",
      (ir, n, g) -> {
        int perClass = ir.expandLast(g);
        return new int[] {
            ir.neg(ir.mul(perClass, ir.node(Softmax.LOG_SOFTMAX, Attrs.NONE, n.arg(1)))),
            ir.mul(perClass, ir.node(CrossEntropy.SOFTMAX_XENT_GRAD, Attrs.NONE, n.arg(0), n.arg(1)))};
      });

  /** softmaxCrossEntropyGrad(labels, logits) = softmax(logits) - labels. */
  static final Rule SOFTMAX_XENT_GRAD = op("softmaxCrossEntropyGrad", 2, Rule::sameAsSecond,
      "tf.softmaxCrossEntropyGrad($0, $1)",
      (ir, n, h) -> new int[] {ir.neg(h), ir.softmaxGrad(ir.softmax(n.arg(1)), h)});

  static final Rule SPARSE_XENT = op("sparseSoftmaxCrossEntropy", 2, CrossEntropy::sparse,
      "tf.sparseSoftmaxCrossEntropy($0, $1)",
      (ir, n, g) -> new int[] {Op.ZERO,
          ir.mul(ir.expandLast(g), ir.node(CrossEntropy.SPARSE_XENT_GRAD, Attrs.NONE, n.arg(0), n.arg(1)))});

  /** sparseSoftmaxCrossEntropyGrad(labels, logits) = softmax(logits) - oneHot(labels). */
  static final Rule SPARSE_XENT_GRAD = op("sparseSoftmaxCrossEntropyGrad", 2, Rule::sameAsSecond,
      "tf.sparseSoftmaxCrossEntropyGrad($0, $1)",
      (ir, n, h) -> new int[] {Op.ZERO, ir.softmaxGrad(ir.softmax(n.arg(1)), h)});

  static List<DslOp> dsl() {
    return List.of(
        DslOp.of("softmaxCrossEntropy", a -> a.builder().node(SOFTMAX_XENT, Attrs.NONE, "crossEntropy", a.tensor(0),
            a.tensor(1))),
        DslOp.of("sparseSoftmaxCrossEntropy", a -> a.builder().node(SPARSE_XENT, Attrs.NONE, "crossEntropy",
            a.tensor(0), a.tensor(1))));
  }
}
