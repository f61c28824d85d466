package dev.leibniz.metrics;

import dev.leibniz.tf.TfGraph;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Keras's {@code MeanIoU}: the confusion matrix of {@code numClasses} classes summed over the
 * epoch, then per class {@code tp / (tp + fp + fn)}, averaged over the classes that occur (in
 * targets or predictions), with Keras's epsilon of 1e-7. Targets are class indices (Keras's
 * {@code sparse_y_true=True}); predictions are per-class scores whose argmax is the predicted
 * class ({@code sparse_y_pred=False}: what a model's softmax output gives), any leading shape
 * (a segmentation map's pixels count one by one).
 */
public final class MeanIoU implements Metric {
  private static final double EPSILON = 1e-7;
  private final int numClasses;

  public MeanIoU(int numClasses) {
    if (numClasses < 2) {
      throw new IllegalArgumentException("MeanIoU needs at least 2 classes, got " + numClasses);
    }
    this.numClasses = numClasses;
  }

  @Override
  public String name() {
    return "mean_io_u";
  }

  @Override
  public List<Operand<TFloat32>> statistics(TfGraph graph, Operand<TFloat32> targets, Operand<TFloat32> predictions) {
    var ops = graph.ops();
    if (predictions.shape().get(-1) != numClasses) {
      throw new IllegalArgumentException("MeanIoU(" + numClasses + ") takes predictions with " + numClasses
          + " scores per position, got shape " + predictions.shape());
    }
    Operand<TInt64> predicted = ops.reshape(ops.math.argMax(predictions, ops.constant(-1), TInt64.class),
        ops.constant(new long[] {-1}));
    Operand<TInt64> actual = ops.reshape(ops.dtypes.cast(targets, TInt64.class), ops.constant(new long[] {-1}));
    Operand<TFloat32> truth = ops.oneHot(actual, ops.constant(numClasses), ops.constant(1f), ops.constant(0f));
    Operand<TFloat32> guess = ops.oneHot(predicted, ops.constant(numClasses), ops.constant(1f), ops.constant(0f));
    // rows: the true class, columns: the predicted one
    Operand<TFloat32> confusion = ops.linalg.matMul(truth, guess, org.tensorflow.op.linalg.MatMul.transposeA(true));
    return List.of(ops.reshape(confusion, ops.constant(new long[] {(long) numClasses * numClasses})));
  }

  @Override
  public double result(List<float[]> totals) {
    float[] cm = totals.get(0);
    double sum = 0;
    int valid = 0;
    for (int c = 0; c < numClasses; c++) {
      double truePositives = cm[c * numClasses + c];
      double predicted = 0;
      double actual = 0;
      for (int o = 0; o < numClasses; o++) {
        predicted += cm[o * numClasses + c];
        actual += cm[c * numClasses + o];
      }
      double denominator = predicted + actual - truePositives;
      if (denominator > 1e-9) {
        valid++;
      }
      sum += truePositives / (denominator + EPSILON);
    }
    return sum / (valid + EPSILON);
  }
}
