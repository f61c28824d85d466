package dev.leibniz;

import dev.leibniz.data.Data;
import dev.leibniz.data.InputMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Objects;

/**
 * What {@link Model#export(java.nio.file.Path, ExportOptions)} writes beside the model:
 * {@code ExportOptions.serving().version(3).logitsSignature("logits").warmup(samples)}. The
 * defaults are {@link Model#export(java.nio.file.Path)}'s: signature {@code serving_default},
 * inputs {@code input_0, ...}, outputs {@code output_0, ...}, written into the folder given.
 */
public final class ExportOptions {
  List<String> inputNames;
  List<String> outputNames;
  InputMap preprocessing;
  long version = -1;
  boolean nextVersion;
  final Set<String> logitsSignatures = new LinkedHashSet<>();
  final List<List<Data>> warmup = new ArrayList<>();

  private ExportOptions() {}

  /** The defaults. */
  public static ExportOptions serving() {
    return new ExportOptions();
  }

  /** The signature's input names, one per model input (default {@code input_0, input_1, ...}). */
  public ExportOptions inputNames(String... names) {
    this.inputNames = Arrays.asList(names.clone()); // nulls reach the export's check, which names them
    return this;
  }

  /** The signature's output names, one per model output (default {@code output_0, ...}). */
  public ExportOptions outputNames(String... names) {
    this.outputNames = Arrays.asList(names.clone());
    return this;
  }

  /**
   * Preprocessing inside the graph in front of the model's one input (a
   * {@code TextVectorization}), as Keras's {@code Sequential([vectorizer, model])} exported: the
   * signature's input takes what it takes, raw strings ({@code DT_STRING [-1]}).
   */
  public ExportOptions preprocessing(InputMap preprocessing) {
    this.preprocessing = Objects.requireNonNull(preprocessing, "preprocessing");
    return this;
  }

  /**
   * Writes into the subfolder {@code version} of the folder given, the layout TF Serving reads
   * ({@code models/mnist/3}): Serving serves the highest version there.
   */
  public ExportOptions version(long version) {
    if (version < 1) {
      throw new IllegalArgumentException("a TF Serving version is a positive number, got " + version);
    }
    this.version = version;
    this.nextVersion = false;
    return this;
  }

  /** As {@link #version(long)}, one above the highest numbered subfolder there (1 if none). */
  public ExportOptions nextVersion() {
    this.version = -1;
    this.nextVersion = true;
    return this;
  }

  /**
   * Adds signature {@code key} whose outputs are the logits: each output's value before its
   * final softmax or sigmoid (beside {@code serving_default}, which returns the
   * probabilities). An output without such an activation is an error at export.
   */
  public ExportOptions logitsSignature(String key) {
    Objects.requireNonNull(key, "key");
    if (key.equals(Export.SIGNATURE) || !logitsSignatures.add(key)) {
      throw new IllegalArgumentException("signature \"" + key + "\" is taken");
    }
    return this;
  }

  /**
   * Adds a warm-up request to {@code assets.extra/tf_serving_warmup_requests}, which TF Serving
   * runs before it serves the model so that the first real request does not pay for graph
   * setup: {@code inputs} are one batch of each model input, in order.
   */
  public ExportOptions warmup(Data... inputs) {
    if (inputs.length == 0) {
      throw new IllegalArgumentException("a warm-up request holds a batch of each model input; got none");
    }
    warmup.add(List.of(inputs));
    return this;
  }
}
