package dev.leibniz.examples;

import static dev.leibniz.dsl.Ops.add;
import static dev.leibniz.dsl.Ops.addWeight;
import static dev.leibniz.dsl.Ops.matmul;
import static dev.leibniz.dsl.Ops.mean;
import static dev.leibniz.dsl.Ops.square;
import static dev.leibniz.dsl.Ops.sub;

import dev.leibniz.dsl.Build;
import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Init;
import dev.leibniz.dsl.Model;
import dev.leibniz.dsl.Shape;
import dev.leibniz.dsl.Tensor;
import dev.leibniz.dsl.Variable;
import dev.leibniz.dsl.Weight;
import dev.leibniz.optimizers.Optimizers;
import dev.leibniz.tf.Tensors;
import dev.leibniz.tf.Tf;
import dev.leibniz.tf.TfGraph;
import dev.leibniz.tf.TfSession;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.types.TFloat32;

/**
 * "Deep Learning with Python", listings 3.13 to 3.21: a linear classifier of two Gaussian point
 * clouds, trained by full-batch gradient descent on the mean squared error. The gradients of
 * the loss and of the model are generated ({@code LinearClassifier_Graph}); each step is one
 * session run.
 */
@Model
public final class LinearClassifier {
  @Weight Variable w;
  @Weight Variable b;

  @Build
  void build(Shape input) {
    w = addWeight("W", Shape.of(input.last(), 1), Init.uniform(0, 1));
    b = addWeight("b", Shape.of(1), Init.ZEROS);
  }

  @Call
  Tensor call(Tensor inputs) {
    return add(matmul(inputs, w), b);
  }

  @Call
  static Tensor squareLoss(Tensor targets, Tensor predictions) {
    return mean(square(sub(targets, predictions)));
  }

  /** Losses per step and the final accuracy. */
  public record Run(float[] losses, double accuracy) {}

  static final int PER_CLASS = 1000;

  /** 1,000 points per class, means [0, 3] and [3, 0], covariance [[1, .5], [.5, 1]]; labels 0 and 1. */
  public static float[][] data(long seed) {
    Random random = new Random(seed);
    float[] x = new float[2 * PER_CLASS * 2];
    float[] y = new float[2 * PER_CLASS];
    double l21 = 0.5;
    double l22 = Math.sqrt(0.75); // Cholesky factor of the covariance
    for (int i = 0; i < 2 * PER_CLASS; i++) {
      boolean positive = i >= PER_CLASS;
      double z1 = random.nextGaussian();
      double z2 = random.nextGaussian();
      x[2 * i] = (float) ((positive ? 3 : 0) + z1);
      x[2 * i + 1] = (float) ((positive ? 0 : 3) + l21 * z1 + l22 * z2);
      y[i] = positive ? 1 : 0;
    }
    return new float[][] {x, y};
  }

  public static Run train(int steps, float learningRate, boolean print) {
    float[][] data = data(0);
    int n = data[1].length;
    try (Graph graph = new Graph()) {
      TfGraph g = new TfGraph(graph);
      Tf tf = g.tf();
      LinearClassifier model = new LinearClassifier();
      Operand<TFloat32> inputs = g.placeholder("inputs", -1, 2);
      Operand<TFloat32> targets = g.placeholder("targets", -1, 1);
      var forward = LinearClassifier_Graph.call(tf, model, inputs);
      var loss = LinearClassifier_Graph.squareLoss(tf, targets, forward.output());
      var dPredictions = LinearClassifier_Graph.squareLossBackward(tf, loss, tf.onesLike(loss.output())).dPredictions();
      LinearClassifier_Graph.callBackward(tf, model, forward, dPredictions);
      Op step = Optimizers.sgd(learningRate).apply(g);

      float[] losses = new float[steps];
      try (TfSession session = new TfSession(g);
          TFloat32 x = Tensors.of(data[0], n, 2);
          TFloat32 y = Tensors.of(data[1], n, 1)) {
        session.initialize(g);
        Map<Operand<?>, org.tensorflow.Tensor> feed = Map.of(inputs, x, targets, y);
        for (int s = 0; s < steps; s++) {
          losses[s] = session.run(feed, List.of(loss.output()), step).get(0)[0];
          if (print) {
            System.out.printf("Loss at step %d: %.4f%n", s, losses[s]);
          }
        }
        float[] predictions = session.run(Map.of(inputs, x), List.of(forward.output())).get(0);
        int correct = 0;
        for (int i = 0; i < n; i++) {
          correct += (predictions[i] > 0.5f) == (data[1][i] > 0.5f) ? 1 : 0;
        }
        return new Run(losses, correct / (double) n);
      }
    }
  }

  public static void main(String[] args) {
    Run run = train(40, 0.1f, true);
    System.out.printf("Accuracy: %.3f%n", run.accuracy());
  }
}
