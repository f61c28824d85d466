package dev.leibniz.examples;

import static dev.leibniz.dsl.Ops.add;
import static dev.leibniz.dsl.Ops.addLoss;
import static dev.leibniz.dsl.Ops.exp;
import static dev.leibniz.dsl.Ops.mean;
import static dev.leibniz.dsl.Ops.mul;
import static dev.leibniz.dsl.Ops.randomNormal;
import static dev.leibniz.dsl.Ops.square;
import static dev.leibniz.dsl.Ops.sub;
import static dev.leibniz.dsl.Ops.sum;

import dev.leibniz.FitOptions;
import dev.leibniz.History;
import dev.leibniz.Leibniz;
import dev.leibniz.Model;
import dev.leibniz.data.Data;
import dev.leibniz.data.Mnist;
import dev.leibniz.dsl.Call;
import dev.leibniz.dsl.Layer;
import dev.leibniz.dsl.Tensor;
import dev.leibniz.layers.Dense;
import dev.leibniz.losses.Losses;
import dev.leibniz.optimizers.Optimizers;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A variational autoencoder on MNIST ("Deep Learning with TensorFlow 2 and Keras", autoencoders):
 * an encoder to the mean and log-variance of a latent code (one @Call returning both, as a
 * record), a draw by the reparameterization
 * trick ({@code mean + exp(logVar / 2) * randomNormal(mean)}, so the gradient reaches the
 * encoder), and a decoder back to 784 pixels. The KL term is added from inside the model's call
 * ({@code addLoss}, Keras's add_loss); fit's loss is the pixels' binary cross-entropy against the
 * input, plus that term.
 */
@dev.leibniz.dsl.Model
public final class MnistVae {
  /** What the encoder says of an image: the mean and log-variance of its code (two outputs of one @Call). */
  public record Posterior(Tensor mean, Tensor logVar) {}

  /** Images to the posterior over their codes. */
  @Layer
  public static final class Encoder {
    final Dense hidden = new Dense(256, "relu");
    final Dense mean;
    final Dense logVar;

    public Encoder(int latent) {
      this.mean = new Dense(latent);
      this.logVar = new Dense(latent);
    }

    @Call
    public Posterior call(Tensor images) {
      Tensor h = hidden.call(images);
      return new Posterior(mean.call(h), logVar.call(h));
    }
  }

  final Encoder encoder;
  final Dense decoderHidden = new Dense(256, "relu");
  final Dense decoder = new Dense(784, "sigmoid");

  public MnistVae(int latent) {
    this.encoder = new Encoder(latent);
  }

  @Call
  public Tensor call(Tensor images) {
    Posterior q = encoder.call(images);
    Tensor z = add(q.mean(), mul(exp(mul(q.logVar(), 0.5)), randomNormal(q.mean())));
    // KL(N(mean, exp(logVar)) || N(0, 1)) per sample, over 784: on the scale of the per-pixel reconstruction loss.
    Tensor kl = mul(-0.5 / 784, mean(sum(sub(sub(add(q.logVar(), 1.0), square(q.mean())), exp(q.logVar())), 1)));
    return addLoss(decoder.call(decoderHidden.call(z)), kl);
  }

  /** The trained model's reconstruction loss on the test images and the mean image's, per pixel. */
  public record Result(History history, double reconstruction, double meanImageBaseline) {}

  public static Result train(Mnist mnist, int epochs, boolean verbose) {
    Data train = Data.of(mnist.trainImages().values(), 784);
    Data test = Data.of(mnist.testImages().values(), 784);
    try (Model vae = Leibniz.model(new MnistVae(16)).seed(1)) {
      vae.compile(Optimizers.adam(1e-3f), Losses.binaryCrossentropy());
      History history = vae.fit(train, train, FitOptions.epochs(epochs).batchSize(128).verbose(verbose ? 1 : 0));
      float[] reconstructed = vae.predict(test, 256).values();
      return new Result(history, binaryCrossentropy(test.values(), reconstructed),
          binaryCrossentropy(test.values(), meanImage(train, test.count())));
    }
  }

  /** The training images' mean, once per test image: the best constant guess. */
  static float[] meanImage(Data train, int copies) {
    float[] mean = new float[784];
    float[] x = train.values();
    for (int i = 0; i < x.length; i++) {
      mean[i % 784] += x[i] / train.count();
    }
    float[] out = new float[copies * 784];
    for (int i = 0; i < out.length; i++) {
      out[i] = mean[i % 784];
    }
    return out;
  }

  /** Mean binary cross-entropy per pixel, probabilities clipped to [1e-7, 1 - 1e-7] as Keras. */
  static double binaryCrossentropy(float[] targets, float[] probabilities) {
    double sum = 0;
    for (int i = 0; i < targets.length; i++) {
      double p = Math.min(1 - 1e-7, Math.max(1e-7, probabilities[i]));
      sum -= targets[i] * Math.log(p) + (1 - targets[i]) * Math.log(1 - p);
    }
    return sum / targets.length;
  }

  public static void main(String[] args) throws IOException {
    Path folder = Path.of(args.length > 0 ? args[0] : "../shared/datasets/mnist");
    Result r = train(Mnist.load(folder), 5, true);
    System.out.printf("reconstruction %.4f per pixel, mean image %.4f%n", r.reconstruction(), r.meanImageBaseline());
  }
}
