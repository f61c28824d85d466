package dev.leibniz.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leibniz.tf.Forward;
import dev.leibniz.tf.Gradients;
import dev.leibniz.tf.Tensors;
import dev.leibniz.tf.Tf;
import dev.leibniz.tf.TfGraph;
import dev.leibniz.tf.TfSession;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Tensor;
import org.tensorflow.types.TFloat32;

/**
 * The gradient-check table: for each op, the generated backward (with a random output adjoint)
 * against central finite differences and against TensorFlow's own Graph.addGradients; and where
 * the row says so, the generated gradient of the gradient against finite differences of the
 * generated gradient and against addGradients applied to the generated gradient's graph.
 */
class GradCheckTest {
  interface Fwd {
    Forward apply(Tf tf, List<Operand<TFloat32>> xs);
  }

  interface Bwd {
    Gradients apply(Tf tf, Forward fwd, Operand<TFloat32> dy);
  }

  interface Whole {
    Gradients apply(Tf tf, List<Operand<TFloat32>> xs);
  }

  /**
   * A row: op, input shapes, input domain [lo, hi), the functions, and up to which order
   * TensorFlow's Graph.addGradients can serve as oracle: 0 where it has no gradient for an op of
   * the row (OnesLike), 1 where it cannot differentiate its own gradient of the op (it has no gradient for TanhGrad, SigmoidGrad,
   * SqrtGrad or ReluGrad, so those rows check the second order against finite differences only).
   */
  record Row(String op, long[][] shapes, double lo, double hi, Fwd fwd, Bwd bwd, Whole grad, Whole grad2,
      int tfOrders) {
    @Override
    public String toString() {
      return op;
    }
  }

  static long[][] s(long[]... shapes) {
    return shapes;
  }

  static long[] d(long... dims) {
    return dims;
  }

