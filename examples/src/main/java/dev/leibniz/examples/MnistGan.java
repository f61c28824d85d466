package dev.leibniz.examples;

import static dev.leibniz.dsl.Ops.add;
import static dev.leibniz.dsl.Ops.mean;
import static dev.leibniz.dsl.Ops.neg;
import static dev.leibniz.dsl.Ops.randomNormal;
import static dev.leibniz.dsl.Ops.softplus;

import dev.leibniz.FitOptions;
import dev.leibniz.History;
import dev.leibniz.Leibniz;
import dev.leibniz.Model;
import dev.leibniz.Objective;
import dev.leibniz.Value;
import dev.leibniz.data.Data;
import dev.leibniz.data.Mnist;
import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Layer;
import dev.leibniz.dsl.Padding;
import dev.leibniz.dsl.Shape;
import dev.leibniz.dsl.Tensor;
import dev.leibniz.layers.BatchNormalization;
import dev.leibniz.layers.Conv2D;
import dev.leibniz.layers.Conv2DTranspose;
import dev.leibniz.layers.Dense;
import dev.leibniz.layers.Flatten;
import dev.leibniz.layers.LeakyReLU;
import dev.leibniz.layers.Reshape;
import dev.leibniz.optimizers.Adam;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A DCGAN on MNIST ("Deep Learning with TensorFlow 2 and Keras", GANs): a generator from a
 * 64-number code through Dense, Reshape and two strided Conv2DTranspose to a 28x28 image in
 * [-1, 1] (batch normalization after the first two, as DCGAN's generator has it: without it the
 * same budget gives far fewer recognizable digits), and a convolutional discriminator that scores images as real (logit above 0) or generated. The
 * custom training step has two objectives, each a loss method of this model with its own Adam:
 * the discriminator learns to tell real from generated, then the generator (against the updated
 * discriminator, as Keras's GAN train_step) to be scored real, in one graph run per batch. Both
 * losses are binary cross-entropies from logits ({@code softplus(-logit)} for "real",
 * {@code softplus(logit)} for "generated"); each method draws its own codes.
 */
@dev.leibniz.dsl.Model
public final class MnistGan {
  public static final int LATENT = 64;
  /** The training budget of the example and its test: 12 epochs of batch 64 (4,248 steps on the shared MNIST). */
  public static final int EPOCHS = 12;
  public static final int BATCH = 64;

  /** Code [batch, 64] to images [batch, 28, 28, 1] in [-1, 1] (tanh). */
  @Layer
  public static final class Generator {
    final Dense dense = new Dense(7 * 7 * 64, dev.leibniz.dsl.Activations.LINEAR, false,
        dev.leibniz.dsl.Init.GLOROT_UNIFORM, dev.leibniz.dsl.Init.ZEROS);
    final BatchNormalization norm1 = new BatchNormalization();
    final LeakyReLU act1 = new LeakyReLU(0.2);
    final Reshape reshape = new Reshape(7, 7, 64);
    final Conv2DTranspose up1 = new Conv2DTranspose(32, 4, 4, 2, 2, Padding.SAME, dev.leibniz.dsl.Activations.LINEAR,
        false);
    final BatchNormalization norm2 = new BatchNormalization();
    final LeakyReLU act2 = new LeakyReLU(0.2);
    final Conv2DTranspose up2 = new Conv2DTranspose(1, 4, 2, Padding.SAME, "tanh");

    @Call
    public Tensor call(Tensor code) {
      Tensor h = reshape.call(act1.call(norm1.call(dense.call(code))));
      return up2.call(act2.call(norm2.call(up1.call(h))));
    }
  }

  /** Images in [-1, 1] to one logit each: above 0 means "real". */
  @Layer
  public static final class Discriminator {
    final Conv2D conv1 = new Conv2D(32, 4, 4, 2, 2, Padding.SAME, dev.leibniz.dsl.Activations.LINEAR, true);
    final LeakyReLU act1 = new LeakyReLU(0.2);
    final Conv2D conv2 = new Conv2D(64, 4, 4, 2, 2, Padding.SAME, dev.leibniz.dsl.Activations.LINEAR, true);
    final LeakyReLU act2 = new LeakyReLU(0.2);
    final Flatten flatten = new Flatten();
    final Dense score = new Dense(1);

    @Call
    public Tensor call(Tensor images) {
      Tensor h = act1.call(conv1.call(images));
      return score.call(flatten.call(act2.call(conv2.call(h))));
    }
  }

  public final Generator generator = new Generator();
  public final Discriminator discriminator = new Discriminator();

  /** The discriminator's score of real images (what predict gives). */
  @Call
  public Tensor call(Tensor real) {
    return discriminator.call(real);
  }

  /** Real images scored real, generated ones scored generated. */
  @Call
  public Tensor discriminatorLoss(Tensor real) {
    Tensor fake = generator.call(randomNormal(real, LATENT));
    return add(mean(softplus(neg(discriminator.call(real)))), mean(softplus(discriminator.call(fake))));
  }

  /** Generated images scored real. */
  @Call
  public Tensor generatorLoss(Tensor real) {
    Tensor fake = generator.call(randomNormal(real, LATENT));
    return mean(softplus(neg(discriminator.call(fake))));
  }

  /** Trains the GAN on {@code images} [n, 28, 28, 1] in [0, 1]; returns the history and the trained generator alone. */
  public static Trained train(Data images, int epochs, int batchSize, boolean verbose) {
    float[] scaled = images.values().clone();
    for (int i = 0; i < scaled.length; i++) {
      scaled[i] = scaled[i] * 2 - 1;
    }
    MnistGan gan = new MnistGan();
    Model model = Leibniz.model(gan).seed(3);
    model.compile(
        Objective.minimize("d_loss", MnistGan_Graph.DISCRIMINATOR_LOSS, new Adam(2e-4f, 0.5f, 0.999f, 1e-7f),
            gan.discriminator),
        Objective.minimize("g_loss", MnistGan_Graph.GENERATOR_LOSS, new Adam(2e-4f, 0.5f, 0.999f, 1e-7f),
            gan.generator));
    History history = model.fit(Data.of(scaled, 28, 28, 1), FitOptions.epochs(epochs).batchSize(batchSize).verbose(verbose ? 1 : 0));
    Model generator = Leibniz.model(gan.generator).build(LATENT);
    generator.copyWeightsFrom(model);
    model.close();
    return new Trained(history, generator);
  }

  /** The training history and the generator, which the caller closes. */
  public record Trained(History history, Model generator) {}

  /** {@code count} generated images [count, 28, 28, 1] in [0, 1]. */
  public static Value generate(Model generator, int count, long seed) {
    return generator.call(Value.randomNormal(Shape.of(count, LATENT), 0, 1, seed)).add(1).mul(0.5);
  }

  public static void main(String[] args) throws IOException {
    Mnist mnist = Mnist.load(Path.of(args.length > 0 ? args[0] : "../shared/datasets/mnist"));
    Trained t = train(Data.of(mnist.trainImages().values(), 28, 28, 1), EPOCHS, BATCH, true);
    try (Model g = t.generator()) {
      Value images = generate(g, 4, 1);
      float[] first = images.toFloatArray();
      for (int r = 0; r < 28; r++) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < 28; c++) {
          line.append(" .:-=+*#%@".charAt(Math.min(9, (int) (first[r * 28 + c] * 10))));
        }
        System.out.println(line);
      }
    }
  }
}
