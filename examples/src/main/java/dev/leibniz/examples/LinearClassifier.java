package dev.leibniz.examples;

import static dev.leibniz.dsl.Ops.add;
import static dev.leibniz.dsl.Ops.addWeight;
import static dev.leibniz.dsl.Ops.matmul;

import dev.leibniz.Leibniz;
import dev.leibniz.LossGradients;
import dev.leibniz.Model;
import dev.leibniz.Value;
import dev.leibniz.dsl.Build;
import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Init;
import dev.leibniz.dsl.Shape;
import dev.leibniz.dsl.Tensor;
import dev.leibniz.dsl.Variable;
import dev.leibniz.dsl.Weight;
import dev.leibniz.losses.Loss;
import dev.leibniz.losses.Losses;
import dev.leibniz.optimizers.Optimizer;
import dev.leibniz.optimizers.Optimizers;
import java.util.Random;

/**
 * "Deep Learning with Python", listings 3.13 to 3.21: a linear classifier of two Gaussian point
 * clouds, trained by a hand-written loop of full-batch gradient descent on the mean squared
 * error. Each step asks the model for the loss and its weight gradients (one graph run, the
 * backward generated from {@link #call}) and applies them with an optimizer, as the book's
 * GradientTape loop does.
 */
@dev.leibniz.dsl.Model
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

  /** Losses per step, the final accuracy, the points with their labels and predictions, and W and b. */
  public record Run(float[] losses, double accuracy, float[] points, float[] labels, float[] predictions, float[] w,
      float b) {}

  static final int PER_CLASS = 1000;

  /** 1,000 points per class, means [0, 3] and [3, 0], covariance [[1, .5], [.5, 1]]; labels 0 and 1. */
  public static Value[] data(long seed) {
    Random random = new Random(seed);
    float[][] x = new float[2 * PER_CLASS][2];
    float[][] y = new float[2 * PER_CLASS][1];
    double l21 = 0.5;
    double l22 = Math.sqrt(0.75); // Cholesky factor of the covariance
    for (int i = 0; i < 2 * PER_CLASS; i++) {
      boolean positive = i >= PER_CLASS;
      double z1 = random.nextGaussian();
      double z2 = random.nextGaussian();
      x[i][0] = (float) ((positive ? 3 : 0) + z1);
      x[i][1] = (float) ((positive ? 0 : 3) + l21 * z1 + l22 * z2);
      y[i][0] = positive ? 1 : 0;
    }
    return new Value[] {Value.of(x), Value.of(y)};
  }

  public static Run train(int steps, float learningRate, boolean print) {
    Value[] data = data(0);
    Value inputs = data[0];
    Value targets = data[1];
    try (Model model = Leibniz.model(new LinearClassifier())) {
      Loss loss = Losses.meanSquaredError();
      Optimizer optimizer = Optimizers.sgd(learningRate);
      float[] losses = new float[steps];
      for (int step = 0; step < steps; step++) {
        LossGradients g = model.gradients(loss, inputs, targets);
        model.applyGradients(optimizer, g.gradients());
        losses[step] = g.loss();
        if (print) {
          System.out.printf("Loss at step %d: %.4f%n", step, g.loss());
        }
      }
      Value predictions = model.call(inputs);
      Value correct = predictions.greater(0.5).sub(targets).abs().neg().add(1);
      java.util.List<float[]> weights = model.getWeights(); // W [2, 1], then b [1]
      return new Run(losses, correct.mean().floatValue(), inputs.toFloatArray(), targets.toFloatArray(),
          predictions.toFloatArray(), weights.get(0), weights.get(1)[0]);
    }
  }

  /** Trains, prints the losses and the accuracy, and draws figures 3.6 to 3.8 into {@code args[0]} (default "figures"). */
  public static void main(String[] args) throws java.io.IOException {
    Run run = train(40, 0.1f, true);
    System.out.printf("Accuracy: %.3f%n", run.accuracy());
    java.nio.file.Path dir = java.nio.file.Path.of(args.length > 0 ? args[0] : "figures");
    java.nio.file.Files.createDirectories(dir);
    boolean[] positive = new boolean[run.labels().length];
    boolean[] predicted = new boolean[positive.length];
    for (int i = 0; i < positive.length; i++) {
      positive[i] = run.labels()[i] > 0.5f;
      predicted[i] = run.predictions()[i] > 0.5f;
    }
    PointFigures.save(dir.resolve("figure_3_6.png"), "Figure 3.6: the two classes of points", run.points(), positive,
        null);
    PointFigures.save(dir.resolve("figure_3_7.png"), "Figure 3.7: the classes the model predicts", run.points(),
        predicted, null);
    PointFigures.save(dir.resolve("figure_3_8.png"), "Figure 3.8: the model's decision line", run.points(), predicted,
        new double[] {run.w()[0], run.w()[1], run.b()});
    System.out.println("Figures 3.6 to 3.8 in " + dir.toAbsolutePath());
  }
}