  static Stream<Row> rows() {
    return Stream.of(
        new Row("add [3,4]+[4]", s(d(3, 4), d(4)), -2, 2,
            (tf, x) -> GradFns_Graph.addBroadcast(tf, x.get(0), x.get(1)),
            (tf, f, dy) -> GradFns_Graph.addBroadcastBackward(tf, (GradFns_Graph.AddBroadcastForward) f, dy),
            (tf, x) -> GradFns_Graph.addBroadcastGrad(tf, x.get(0), x.get(1)),
            (tf, x) -> GradFns_Graph.addBroadcastGrad2(tf, x.get(0), x.get(1)), 2),
        new Row("sub [3,4]-[3,1]", s(d(3, 4), d(3, 1)), -2, 2,
            (tf, x) -> GradFns_Graph.subColumn(tf, x.get(0), x.get(1)),
            (tf, f, dy) -> GradFns_Graph.subColumnBackward(tf, (GradFns_Graph.SubColumnForward) f, dy),
            (tf, x) -> GradFns_Graph.subColumnGrad(tf, x.get(0), x.get(1)),
            (tf, x) -> GradFns_Graph.subColumnGrad2(tf, x.get(0), x.get(1)), 2),
        new Row("mul [2,3]*[3]", s(d(2, 3), d(3)), -2, 2,
            (tf, x) -> GradFns_Graph.mulBroadcast(tf, x.get(0), x.get(1)),
            (tf, f, dy) -> GradFns_Graph.mulBroadcastBackward(tf, (GradFns_Graph.MulBroadcastForward) f, dy),
            (tf, x) -> GradFns_Graph.mulBroadcastGrad(tf, x.get(0), x.get(1)),
            (tf, x) -> GradFns_Graph.mulBroadcastGrad2(tf, x.get(0), x.get(1)), 2),
        new Row("div [3,4]/[4]", s(d(3, 4), d(4)), 0.5, 2,
            (tf, x) -> GradFns_Graph.divBroadcast(tf, x.get(0), x.get(1)),
            (tf, f, dy) -> GradFns_Graph.divBroadcastBackward(tf, (GradFns_Graph.DivBroadcastForward) f, dy),
            (tf, x) -> GradFns_Graph.divBroadcastGrad(tf, x.get(0), x.get(1)),
            (tf, x) -> GradFns_Graph.divBroadcastGrad2(tf, x.get(0), x.get(1)), 2),
        new Row("scalar sides (2 - 1.5x) / (x + 3)", s(d(5)), -1, 2,
            (tf, x) -> GradFns_Graph.scalarSides(tf, x.get(0)),
            (tf, f, dy) -> GradFns_Graph.scalarSidesBackward(tf, (GradFns_Graph.ScalarSidesForward) f, dy),
            (tf, x) -> GradFns_Graph.scalarSidesGrad(tf, x.get(0)),
            (tf, x) -> GradFns_Graph.scalarSidesGrad2(tf, x.get(0)), 2),
        new Row("neg", s(d(2, 3)), -2, 2,
            (tf, x) -> GradFns_Graph.negate(tf, x.get(0)),
            (tf, f, dy) -> GradFns_Graph.negateBackward(tf, (GradFns_Graph.NegateForward) f, dy),
            (tf, x) -> GradFns_Graph.negateGrad(tf, x.get(0)),
            (tf, x) -> GradFns_Graph.negateGrad2(tf, x.get(0)), 2),
        new Row("matmul [3,4]x[4,2]", s(d(3, 4), d(4, 2)), -1, 1,
            (tf, x) -> GradFns_Graph.matmul2(tf, x.get(0), x.get(1)),
            (tf, f, dy) -> GradFns_Graph.matmul2Backward(tf, (GradFns_Graph.Matmul2Forward) f, dy),
            (tf, x) -> GradFns_Graph.matmul2Grad(tf, x.get(0), x.get(1)),
            (tf, x) -> GradFns_Graph.matmul2Grad2(tf, x.get(0), x.get(1)), 2),
        new Row("square", s(d(2, 3)), -2, 2,
            (tf, x) -> GradFns_Graph.squared(tf, x.get(0)),
            (tf, f, dy) -> GradFns_Graph.squaredBackward(tf, (GradFns_Graph.SquaredForward) f, dy),
            (tf, x) -> GradFns_Graph.squaredGrad(tf, x.get(0)),
            (tf, x) -> GradFns_Graph.squaredGrad2(tf, x.get(0)), 2),
        new Row("sqrt", s(d(2, 3)), 0.5, 3,
            (tf, x) -> GradFns_Graph.root(tf, x.get(0)),
            (tf, f, dy) -> GradFns_Graph.rootBackward(tf, (GradFns_Graph.RootForward) f, dy),
            (tf, x) -> GradFns_Graph.rootGrad(tf, x.get(0)),
            (tf, x) -> GradFns_Graph.rootGrad2(tf, x.get(0)), 1),
        new Row("exp", s(d(2, 3)), -1, 1,
            (tf, x) -> GradFns_Graph.exponential(tf, x.get(0)),
            (tf, f, dy) -> GradFns_Graph.exponentialBackward(tf, (GradFns_Graph.ExponentialForward) f, dy),
            (tf, x) -> GradFns_Graph.exponentialGrad(tf, x.get(0)),
            (tf, x) -> GradFns_Graph.exponentialGrad2(tf, x.get(0)), 2),
        new Row("log", s(d(2, 3)), 0.5, 3,
            (tf, x) -> GradFns_Graph.logarithm(tf, x.get(0)),
            (tf, f, dy) -> GradFns_Graph.logarithmBackward(tf, (GradFns_Graph.LogarithmForward) f, dy),
            (tf, x) -> GradFns_Graph.logarithmGrad(tf, x.get(0)),
            (tf, x) -> GradFns_Graph.logarithmGrad2(tf, x.get(0)), 2),
        new Row("pow 3", s(d(2, 3)), -1.5, 1.5,
            (tf, x) -> GradFns_Graph.cube(tf, x.get(0)),
            (tf, f, dy) -> GradFns_Graph.cubeBackward(tf, (GradFns_Graph.CubeForward) f, dy),
            (tf, x) -> GradFns_Graph.cubeGrad(tf, x.get(0)),
            (tf, x) -> GradFns_Graph.cubeGrad2(tf, x.get(0)), 2),
        new Row("tanh", s(d(2, 3)), -2, 2,
            (tf, x) -> GradFns_Graph.hyperbolic(tf, x.get(0)),
            (tf, f, dy) -> GradFns_Graph.hyperbolicBackward(tf, (GradFns_Graph.HyperbolicForward) f, dy),
            (tf, x) -> GradFns_Graph.hyperbolicGrad(tf, x.get(0)),
            (tf, x) -> GradFns_Graph.hyperbolicGrad2(tf, x.get(0)), 1),
        new Row("sigmoid", s(d(2, 3)), -3, 3,
            (tf, x) -> GradFns_Graph.logistic(tf, x.get(0)),
            (tf, f, dy) -> GradFns_Graph.logisticBackward(tf, (GradFns_Graph.LogisticForward) f, dy),
            (tf, x) -> GradFns_Graph.logisticGrad(tf, x.get(0)),
            (tf, x) -> GradFns_Graph.logisticGrad2(tf, x.get(0)), 1),
        // Away from the kink at 0, where the derivative jumps and finite differences straddle it.
        new Row("relu (±inputs)", s(d(2, 3)), 0.2, 2, // sign of inputs is randomized below
            (tf, x) -> GradFns_Graph.rectified(tf, x.get(0)),
            (tf, f, dy) -> GradFns_Graph.rectifiedBackward(tf, (GradFns_Graph.RectifiedForward) f, dy),
            (tf, x) -> GradFns_Graph.rectifiedGrad(tf, x.get(0)),
            (tf, x) -> GradFns_Graph.rectifiedGrad2(tf, x.get(0)), 1),
        new Row("softmax [3,5]", s(d(3, 5), d(3, 5)), -2, 2,
            (tf, x) -> GradFns_Graph.softmaxWeighted(tf, x.get(0), x.get(1)),
            (tf, f, dy) -> GradFns_Graph.softmaxWeightedBackward(tf, (GradFns_Graph.SoftmaxWeightedForward) f, dy),
            (tf, x) -> GradFns_Graph.softmaxWeightedGrad(tf, x.get(0), x.get(1)),
            (tf, x) -> GradFns_Graph.softmaxWeightedGrad2(tf, x.get(0), x.get(1)), 2),
        new Row("logSoftmax [3,5]", s(d(3, 5), d(3, 5)), -2, 2,
            (tf, x) -> GradFns_Graph.logSoftmaxWeighted(tf, x.get(0), x.get(1)),
            (tf, f, dy) -> GradFns_Graph.logSoftmaxWeightedBackward(tf, (GradFns_Graph.LogSoftmaxWeightedForward) f, dy),
            (tf, x) -> GradFns_Graph.logSoftmaxWeightedGrad(tf, x.get(0), x.get(1)),
            (tf, x) -> GradFns_Graph.logSoftmaxWeightedGrad2(tf, x.get(0), x.get(1)), 2),
        new Row("sum all", s(d(2, 3)), -2, 2,
            (tf, x) -> GradFns_Graph.sumAll(tf, x.get(0)),
            (tf, f, dy) -> GradFns_Graph.sumAllBackward(tf, (GradFns_Graph.SumAllForward) f, dy),
            (tf, x) -> GradFns_Graph.sumAllGrad(tf, x.get(0)),
            (tf, x) -> GradFns_Graph.sumAllGrad2(tf, x.get(0)), 2),
        new Row("sum axis 1 keepDims", s(d(3, 4)), -2, 2,
            (tf, x) -> GradFns_Graph.sumRowsKeep(tf, x.get(0)),
            (tf, f, dy) -> GradFns_Graph.sumRowsKeepBackward(tf, (GradFns_Graph.SumRowsKeepForward) f, dy),
            (tf, x) -> GradFns_Graph.sumRowsKeepGrad(tf, x.get(0)),
            (tf, x) -> GradFns_Graph.sumRowsKeepGrad2(tf, x.get(0)), 2),
        new Row("sum axes {0,2}", s(d(2, 3, 2)), -2, 2,
            (tf, x) -> GradFns_Graph.sumAxes(tf, x.get(0)),
            (tf, f, dy) -> GradFns_Graph.sumAxesBackward(tf, (GradFns_Graph.SumAxesForward) f, dy),
            (tf, x) -> GradFns_Graph.sumAxesGrad(tf, x.get(0)),
            (tf, x) -> GradFns_Graph.sumAxesGrad2(tf, x.get(0)), 2),
        new Row("mean all", s(d(2, 3)), -1, 1,
            (tf, x) -> GradFns_Graph.meanAll(tf, x.get(0)),
            (tf, f, dy) -> GradFns_Graph.meanAllBackward(tf, (GradFns_Graph.MeanAllForward) f, dy),
            (tf, x) -> GradFns_Graph.meanAllGrad(tf, x.get(0)),
            (tf, x) -> GradFns_Graph.meanAllGrad2(tf, x.get(0)), 2),
        new Row("mean axis 0", s(d(3, 4)), -2, 2,
            (tf, x) -> GradFns_Graph.meanColumns(tf, x.get(0)),
            (tf, f, dy) -> GradFns_Graph.meanColumnsBackward(tf, (GradFns_Graph.MeanColumnsForward) f, dy),
            (tf, x) -> GradFns_Graph.meanColumnsGrad(tf, x.get(0)),
            (tf, x) -> GradFns_Graph.meanColumnsGrad2(tf, x.get(0)), 2),
        new Row("reshape [2,6] to [3,4] and [-1,4]", s(d(2, 6)), -2, 2,
            (tf, x) -> GradFns_Graph.reshaped(tf, x.get(0)),
            (tf, f, dy) -> GradFns_Graph.reshapedBackward(tf, (GradFns_Graph.ReshapedForward) f, dy),
            (tf, x) -> GradFns_Graph.reshapedGrad(tf, x.get(0)),
            (tf, x) -> GradFns_Graph.reshapedGrad2(tf, x.get(0)), 2),
        new Row("transpose [4,3] then matmul", s(d(4, 3), d(4, 2)), -1, 1,
            (tf, x) -> GradFns_Graph.transposed(tf, x.get(0), x.get(1)),
            (tf, f, dy) -> GradFns_Graph.transposedBackward(tf, (GradFns_Graph.TransposedForward) f, dy),
            (tf, x) -> GradFns_Graph.transposedGrad(tf, x.get(0), x.get(1)),
            (tf, x) -> GradFns_Graph.transposedGrad2(tf, x.get(0), x.get(1)), 2),
        new Row("transpose perm (1,2,0)", s(d(2, 3, 2)), -2, 2,
            (tf, x) -> GradFns_Graph.permuted(tf, x.get(0)),
            (tf, f, dy) -> GradFns_Graph.permutedBackward(tf, (GradFns_Graph.PermutedForward) f, dy),
            (tf, x) -> GradFns_Graph.permutedGrad(tf, x.get(0)),
            (tf, x) -> GradFns_Graph.permutedGrad2(tf, x.get(0)), 2),
        new Row("ones, zerosLike, onesLike", s(d(3)), -2, 2,
            (tf, x) -> GradFns_Graph.withConstants(tf, x.get(0)),
            (tf, f, dy) -> GradFns_Graph.withConstantsBackward(tf, (GradFns_Graph.WithConstantsForward) f, dy),
            (tf, x) -> GradFns_Graph.withConstantsGrad(tf, x.get(0)),
            (tf, x) -> GradFns_Graph.withConstantsGrad2(tf, x.get(0)), 0),
        new Row("abs (±inputs)", s(d(2, 3)), 0.2, 2,
            (tf, x) -> GradFns_Graph.absolute(tf, x.get(0)),
            (tf, f, dy) -> GradFns_Graph.absoluteBackward(tf, (GradFns_Graph.AbsoluteForward) f, dy),
            (tf, x) -> GradFns_Graph.absoluteGrad(tf, x.get(0)),
            (tf, x) -> GradFns_Graph.absoluteGrad2(tf, x.get(0)), 1),
        new Row("maximum, minimum with numbers (±inputs)", s(d(2, 3)), 0.2, 2,
            (tf, x) -> GradFns_Graph.maxMin(tf, x.get(0)),
            (tf, f, dy) -> GradFns_Graph.maxMinBackward(tf, (GradFns_Graph.MaxMinForward) f, dy),
            (tf, x) -> GradFns_Graph.maxMinGrad(tf, x.get(0)),
            (tf, x) -> GradFns_Graph.maxMinGrad2(tf, x.get(0)), 1),
        new Row("clip, inputs outside and inside the bounds (±inputs)", s(d(3, 4)), 0.2, 2,
            (tf, x) -> GradFns_Graph.clipped(tf, x.get(0)),
            (tf, f, dy) -> GradFns_Graph.clippedBackward(tf, (GradFns_Graph.ClippedForward) f, dy),
            (tf, x) -> GradFns_Graph.clippedGrad(tf, x.get(0)),
            (tf, x) -> GradFns_Graph.clippedGrad2(tf, x.get(0)), 1),
        new Row("flatten [2,3,2]", s(d(2, 3, 2)), -2, 2,
            (tf, x) -> GradFns_Graph.flattened(tf, x.get(0)),
            (tf, f, dy) -> GradFns_Graph.flattenedBackward(tf, (GradFns_Graph.FlattenedForward) f, dy),
            (tf, x) -> GradFns_Graph.flattenedGrad(tf, x.get(0)),
            (tf, x) -> GradFns_Graph.flattenedGrad2(tf, x.get(0)), 2),
        // Labels in [0.2, 0.9) all cast to class 0; the gradient of the labels is zero. TensorFlow has no OneHot gradient.
        new Row("oneHot [3] like [3,4]", s(d(3), d(3, 4)), 0.2, 0.9,
            (tf, x) -> GradFns_Graph.oneHotWeighted(tf, x.get(0), x.get(1)),
            (tf, f, dy) -> GradFns_Graph.oneHotWeightedBackward(tf, (GradFns_Graph.OneHotWeightedForward) f, dy),
            (tf, x) -> GradFns_Graph.oneHotWeightedGrad(tf, x.get(0), x.get(1)),
            (tf, x) -> GradFns_Graph.oneHotWeightedGrad2(tf, x.get(0), x.get(1)), 0),
        new Row("value used twice (adjoint accumulation)", s(d(2, 3)), -2, 2,
            (tf, x) -> GradFns_Graph.usedTwice(tf, x.get(0)),
            (tf, f, dy) -> GradFns_Graph.usedTwiceBackward(tf, (GradFns_Graph.UsedTwiceForward) f, dy),
            (tf, x) -> GradFns_Graph.usedTwiceGrad(tf, x.get(0)),
            (tf, x) -> GradFns_Graph.usedTwiceGrad2(tf, x.get(0)), 1),
        new Row("conv2d VALID [2,5,5,3]*[3,3,3,4]", s(d(2, 5, 5, 3), d(3, 3, 3, 4)), -1, 1,
            (tf, x) -> GradFns_Graph.convValid(tf, x.get(0), x.get(1)),
            (tf, f, dy) -> GradFns_Graph.convValidBackward(tf, (GradFns_Graph.ConvValidForward) f, dy),
            (tf, x) -> GradFns_Graph.convValidGrad(tf, x.get(0), x.get(1)),
            (tf, x) -> GradFns_Graph.convValidGrad2(tf, x.get(0), x.get(1)), 1),
        new Row("conv2d SAME strides (2,1) [1,5,6,2]*[2,3,2,3]", s(d(1, 5, 6, 2), d(2, 3, 2, 3)), -1, 1,
            (tf, x) -> GradFns_Graph.convSameStrided(tf, x.get(0), x.get(1)),
            (tf, f, dy) -> GradFns_Graph.convSameStridedBackward(tf, (GradFns_Graph.ConvSameStridedForward) f, dy),
            (tf, x) -> GradFns_Graph.convSameStridedGrad(tf, x.get(0), x.get(1)),
            (tf, x) -> GradFns_Graph.convSameStridedGrad2(tf, x.get(0), x.get(1)), 1),
        new Row("maxPool 2 [2,4,4,3] (distinct)", s(d(2, 4, 4, 3)), -4, 4,
            (tf, x) -> GradFns_Graph.maxPooled(tf, x.get(0)),
            (tf, f, dy) -> GradFns_Graph.maxPooledBackward(tf, (GradFns_Graph.MaxPooledForward) f, dy),
            (tf, x) -> GradFns_Graph.maxPooledGrad(tf, x.get(0)),
            (tf, x) -> GradFns_Graph.maxPooledGrad2(tf, x.get(0)), 1),
        new Row("maxPool 3x2 SAME strides (2,1) [1,5,4,2] (distinct)", s(d(1, 5, 4, 2)), -4, 4,
            (tf, x) -> GradFns_Graph.maxPooledSame(tf, x.get(0)),
            (tf, f, dy) -> GradFns_Graph.maxPooledSameBackward(tf, (GradFns_Graph.MaxPooledSameForward) f, dy),
            (tf, x) -> GradFns_Graph.maxPooledSameGrad(tf, x.get(0)),
            (tf, x) -> GradFns_Graph.maxPooledSameGrad2(tf, x.get(0)), 1),
        new Row("avgPool 2 [2,4,4,3]", s(d(2, 4, 4, 3)), -2, 2,
            (tf, x) -> GradFns_Graph.avgPooled(tf, x.get(0)),
            (tf, f, dy) -> GradFns_Graph.avgPooledBackward(tf, (GradFns_Graph.AvgPooledForward) f, dy),
            (tf, x) -> GradFns_Graph.avgPooledGrad(tf, x.get(0)),
            (tf, x) -> GradFns_Graph.avgPooledGrad2(tf, x.get(0)), 1),
        new Row("avgPool 3x3 SAME strides 2 [1,5,5,2]", s(d(1, 5, 5, 2)), -2, 2,
            (tf, x) -> GradFns_Graph.avgPooledSame(tf, x.get(0)),
            (tf, f, dy) -> GradFns_Graph.avgPooledSameBackward(tf, (GradFns_Graph.AvgPooledSameForward) f, dy),
            (tf, x) -> GradFns_Graph.avgPooledSameGrad(tf, x.get(0)),
            (tf, x) -> GradFns_Graph.avgPooledSameGrad2(tf, x.get(0)), 1),
        new Row("biasAdd [2,3,4]+[4]", s(d(2, 3, 4), d(4)), -2, 2,
            (tf, x) -> GradFns_Graph.biased(tf, x.get(0), x.get(1)),
            (tf, f, dy) -> GradFns_Graph.biasedBackward(tf, (GradFns_Graph.BiasedForward) f, dy),
            (tf, x) -> GradFns_Graph.biasedGrad(tf, x.get(0), x.get(1)),
            (tf, x) -> GradFns_Graph.biasedGrad2(tf, x.get(0), x.get(1)), 1),
        new Row("dropout 0.4 (training)", s(d(3, 4)), -2, 2,
            (tf, x) -> GradFns_Graph.droppedOut(tf, x.get(0)),
            (tf, f, dy) -> GradFns_Graph.droppedOutBackward(tf, (GradFns_Graph.DroppedOutForward) f, dy),
            (tf, x) -> GradFns_Graph.droppedOutGrad(tf, x.get(0)),
            (tf, x) -> GradFns_Graph.droppedOutGrad2(tf, x.get(0)), 1),
        new Row("where(greater(a, 0), a^2, b a) [3,4],[4] (±inputs)", s(d(3, 4), d(4)), 0.2, 2,
            (tf, x) -> GradFns_Graph.selected(tf, x.get(0), x.get(1)),
            (tf, f, dy) -> GradFns_Graph.selectedBackward(tf, (GradFns_Graph.SelectedForward) f, dy),
            (tf, x) -> GradFns_Graph.selectedGrad(tf, x.get(0), x.get(1)),
            (tf, x) -> GradFns_Graph.selectedGrad2(tf, x.get(0), x.get(1)), 1),
        new Row("where(less(a, 0), 2, a a) (±inputs)", s(d(3, 4)), 0.2, 2,
            (tf, x) -> GradFns_Graph.selectedLess(tf, x.get(0)),
            (tf, f, dy) -> GradFns_Graph.selectedLessBackward(tf, (GradFns_Graph.SelectedLessForward) f, dy),
            (tf, x) -> GradFns_Graph.selectedLessGrad(tf, x.get(0)),
            (tf, x) -> GradFns_Graph.selectedLessGrad2(tf, x.get(0)), 1),
        new Row("gather [5,3] at [2,4] (ids)", s(d(5, 3), d(2, 4)), 0, 5,
            (tf, x) -> GradFns_Graph.gathered(tf, x.get(0), x.get(1)),
            (tf, f, dy) -> GradFns_Graph.gatheredBackward(tf, (GradFns_Graph.GatheredForward) f, dy),
            (tf, x) -> GradFns_Graph.gatheredGrad(tf, x.get(0), x.get(1)),
            (tf, x) -> GradFns_Graph.gatheredGrad2(tf, x.get(0), x.get(1)), 1),
        new Row("concat [2,3],[2,2] axis 1 and -1", s(d(2, 3), d(2, 2)), -2, 2,
            (tf, x) -> GradFns_Graph.concatenated(tf, x.get(0), x.get(1)),
            (tf, f, dy) -> GradFns_Graph.concatenatedBackward(tf, (GradFns_Graph.ConcatenatedForward) f, dy),
            (tf, x) -> GradFns_Graph.concatenatedGrad(tf, x.get(0), x.get(1)),
            (tf, x) -> GradFns_Graph.concatenatedGrad2(tf, x.get(0), x.get(1)), 1),
        new Row("slice axis 1 [1,3) of [2,4,3]", s(d(2, 4, 3)), -2, 2,
            (tf, x) -> GradFns_Graph.sliced(tf, x.get(0)),
            (tf, f, dy) -> GradFns_Graph.slicedBackward(tf, (GradFns_Graph.SlicedForward) f, dy),
            (tf, x) -> GradFns_Graph.slicedGrad(tf, x.get(0)),
            (tf, x) -> GradFns_Graph.slicedGrad2(tf, x.get(0)), 1),
        new Row("take axis 1 positions 2 and 0 of [2,3,4]", s(d(2, 3, 4)), -2, 2,
            (tf, x) -> GradFns_Graph.taken(tf, x.get(0)),
            (tf, f, dy) -> GradFns_Graph.takenBackward(tf, (GradFns_Graph.TakenForward) f, dy),
            (tf, x) -> GradFns_Graph.takenGrad(tf, x.get(0)),
            (tf, x) -> GradFns_Graph.takenGrad2(tf, x.get(0)), 1),
        new Row("expandDims axes 1 and -1 of [2,3], broadcast to [2,3,3]", s(d(2, 3)), -2, 2,
            (tf, x) -> GradFns_Graph.expanded(tf, x.get(0)),
            (tf, f, dy) -> GradFns_Graph.expandedBackward(tf, (GradFns_Graph.ExpandedForward) f, dy),
            (tf, x) -> GradFns_Graph.expandedGrad(tf, x.get(0)),
            (tf, x) -> GradFns_Graph.expandedGrad2(tf, x.get(0)), 2),
        new Row("batch normalization in training [2,3,2,3]*[3] (mergeLeading, batch statistics)",
            s(d(2, 3, 2, 3), d(3)), -2, 2,
            (tf, x) -> GradFns_Graph.batchNormalized(tf, x.get(0), x.get(1)),
            (tf, f, dy) -> GradFns_Graph.batchNormalizedBackward(tf, (GradFns_Graph.BatchNormalizedForward) f, dy),
            (tf, x) -> GradFns_Graph.batchNormalizedGrad(tf, x.get(0), x.get(1)),
            (tf, x) -> GradFns_Graph.batchNormalizedGrad2(tf, x.get(0), x.get(1)), 1));
  }

