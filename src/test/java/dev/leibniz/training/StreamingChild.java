package dev.leibniz.training;

import dev.leibniz.FitOptions;
import dev.leibniz.History;
import dev.leibniz.Model;
import dev.leibniz.data.Dataset;
import dev.leibniz.data.Feature;
import dev.leibniz.examples.MnistFiles;
import dev.leibniz.optimizers.Optimizers;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Run by {@link MnistFilesTest} in a JVM of a small heap: one epoch of the MNIST MLP over the
 * TFRecord files given, then "trained SAMPLES accuracy A peak_heap BYTES max_heap BYTES" (the
 * pools' peaks added up, and the most the JVM may take).
 */
public final class StreamingChild {
  private StreamingChild() {}

  public static void main(String[] args) {
    List<Path> files = Arrays.stream(args).map(Path::of).toList();
    Dataset data = Dataset.tfRecords(files, List.of(Feature.floats("image", 784)), List.of(Feature.ints("label")));
    try (Model model = MnistFiles.model(false)) {
      model.compile(Optimizers.rmsprop(1e-3f), "sparse_categorical_crossentropy", "accuracy");
      History h = model.fit(data.shuffle(10_000, 1).batch(128), FitOptions.epochs(1).verbose(0));
      long peak = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP) {
          peak += pool.getPeakUsage().getUsed();
        }
      }
      System.out.println("trained " + data.cardinality() + " accuracy " + h.last("accuracy") + " peak_heap " + peak
          + " max_heap " + Runtime.getRuntime().maxMemory());
    }
  }
}
