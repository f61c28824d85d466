package dev.leibniz.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
      int tfOrders, float[][] at) {
    Row(String op, long[][] shapes, double lo, double hi, Fwd fwd, Bwd bwd, Whole grad, Whole grad2, int tfOrders) {
      this(op, shapes, lo, hi, fwd, bwd, grad, grad2, tfOrders, null);
    }

    /**
     * A row at given inputs: kinks, ties and infinities, where finite differences mean nothing
     * and TensorFlow's own gradient (its conventions) is the oracle.
     */
    static Row at(String op, float[][] inputs, Fwd fwd, Bwd bwd, Whole grad) {
      long[][] shapes = new long[inputs.length][];
      for (int i = 0; i < inputs.length; i++) {
        shapes[i] = new long[] {inputs[i].length};
      }
      return new Row(op, shapes, 0, 0, fwd, bwd, grad, null, 1, inputs);
    }

    @Override
    public String toString() {
      return op;
    }
  }

  /** A row as it is, or with the batch dimension (dimension 0 of the inputs that share the first's) unknown. */
  record Case(Row row, boolean unknownBatch) {
    @Override
    public String toString() {
      return row + (unknownBatch ? " (batch -1)" : "");
    }
  }

  static {
    OracleGradients.register();
  }

  static Stream<Case> cases() {
    return rows().flatMap(r -> Stream.of(new Case(r, false), new Case(r, true)));
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
        new Row("matmul [2,3,4]x[4,2] (last axis)", s(d(2, 3, 4), d(4, 2)), -1, 1,
            (tf, x) -> GradFns_Graph.stepwise(tf, x.get(0), x.get(1)),
            (tf, f, dy) -> GradFns_Graph.stepwiseBackward(tf, (GradFns_Graph.StepwiseForward) f, dy),
            (tf, x) -> GradFns_Graph.stepwiseGrad(tf, x.get(0), x.get(1)),
            (tf, x) -> GradFns_Graph.stepwiseGrad2(tf, x.get(0), x.get(1)), 1),
        new Row("lowerTriangle [2,3,4]", s(d(2, 3, 4)), -1, 1,
            (tf, x) -> GradFns_Graph.causal(tf, x.get(0)),
            (tf, f, dy) -> GradFns_Graph.causalBackward(tf, (GradFns_Graph.CausalForward) f, dy),
            (tf, x) -> GradFns_Graph.causalGrad(tf, x.get(0)),
            (tf, x) -> GradFns_Graph.causalGrad2(tf, x.get(0)), 2),
        new Row("firstRows of [5,3] for [2,4,3]", s(d(5, 3), d(2, 4, 3)), -1, 1,
            (tf, x) -> GradFns_Graph.positioned(tf, x.get(0), x.get(1)),
            (tf, f, dy) -> GradFns_Graph.positionedBackward(tf, (GradFns_Graph.PositionedForward) f, dy),
            (tf, x) -> GradFns_Graph.positionedGrad(tf, x.get(0), x.get(1)),
            (tf, x) -> GradFns_Graph.positionedGrad2(tf, x.get(0), x.get(1)), 2),
        new Row("mergeFirst [2,3,4], matmul, splitFirst like it", s(d(2, 3, 4), d(4, 2)), -1, 1,
            (tf, x) -> GradFns_Graph.everyStep(tf, x.get(0), x.get(1)),
            (tf, f, dy) -> GradFns_Graph.everyStepBackward(tf, (GradFns_Graph.EveryStepForward) f, dy),
            (tf, x) -> GradFns_Graph.everyStepGrad(tf, x.get(0), x.get(1)),
            (tf, x) -> GradFns_Graph.everyStepGrad2(tf, x.get(0), x.get(1)), 2),
        new Row("reverse axis 1 of [2,3,2]", s(d(2, 3, 2)), -1, 1,
            (tf, x) -> GradFns_Graph.reversed(tf, x.get(0)),
            (tf, f, dy) -> GradFns_Graph.reversedBackward(tf, (GradFns_Graph.ReversedForward) f, dy),
            (tf, x) -> GradFns_Graph.reversedGrad(tf, x.get(0)),
            (tf, x) -> GradFns_Graph.reversedGrad2(tf, x.get(0)), 2),
        new Row("batched matmul [2,3,4]x[2,4,2]", s(d(2, 3, 4), d(2, 4, 2)), -1, 1,
            (tf, x) -> GradFns_Graph.batchedProduct(tf, x.get(0), x.get(1)),
            (tf, f, dy) -> GradFns_Graph.batchedProductBackward(tf, (GradFns_Graph.BatchedProductForward) f, dy),
            (tf, x) -> GradFns_Graph.batchedProductGrad(tf, x.get(0), x.get(1)),
            (tf, x) -> GradFns_Graph.batchedProductGrad2(tf, x.get(0), x.get(1)), 2),
        new Row("attention scores [2,3,4]: splitLast into 2 heads, transposed batched matmul, mergeLast",
            s(d(2, 3, 4), d(2, 3, 4)), -1, 1,
            (tf, x) -> GradFns_Graph.scores(tf, x.get(0), x.get(1)),
            (tf, f, dy) -> GradFns_Graph.scoresBackward(tf, (GradFns_Graph.ScoresForward) f, dy),
            (tf, x) -> GradFns_Graph.scoresGrad(tf, x.get(0), x.get(1)),
            (tf, x) -> GradFns_Graph.scoresGrad2(tf, x.get(0), x.get(1)), 2),
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
        new Row("max over axis 1 and over all [3,4] (distinct)", s(d(3, 4)), -2, 2,
            (tf, x) -> GradFns_Graph.maxed(tf, x.get(0)),
            (tf, f, dy) -> GradFns_Graph.maxedBackward(tf, (GradFns_Graph.MaxedForward) f, dy),
            (tf, x) -> GradFns_Graph.maxedGrad(tf, x.get(0)),
            (tf, x) -> GradFns_Graph.maxedGrad2(tf, x.get(0)), 1),
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
        new Row("conv2dTranspose SAME strides 2 [2,3,3,2]*[3,3,4,2]", s(d(2, 3, 3, 2), d(3, 3, 4, 2)), -1, 1,
            (tf, x) -> GradFns_Graph.convTransposed(tf, x.get(0), x.get(1)),
            (tf, f, dy) -> GradFns_Graph.convTransposedBackward(tf, (GradFns_Graph.ConvTransposedForward) f, dy),
            (tf, x) -> GradFns_Graph.convTransposedGrad(tf, x.get(0), x.get(1)),
            (tf, x) -> GradFns_Graph.convTransposedGrad2(tf, x.get(0), x.get(1)), 1),
        new Row("conv2dTranspose VALID strides (2,1) [1,3,2,2]*[2,3,3,2]", s(d(1, 3, 2, 2), d(2, 3, 3, 2)), -1, 1,
            (tf, x) -> GradFns_Graph.convTransposedValid(tf, x.get(0), x.get(1)),
            (tf, f, dy) -> GradFns_Graph.convTransposedValidBackward(tf, (GradFns_Graph.ConvTransposedValidForward) f, dy),
            (tf, x) -> GradFns_Graph.convTransposedValidGrad(tf, x.get(0), x.get(1)),
            (tf, x) -> GradFns_Graph.convTransposedValidGrad2(tf, x.get(0), x.get(1)), 1),
        new Row("upSample2d 2x3 [2,2,3,2]", s(d(2, 2, 3, 2)), -2, 2,
            (tf, x) -> GradFns_Graph.upSampled(tf, x.get(0)),
            (tf, f, dy) -> GradFns_Graph.upSampledBackward(tf, (GradFns_Graph.UpSampledForward) f, dy),
            (tf, x) -> GradFns_Graph.upSampledGrad(tf, x.get(0)),
            (tf, x) -> GradFns_Graph.upSampledGrad2(tf, x.get(0)), 2),
        new Row("leakyRelu 0.2 (±inputs)", s(d(2, 3)), 0.2, 2,
            (tf, x) -> GradFns_Graph.leaky(tf, x.get(0)),
            (tf, f, dy) -> GradFns_Graph.leakyBackward(tf, (GradFns_Graph.LeakyForward) f, dy),
            (tf, x) -> GradFns_Graph.leakyGrad(tf, x.get(0)),
            (tf, x) -> GradFns_Graph.leakyGrad2(tf, x.get(0)), 1),
        new Row("randomNormal draw (training)", s(d(3, 4)), -2, 2,
            (tf, x) -> GradFns_Graph.noisy(tf, x.get(0)),
            (tf, f, dy) -> GradFns_Graph.noisyBackward(tf, (GradFns_Graph.NoisyForward) f, dy),
            (tf, x) -> GradFns_Graph.noisyGrad(tf, x.get(0)),
            (tf, x) -> GradFns_Graph.noisyGrad2(tf, x.get(0)), 0), // TensorFlow has no gradient for the draw
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
        // Along the batch axis: with it unknown (the -1 run), the gradient pads to a size known only at run time.
        new Row("slice [1,3) and take 0 along axis 0 of [4,3]", s(d(4, 3)), -2, 2,
            (tf, x) -> GradFns_Graph.batchSliced(tf, x.get(0)),
            (tf, f, dy) -> GradFns_Graph.batchSlicedBackward(tf, (GradFns_Graph.BatchSlicedForward) f, dy),
            (tf, x) -> GradFns_Graph.batchSlicedGrad(tf, x.get(0)),
            (tf, x) -> GradFns_Graph.batchSlicedGrad2(tf, x.get(0)), 1),
        new Row("slices [0,2), [2,4) and [1,3) of axis 1 of [3,4] (gradients joined)", s(d(3, 4)), -2, 2,
            (tf, x) -> GradFns_Graph.slicesJoined(tf, x.get(0)),
            (tf, f, dy) -> GradFns_Graph.slicesJoinedBackward(tf, (GradFns_Graph.SlicesJoinedForward) f, dy),
            (tf, x) -> GradFns_Graph.slicesJoinedGrad(tf, x.get(0)),
            (tf, x) -> GradFns_Graph.slicesJoinedGrad2(tf, x.get(0)), 1),
        new Row("slices [0,1), [1,2), [2,3) along axis 0 of [4,3] (gradients joined)", s(d(4, 3)), -2, 2,
            (tf, x) -> GradFns_Graph.batchSlicesJoined(tf, x.get(0)),
            (tf, f, dy) -> GradFns_Graph.batchSlicesJoinedBackward(tf, (GradFns_Graph.BatchSlicesJoinedForward) f, dy),
            (tf, x) -> GradFns_Graph.batchSlicesJoinedGrad(tf, x.get(0)),
            (tf, x) -> GradFns_Graph.batchSlicesJoinedGrad2(tf, x.get(0)), 1),
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
            (tf, x) -> GradFns_Graph.batchNormalizedGrad2(tf, x.get(0), x.get(1)), 1),
        new Row("rsqrt", s(d(2, 3)), 0.5, 3,
            (tf, x) -> GradFns_Graph.inverseRoot(tf, x.get(0)),
            (tf, f, dy) -> GradFns_Graph.inverseRootBackward(tf, (GradFns_Graph.InverseRootForward) f, dy),
            (tf, x) -> GradFns_Graph.inverseRootGrad(tf, x.get(0)),
            (tf, x) -> GradFns_Graph.inverseRootGrad2(tf, x.get(0)), 1),
        new Row("softplus", s(d(2, 3)), -4, 4,
            (tf, x) -> GradFns_Graph.smoothRelu(tf, x.get(0)),
            (tf, f, dy) -> GradFns_Graph.smoothReluBackward(tf, (GradFns_Graph.SmoothReluForward) f, dy),
            (tf, x) -> GradFns_Graph.smoothReluGrad(tf, x.get(0)),
            (tf, x) -> GradFns_Graph.smoothReluGrad2(tf, x.get(0)), 1),
        new Row("maximum, minimum tensor against tensor [3,4],[4]", s(d(3, 4), d(4)), -2, 2,
            (tf, x) -> GradFns_Graph.maxMinTensors(tf, x.get(0), x.get(1)),
            (tf, f, dy) -> GradFns_Graph.maxMinTensorsBackward(tf, (GradFns_Graph.MaxMinTensorsForward) f, dy),
            (tf, x) -> GradFns_Graph.maxMinTensorsGrad(tf, x.get(0), x.get(1)),
            (tf, x) -> GradFns_Graph.maxMinTensorsGrad2(tf, x.get(0), x.get(1)), 1),
        new Row("softmaxCrossEntropy [3,4] labels and logits", s(d(3, 4), d(3, 4)), -2, 2,
            (tf, x) -> GradFns_Graph.crossEntropy(tf, x.get(0), x.get(1)),
            (tf, f, dy) -> GradFns_Graph.crossEntropyBackward(tf, (GradFns_Graph.CrossEntropyForward) f, dy),
            (tf, x) -> GradFns_Graph.crossEntropyGrad(tf, x.get(0), x.get(1)),
            (tf, x) -> GradFns_Graph.crossEntropyGrad2(tf, x.get(0), x.get(1)), 1),
        new Row("softmaxCrossEntropy [2,3,4] (flattened to rows)", s(d(2, 3, 4), d(2, 3, 4)), -2, 2,
            (tf, x) -> GradFns_Graph.crossEntropy(tf, x.get(0), x.get(1)),
            (tf, f, dy) -> GradFns_Graph.crossEntropyBackward(tf, (GradFns_Graph.CrossEntropyForward) f, dy),
            (tf, x) -> GradFns_Graph.crossEntropyGrad(tf, x.get(0), x.get(1)),
            (tf, x) -> GradFns_Graph.crossEntropyGrad2(tf, x.get(0), x.get(1)), 1),
        // TensorFlow's C++ gradients (Graph.addGradients) have none for SparseSoftmaxCrossEntropyWithLogits:
        // checked against finite differences, and against the dense form in LossesTest.
        new Row("sparseSoftmaxCrossEntropy [3] labels, [3,4] logits (ids)", s(d(3, 4), d(3)), 0, 4,
            (tf, x) -> GradFns_Graph.sparseCrossEntropy(tf, x.get(0), x.get(1)),
            (tf, f, dy) -> GradFns_Graph.sparseCrossEntropyBackward(tf, (GradFns_Graph.SparseCrossEntropyForward) f, dy),
            (tf, x) -> GradFns_Graph.sparseCrossEntropyGrad(tf, x.get(0), x.get(1)),
            (tf, x) -> GradFns_Graph.sparseCrossEntropyGrad2(tf, x.get(0), x.get(1)), 0),
        // ---- at kinks, ties and infinities: TensorFlow's conventions
        Row.at("maximum at ties and ±inf", new float[][] {
                {1, 2, INF, -INF, 0.3f, 5, INF, -2},
                {1, 3, 1, 1, 0.1f, INF, INF, -2}},
            (tf, x) -> GradFns_Graph.maxTensors(tf, x.get(0), x.get(1)),
            (tf, f, dy) -> GradFns_Graph.maxTensorsBackward(tf, (GradFns_Graph.MaxTensorsForward) f, dy),
            (tf, x) -> GradFns_Graph.maxTensorsGrad(tf, x.get(0), x.get(1))),
        Row.at("minimum at ties and ±inf", new float[][] {
                {1, 2, INF, -INF, 1e8f, 5, -INF, -2},
                {1, 3, 1, 1, 1, -INF, -INF, -2}},
            (tf, x) -> GradFns_Graph.minTensors(tf, x.get(0), x.get(1)),
            (tf, f, dy) -> GradFns_Graph.minTensorsBackward(tf, (GradFns_Graph.MinTensorsForward) f, dy),
            (tf, x) -> GradFns_Graph.minTensorsGrad(tf, x.get(0), x.get(1))),
        Row.at("clip to [-1, 1] at its bounds, far outside and at ±inf", new float[][] {
                {-1, 1, 0.5f, 1e8f, -1e8f, INF, -INF, 1.0000001f, -1.0000001f}},
            (tf, x) -> GradFns_Graph.clipUnit(tf, x.get(0)),
            (tf, f, dy) -> GradFns_Graph.clipUnitBackward(tf, (GradFns_Graph.ClipUnitForward) f, dy),
            (tf, x) -> GradFns_Graph.clipUnitGrad(tf, x.get(0))),
        Row.at("sqrt at 0 behind where(greater(x, 0), sqrt(x), 0)", new float[][] {{0, 0, 4, 1, -1}},
            (tf, x) -> GradFns_Graph.guardedRoot(tf, x.get(0)),
            (tf, f, dy) -> GradFns_Graph.guardedRootBackward(tf, (GradFns_Graph.GuardedRootForward) f, dy),
            (tf, x) -> GradFns_Graph.guardedRootGrad(tf, x.get(0))),
        Row.at("max with ties (shared) and -inf", new float[][] {{3, 3, 1, -INF}},
            (tf, x) -> GradFns_Graph.maxAlone(tf, tf.reshape(x.get(0), new long[] {2, 2})),
            (tf, f, dy) -> GradFns_Graph.maxAloneBackward(tf, (GradFns_Graph.MaxAloneForward) f, dy),
            (tf, x) -> GradFns_Graph.maxAloneGrad(tf, tf.reshape(x.get(0), new long[] {2, 2}))),
        Row.at("abs at 0", new float[][] {{0, -1, 2, -0f}},
            (tf, x) -> GradFns_Graph.absoluteAlone(tf, x.get(0)),
            (tf, f, dy) -> GradFns_Graph.absoluteAloneBackward(tf, (GradFns_Graph.AbsoluteAloneForward) f, dy),
            (tf, x) -> GradFns_Graph.absoluteAloneGrad(tf, x.get(0))),
        Row.at("softplus at 0 and ±100", new float[][] {{0, 100, -100, 20}},
            (tf, x) -> GradFns_Graph.smoothRelu(tf, x.get(0)),
            (tf, f, dy) -> GradFns_Graph.smoothReluBackward(tf, (GradFns_Graph.SmoothReluForward) f, dy),
            (tf, x) -> GradFns_Graph.smoothReluGrad(tf, x.get(0))));
  }

  static final float INF = Float.POSITIVE_INFINITY;

  // Central differences in float32: truncation h^2 f'''/6 and rounding ~1e-7 |f| / h balance near
  // h = 1e-2 for inputs of size ~1; the tolerance is set for that, not tuned per op.
  static final double H = 1e-2;
  static final double FD_TOL = 2e-2;
  // Against TensorFlow's own gradient graph both sides are exact up to float32 rounding.
  static final double TF_TOL = 1e-4;

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void firstOrder(Case c) {
    Row row = c.row();
    Random random = new Random(row.op().hashCode());
    float[][] inputs = inputs(row, random);
    try (Graph g = new Graph()) {
      TfGraph state = new TfGraph(g);
      Tf tf = state.tf();
      List<Operand<TFloat32>> xs = placeholders(state, c);
      Forward fwd = row.fwd().apply(tf, xs);
      // A random output adjoint, so that every entry of the Jacobian counts; fed, so that its
      // static shape is the output's (unknown batch included).
      try (TfSession session = new TfSession(state)) {
        long[] shape = runtimeShape(session, xs, inputs, fwd.output());
        int size = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        float[] r = new float[size];
        for (int i = 0; i < r.length; i++) {
          r[i] = (float) (random.nextDouble() * 2 - 1);
        }
        Operand<TFloat32> dy = state.placeholder("dy", fwd.output().shape().asArray());
        xs = new ArrayList<>(xs);
        xs.add(dy);
        inputs = Arrays.copyOf(inputs, inputs.length + 1);
        inputs[inputs.length - 1] = r;
        Gradients grads = row.bwd().apply(tf, fwd, dy);
        Operand<TFloat32> weighted = tf.sum(tf.mul(fwd.output(), dy));
        List<Operand<TFloat32>> ins = xs.subList(0, xs.size() - 1); // the row's inputs, without dy
        List<Operand<?>> fetches = new ArrayList<>(dense(tf, grads, ins));
        Output<?>[] oracle = row.tfOrders() >= 1 ? g.addGradients("oracle", new Output<?>[] {fwd.output().asOutput()},
            outputs(ins), new Output<?>[] {dy.asOutput()}) : new Output<?>[0];
        for (Output<?> o : oracle) {
          if (!isNull(o)) {
            fetches.add(o);
          }
        }
        List<float[]> values = run(session, xs, inputs, fetches);
        int next = ins.size();
        for (int i = 0; i < ins.size(); i++) {
          float[] ours = values.get(i);
          if (row.tfOrders() >= 1) {
            // zero where TensorFlow finds no dependence (gather's ids)
            float[] tfs = isNull(oracle[i]) ? new float[ours.length] : values.get(next++);
            assertClose(tfs, ours, TF_TOL, c + ": input " + i + " against Graph.addGradients");
          }
          if (row.at() == null) {
            float[] fd = finiteDifferences(session, xs, inputs, weighted, i);
            assertClose(fd, ours, FD_TOL, c + ": input " + i + " against finite differences");
          }
        }
        if (row.op().contains("(training)")) {
          return; // the whole-gradient entry builds its own forward, which draws its own dropout mask
        }
        // The whole-gradient entry point agrees with forward + backward at a ones adjoint.
        Gradients whole = row.grad().apply(tf, ins);
        Gradients viaBackward = row.bwd().apply(tf, fwd, tf.onesLike(fwd.output()));
        List<Operand<?>> both = new ArrayList<>(dense(tf, whole, ins));
        both.addAll(dense(tf, viaBackward, ins));
        List<float[]> v = run(session, xs, inputs, both);
        for (int i = 0; i < ins.size(); i++) {
          assertClose(v.get(ins.size() + i), v.get(i), 1e-6, c + ": grad against backward");
        }
      }
    }
  }

  /** The measured defects of piecewise ops built from relu, pinned with TensorFlow's values written out. */
  @org.junit.jupiter.api.Test
  void kinksAndInfinitiesFollowTensorFlow() {
    float[] x = {-1, 1, 1e8f, INF, -INF, 0.5f};
    assertArrayEquals(new float[] {-1, 1, 1, 1, -1, 0.5f}, forwardAndOnesGradient(GradFns_Graph.CLIP_UNIT, x)[0]);
    assertArrayEquals(new float[] {1, 1, 0, 0, 0, 1}, forwardAndOnesGradient(GradFns_Graph.CLIP_UNIT, x)[1],
        "clip passes the gradient at both bounds");
    float[][] max = forwardAndOnesGradient(GradFns_Graph.MAX_TENSORS, new float[] {0.3f, 1, 1e8f}, new float[] {0.1f, 1, 1});
    assertArrayEquals(new float[] {0.3f, 1, 1e8f}, max[0], "maximum is exact");
    assertArrayEquals(new float[] {1, 1, 1}, max[1], "a tie sends maximum's gradient to the first argument");
    assertArrayEquals(new float[] {0, 0, 0}, max[2]);
    float[][] min = forwardAndOnesGradient(GradFns_Graph.MIN_TENSORS, new float[] {1e8f, 1}, new float[] {1, 1});
    assertArrayEquals(new float[] {1, 1}, min[0], "minimum is exact");
    assertArrayEquals(new float[] {0, 1}, min[1], "a tie sends minimum's gradient to the first argument");
    float[][] root = forwardAndOnesGradient(GradFns_Graph.GUARDED_ROOT, new float[] {0, 4});
    assertArrayEquals(new float[] {0, 0.25f}, root[1], "sqrt(0) behind a where passes 0, not NaN");
    float[][] abs = forwardAndOnesGradient(GradFns_Graph.ABSOLUTE_ALONE, new float[] {0, -2, 3});
    assertArrayEquals(new float[] {0, -1, 1}, abs[1], "abs's slope at 0 is sign(0) = 0");
  }

  /** The value of a one-output function of {@code inputs} (rank 1 each) and its gradients at a ones seed. */
  private static float[][] forwardAndOnesGradient(dev.leibniz.tf.FunctionGraph f, float[]... inputs) {
    try (Graph g = new Graph()) {
      TfGraph state = new TfGraph(g);
      Tf tf = state.tf();
      List<Operand<TFloat32>> xs = new ArrayList<>();
      for (int i = 0; i < inputs.length; i++) {
        xs.add(state.placeholder("x" + i, -1));
      }
      Forward fwd = f.call(tf, xs);
      List<Operand<?>> fetches = new ArrayList<>(List.of(tf.add(fwd.output(), tf.scalar(0))));
      List<Operand<TFloat32>> grads = f.backward(tf, fwd, tf.onesLike(fwd.output()));
      for (int i = 0; i < inputs.length; i++) {
        fetches.add(tf.orZerosLike(grads.get(i), xs.get(i)));
      }
      try (TfSession session = new TfSession(state)) {
        return run(session, xs, inputs, fetches).toArray(new float[0][]);
      }
    }
  }

  /** The run-time shape of {@code x}. */
  private static long[] runtimeShape(TfSession session, List<Operand<TFloat32>> xs, float[][] inputs,
      Operand<TFloat32> x) {
    var ops = org.tensorflow.op.Ops.create((Graph) x.env());
    float[] dims = run(session, xs, inputs, List.of(ops.dtypes.cast(ops.shape(x), TFloat32.class))).get(0);
    long[] shape = new long[dims.length];
    for (int i = 0; i < dims.length; i++) {
      shape[i] = (long) dims[i];
    }
    return shape;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void secondOrder(Case c) {
    Row row = c.row();
    // Grad2 and Grad each build their own forward, so each draws its own dropout mask: the second
    // order of a random row is not a function of the inputs alone.
    org.junit.jupiter.api.Assumptions.assumeFalse(row.op().contains("(training)"), "random mask");
    org.junit.jupiter.api.Assumptions.assumeTrue(row.grad2() != null, "a first-order row at kinks");
    Random random = new Random(row.op().hashCode() + 1);
    float[][] inputs = inputs(row, random);
    try (Graph g = new Graph()) {
      TfGraph state = new TfGraph(g);
      Tf tf = state.tf();
      List<Operand<TFloat32>> xs = placeholders(state, c);
      Gradients first = row.grad().apply(tf, xs);
      Gradients second = row.grad2().apply(tf, xs);
      try (TfSession session = new TfSession(state)) {
        for (int i = 0; i < xs.size(); i++) {
          Operand<TFloat32> summed = tf.sum(dense(tf, first, xs).get(i));
          float[] ours = run(session, xs, inputs, List.of(dense(tf, second, xs).get(i))).get(0);
          float[] fd = finiteDifferences(session, xs, inputs, summed, i);
          assertClose(fd, ours, FD_TOL, c + ": second order, input " + i + " against finite differences");
          if (row.tfOrders() >= 2) {
            // TensorFlow's gradient of its own gradient of the forward.
            Forward fwd = row.fwd().apply(tf, xs);
            // A Fill seed: TensorFlow cannot differentiate through its default OnesLike seed.
            Operand<TFloat32> ones = state.ops().fill(state.ops().shape(fwd.output()), tf.scalar(1));
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
            assertClose(tfs, ours, TF_TOL, c + ": second order, input " + i + " against Graph.addGradients");
          }
        }
      }
    }
  }

  /**
   * The generated Hessian-vector product of each row's function, sum_j d^2 f / dx_i dx_j v_j for
   * random v: against finite differences of the generated gradient along v, and where TensorFlow
   * has the rules, against Graph.addGradients of Graph.addGradients.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void hessianVectorProduct(Case c) throws ReflectiveOperationException {
    Row row = c.row();
    org.junit.jupiter.api.Assumptions.assumeFalse(row.op().contains("(training)"), "random mask");
    org.junit.jupiter.api.Assumptions.assumeTrue(row.grad2() != null, "a first-order row at kinks");
    Random random = new Random(row.op().hashCode() + 2);
    float[][] inputs = inputs(row, random);
    try (Graph g = new Graph()) {
      TfGraph state = new TfGraph(g);
      Tf tf = state.tf();
      List<Operand<TFloat32>> xs = placeholders(state, c);
      dev.leibniz.tf.FunctionGraph function = functionOf(row.fwd().apply(tf, xs));
      int n = xs.size();
      List<Operand<TFloat32>> vs = new ArrayList<>();
      List<Operand<TFloat32>> all = new ArrayList<>(xs);
      float[][] fed = Arrays.copyOf(inputs, 2 * n);
      for (int i = 0; i < n; i++) {
        Operand<TFloat32> v = state.placeholder("v" + i, xs.get(i).shape().asArray());
        vs.add(v);
        all.add(v);
        fed[n + i] = new float[inputs[i].length];
        for (int k = 0; k < fed[n + i].length; k++) {
          fed[n + i][k] = (float) (random.nextDouble() * 2 - 1);
        }
      }
      List<Operand<TFloat32>> hvp = function.hvp(tf, xs, vs);
      Forward fwd = function.call(tf, xs);
      List<Operand<TFloat32>> grads = function.backward(tf, fwd, tf.onesLike(fwd.output()));
      Operand<TFloat32> dot = tf.scalar(0);
      for (int j = 0; j < n; j++) {
        if (grads.get(j) != null) {
          dot = tf.add(dot, tf.sum(tf.mul(grads.get(j), vs.get(j))));
        }
      }
      Output<?>[] oracle = null;
      if (row.tfOrders() >= 2) {
        Operand<TFloat32> ones = state.ops().fill(state.ops().shape(fwd.output()), tf.scalar(1));
        Output<?>[] first = g.addGradients("first", new Output<?>[] {fwd.output().asOutput()}, outputs(xs),
            new Output<?>[] {ones.asOutput()});
        Operand<TFloat32> tfDot = tf.scalar(0);
        for (int j = 0; j < n; j++) {
          if (!isNull(first[j])) {
            @SuppressWarnings("unchecked")
            Operand<TFloat32> gj = (Output<TFloat32>) first[j];
            tfDot = tf.add(tfDot, tf.sum(tf.mul(gj, vs.get(j))));
          }
        }
        oracle = g.addGradients("second", new Output<?>[] {tfDot.asOutput()}, outputs(xs), null);
      }
      try (TfSession session = new TfSession(state)) {
        for (int i = 0; i < n; i++) {
          Operand<TFloat32> ours = tf.orZerosLike(hvp.get(i), xs.get(i));
          float[] value = run(session, all, fed, List.of(state.ops().identity(ours))).get(0);
          float[] fd = finiteDifferences(session, all, fed, dot, i);
          assertClose(fd, value, FD_TOL, c + ": Hessian-vector product, input " + i + " against finite differences");
          if (oracle != null) {
            float[] tfs = isNull(oracle[i]) ? new float[value.length] : run(session, all, fed, List.of(oracle[i])).get(0);
            assertClose(tfs, value, TF_TOL, c + ": Hessian-vector product, input " + i + " against addGradients twice");
          }
        }
      }
    }
  }

  /** The row's function as its FunctionGraph constant, found from the record its forward returned. */
  private static dev.leibniz.tf.FunctionGraph functionOf(Forward forward) throws ReflectiveOperationException {
    String record = forward.getClass().getSimpleName();
    String method = Character.toLowerCase(record.charAt(0)) + record.substring(1, record.length() - "Forward".length());
    return (dev.leibniz.tf.FunctionGraph) GradFns_Graph.class.getField(
        dev.leibniz.dsl.GraphNames.functionConstant(method)).get(null);
  }

  /**
   * The gradients, zeros where the generated code says there is none (a null: a symbolic zero),
   * each under a name of its own (a gradient may be the fed adjoint itself, which cannot be fetched).
   */
  static List<Operand<TFloat32>> dense(Tf tf, Gradients grads, List<Operand<TFloat32>> xs) {
    List<Operand<TFloat32>> out = new ArrayList<>();
    for (int i = 0; i < xs.size(); i++) {
      Operand<TFloat32> g = tf.orZerosLike(grads.asList().get(i), xs.get(i));
      out.add(org.tensorflow.op.Ops.create((Graph) g.env()).identity(g));
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

  private static float[][] inputs(Row row, Random random) {
    if (row.at() != null) {
      float[][] at = new float[row.at().length][];
      for (int i = 0; i < at.length; i++) {
        at[i] = row.at()[i].clone();
      }
      return at;
    }
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

  /** Placeholders of the row's shapes; for an unknown batch, dimension 0 is -1 where it is the first input's. */
  private static List<Operand<TFloat32>> placeholders(TfGraph state, Case c) {
    long[][] shapes = c.row().shapes();
    List<Operand<TFloat32>> xs = new ArrayList<>();
    for (int i = 0; i < shapes.length; i++) {
      long[] shape = shapes[i].clone();
      if (c.unknownBatch() && shape.length > 0 && shapes[0].length > 0 && shape[0] == shapes[0][0]) {
        shape[0] = -1;
      }
      xs.add(state.placeholder("x" + i, shape));
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
        TFloat32 t = Tensors.of(inputs[i], fedShape(xs.get(i).shape().asArray(), inputs[i].length));
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

  /** The shape fed: the one unknown dimension (the batch, or where the batch went in an output) from the data's size. */
  private static long[] fedShape(long[] shape, int size) {
    long known = 1;
    int unknown = -1;
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] >= 0) {
        known *= shape[i];
      } else if (unknown >= 0) {
        throw new IllegalStateException("two unknown dimensions in " + Arrays.toString(shape));
      } else {
        unknown = i;
      }
    }
    long[] out = shape.clone();
    if (unknown >= 0) {
      out[unknown] = size / Math.max(1, known);
    }
    return out;
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