  // Central differences in float32: truncation h^2 f'''/6 and rounding ~1e-7 |f| / h balance near
  // h = 1e-2 for inputs of size ~1; the tolerance is set for that, not tuned per op.
  static final double H = 1e-2;
  static final double FD_TOL = 2e-2;
  // Against TensorFlow's own gradient graph both sides are exact up to float32 rounding.
  static final double TF_TOL = 1e-4;

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void firstOrder(Row row) {
    Random random = new Random(row.op().hashCode());
    float[][] inputs = inputs(row, random);
    try (Graph g = new Graph()) {
      TfGraph state = new TfGraph(g);
      Tf tf = state.tf();
      List<Operand<TFloat32>> xs = placeholders(state, row);
      Forward fwd = row.fwd().apply(tf, xs);
      // A random output adjoint, so that every entry of the Jacobian counts.
      try (TfSession session = new TfSession(state)) {
        float[] out = run(session, xs, inputs, List.of(fwd.output())).get(0);
        long[] shape = fwd.output().shape().asArray();
        float[] r = new float[out.length];
        for (int i = 0; i < r.length; i++) {
          r[i] = (float) (random.nextDouble() * 2 - 1);
        }
        Operand<TFloat32> dy = state.ops().constant(org.tensorflow.ndarray.Shape.of(runtimeShape(shape, out.length)),
            org.tensorflow.ndarray.buffer.DataBuffers.of(r, true, false));
        Gradients grads = row.bwd().apply(tf, fwd, dy);
        Operand<TFloat32> weighted = tf.sum(tf.mul(fwd.output(), dy));
        List<Operand<?>> fetches = new ArrayList<>(dense(tf, grads, xs));
        Output<?>[] oracle = row.tfOrders() >= 1 ? g.addGradients("oracle", new Output<?>[] {fwd.output().asOutput()},
            outputs(xs), new Output<?>[] {dy.asOutput()}) : new Output<?>[0];
        for (Output<?> o : oracle) {
          if (!isNull(o)) {
            fetches.add(o);
          }
        }
        List<float[]> values = run(session, xs, inputs, fetches);
        int next = xs.size();
        for (int i = 0; i < xs.size(); i++) {
          float[] ours = values.get(i);
          if (row.tfOrders() >= 1) {
            // zero where TensorFlow finds no dependence (gather's ids)
            float[] tfs = isNull(oracle[i]) ? new float[ours.length] : values.get(next++);
            assertClose(tfs, ours, TF_TOL, row + ": input " + i + " against Graph.addGradients");
          }
          float[] fd = finiteDifferences(session, xs, inputs, weighted, i);
          assertClose(fd, ours, FD_TOL, row + ": input " + i + " against finite differences");
        }
        if (row.op().contains("(training)")) {
          return; // the whole-gradient entry builds its own forward, which draws its own dropout mask
        }
        // The whole-gradient entry point agrees with forward + backward at a ones adjoint.
        Gradients whole = row.grad().apply(tf, xs);
        Gradients viaBackward = row.bwd().apply(tf, fwd, tf.onesLike(fwd.output()));
        List<Operand<?>> both = new ArrayList<>(dense(tf, whole, xs));
        both.addAll(dense(tf, viaBackward, xs));
        List<float[]> v = run(session, xs, inputs, both);
        for (int i = 0; i < xs.size(); i++) {
          assertClose(v.get(xs.size() + i), v.get(i), 1e-6, row + ": grad against backward");
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void secondOrder(Row row) {
    // Grad2 and Grad each build their own forward, so each draws its own dropout mask: the second
    // order of a random row is not a function of the inputs alone.
    org.junit.jupiter.api.Assumptions.assumeFalse(row.op().contains("(training)"), "random mask");
    Random random = new Random(row.op().hashCode() + 1);
    float[][] inputs = inputs(row, random);
    try (Graph g = new Graph()) {
      TfGraph state = new TfGraph(g);
      Tf tf = state.tf();
      List<Operand<TFloat32>> xs = placeholders(state, row);
      Gradients first = row.grad().apply(tf, xs);
      Gradients second = row.grad2().apply(tf, xs);
      try (TfSession session = new TfSession(state)) {
        for (int i = 0; i < xs.size(); i++) {
          Operand<TFloat32> summed = tf.sum(dense(tf, first, xs).get(i));
          float[] ours = run(session, xs, inputs, List.of(dense(tf, second, xs).get(i))).get(0);
          float[] fd = finiteDifferences(session, xs, inputs, summed, i);
          assertClose(fd, ours, FD_TOL, row + ": second order, input " + i + " against finite differences");
          if (row.tfOrders() >= 2) {
            // TensorFlow's gradient of its own gradient of the forward.
            Forward fwd = row.fwd().apply(tf, xs);
            // A constant seed: TensorFlow cannot differentiate through its default OnesLike seed.
            Operand<TFloat32> ones = tf.ones(fwd.output().shape().asArray());
            Output<?> tfFirst = g.addGradients("first" + i, new Output<?>[] {fwd.output().asOutput()},
                new Output<?>[] {xs.get(i).asOutput()}, new Output<?>[] {ones.asOutput()})[0];
            float[] tfs = new float[ours.length]; // zero where TensorFlow finds no dependence
            if (!isNull(tfFirst)) {
              @SuppressWarnings("unchecked")
              Operand<TFloat32> tfSummed = tf.sum((Output<TFloat32>) tfFirst);
              try {
                Output<?> tfSecond = g.addGradients("second" + i, new Output<?>[] {tfSummed.asOutput()},
                    new Output<?>[] {xs.get(i).asOutput()}, null)[0];
                if (!isNull(tfSecond)) {
                  tfs = run(session, xs, inputs, List.of(tfSecond)).get(0);
                }
              } catch (org.tensorflow.exceptions.TFInvalidArgumentException unreachable) {
                assertTrue(unreachable.getMessage().contains("unreachable"), unreachable.getMessage());
              }
            }
            assertClose(tfs, ours, TF_TOL, row + ": second order, input " + i + " against Graph.addGradients");
          }
        }
      }
    }
  }

  /** The gradients, zeros where the generated code says there is none (a null: a symbolic zero). */
  static List<Operand<TFloat32>> dense(Tf tf, Gradients grads, List<Operand<TFloat32>> xs) {
    List<Operand<TFloat32>> out = new ArrayList<>();
    for (int i = 0; i < xs.size(); i++) {
      out.add(tf.orZerosLike(grads.asList().get(i), xs.get(i)));
    }
    return out;
  }

  /** Graph.addGradients answers a null handle for an input the output does not reach. */
  static boolean isNull(Output<?> o) {
    try {
      o.dataType();
      return false;
    } catch (IllegalStateException nullHandle) {
      return true;
    }
  }

  private static long[] runtimeShape(long[] staticShape, int size) {
    long[] s = staticShape.clone();
    for (int i = 0; i < s.length; i++) {
      if (s[i] < 0) {
        throw new IllegalStateException("test inputs have static shapes");
      }
    }
    assertEquals(size, Arrays.stream(s).reduce(1, (a, b) -> a * b));
    return s;
  }

  private static float[][] inputs(Row row, Random random) {
    float[][] out = new float[row.shapes().length][];
    for (int i = 0; i < out.length; i++) {
      int n = (int) Arrays.stream(row.shapes()[i]).reduce(1, (a, b) -> a * b);
      out[i] = new float[n];
      for (int j = 0; j < n; j++) {
        double v = row.lo() + random.nextDouble() * (row.hi() - row.lo());
        out[i][j] = (float) (row.op().contains("±") && random.nextBoolean() ? -v : v);
        if (row.op().contains("(ids)") && i == out.length - 1) {
          out[i][j] = (float) Math.floor(v) + 0.5f; // class k + 0.5: casts to k, and so does k + 0.5 ± H
        }
      }
      if (row.op().contains("(distinct)")) {
        // A shuffled even grid: values (hi - lo) / n apart, so no difference step can change which is a maximum.
        java.util.List<Float> grid = new java.util.ArrayList<>();
        for (int j = 0; j < n; j++) {
          grid.add((float) (row.lo() + (j + 0.5) * (row.hi() - row.lo()) / n));
        }
        java.util.Collections.shuffle(grid, random);
        for (int j = 0; j < n; j++) {
          out[i][j] = grid.get(j);
        }
      }
    }
    return out;
  }

  private static List<Operand<TFloat32>> placeholders(TfGraph state, Row row) {
    List<Operand<TFloat32>> xs = new ArrayList<>();
    for (int i = 0; i < row.shapes().length; i++) {
      xs.add(state.placeholder("x" + i, row.shapes()[i]));
    }
    return xs;
  }

  private static Output<?>[] outputs(List<Operand<TFloat32>> xs) {
    Output<?>[] out = new Output<?>[xs.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = xs.get(i).asOutput();
    }
    return out;
  }

  private static List<float[]> run(TfSession session, List<Operand<TFloat32>> xs, float[][] inputs,
      List<? extends Operand<?>> fetches) {
    Map<Operand<?>, Tensor> feeds = new HashMap<>();
    List<Tensor> open = new ArrayList<>();
    try {
      for (int i = 0; i < xs.size(); i++) {
        TFloat32 t = Tensors.of(inputs[i], xs.get(i).shape().asArray());
        open.add(t);
        feeds.put(xs.get(i), t);
      }
      // Rows with dropout are checked in training mode, where the mask is drawn (the same one every run).
      var training = ((Graph) xs.get(0).env()).operation("training");
      if (training != null) {
        TFloat32 one = Tensors.scalar(1f);
        open.add(one);
        feeds.put(training.output(0), one);
      }
      return session.run(feeds, fetches);
    } finally {
      open.forEach(Tensor::close);
    }
  }

  /** d(scalar)/d(input i), by central differences, one element at a time. */
  private static float[] finiteDifferences(TfSession session, List<Operand<TFloat32>> xs, float[][] inputs,
      Operand<TFloat32> scalar, int i) {
    float[] out = new float[inputs[i].length];
    for (int j = 0; j < out.length; j++) {
      float keep = inputs[i][j];
      inputs[i][j] = (float) (keep + H);
      double plus = run(session, xs, inputs, List.of(scalar)).get(0)[0];
      inputs[i][j] = (float) (keep - H);
      double minus = run(session, xs, inputs, List.of(scalar)).get(0)[0];
      inputs[i][j] = keep;
      out[j] = (float) ((plus - minus) / (2 * H));
    }
    return out;
  }

  static void assertClose(float[] expected, float[] actual, double tol, String what) {
    assertEquals(expected.length, actual.length, what + ": sizes");
    for (int k = 0; k < expected.length; k++) {
      double scale = Math.max(1, Math.abs(expected[k]));
      assertTrue(Math.abs(expected[k] - actual[k]) <= tol * scale,
          what + ": element " + k + " expected " + expected[k] + " got " + actual[k]
              + "\n expected " + Arrays.toString(expected) + "\n actual   " + Arrays.toString(actual));
    }
  }
}
