package dev.leibniz.spark;

import dev.leibniz.FitOptions;
import dev.leibniz.History;
import dev.leibniz.Model;
import dev.leibniz.MultiWorkerMirroredStrategy;
import dev.leibniz.data.Data;
import dev.leibniz.data.Mnist;
import dev.leibniz.examples.MnistMlp;
import dev.leibniz.optimizers.Optimizers;
import java.nio.file.Path;

/**
 * The MNIST MLP with Adam on MNIST's first 1,000 images, 3 epochs of global batches of 128: as a
 * worker ({@link #train}) or alone ({@link #alone}). The chief saves its weights (Keras's
 * {@code .weights.h5}) where {@code LEIBNIZ_SPARK_OUT} says, for the test to compare.
 */
public final class MlpJob implements TrainingJob {
  @Override
  public History train(MultiWorkerMirroredStrategy strategy) throws Exception {
    try (Model model = MnistMlp.model()) {
      model.distribute(strategy.timeout(java.time.Duration.ofSeconds(30)));
      History h = fit(model, Path.of(System.getenv("LEIBNIZ_DATASETS")));
      model.saveWeights(Path.of(System.getenv("LEIBNIZ_SPARK_OUT"), "mlp.weights.h5")); // the chief's alone
      return h;
    }
  }

  static History fit(Model model, Path datasets) throws java.io.IOException {
    Mnist mnist = Mnist.load(datasets.resolve("mnist"));
    Data x = Data.of(mnist.trainImages().slice(0, 1000).values(), 784);
    model.compile(Optimizers.adam(1e-3f), "sparse_categorical_crossentropy", "accuracy");
    return model.fit(x, mnist.trainLabels().slice(0, 1000),
        FitOptions.epochs(3).batchSize(128).shuffle(true).seed(7).verbose(0));
  }
}
