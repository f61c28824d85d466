package dev.leibniz.saving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.UnknownFieldSet;
import dev.leibniz.ExportOptions;
import dev.leibniz.FitOptions;
import dev.leibniz.Functional;
import dev.leibniz.Functional.Symbol;
import dev.leibniz.Leibniz;
import dev.leibniz.Model;
import dev.leibniz.Sequential;
import dev.leibniz.data.Data;
import dev.leibniz.data.TextVectorization;
import dev.leibniz.layers.BatchNormalization;
import dev.leibniz.layers.Bidirectional;
import dev.leibniz.layers.Conv2D;
import dev.leibniz.layers.Dense;
import dev.leibniz.layers.Dropout;
import dev.leibniz.layers.Embedding;
import dev.leibniz.layers.Flatten;
import dev.leibniz.layers.GRU;
import dev.leibniz.layers.GlobalAveragePooling1D;
import dev.leibniz.layers.LSTM;
import dev.leibniz.layers.MultiHeadAttention;
import dev.leibniz.layers.SimpleRNN;
import dev.leibniz.optimizers.Optimizers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.CollectionDef;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.VariableDef;

/**
 * The export's structure is what TensorFlow's other readers need (what {@code scripts/check_tflite.py}
 * found, run by hand with the TF Lite converter and Python): resource variables listed in the
 * {@code variables} collection under their Keras paths, a saver that restores each of them, the
 * signatures' tensors in the graph and depending on nothing but their inputs and the variables
 * (no training switch, no random ops, no tensor lists of a dynamic batch), and TF Serving's
 * version folders and warm-up requests.
 */
class ExportFormatTest {
  @TempDir
  Path temp;

  static MetaGraphDef metaGraph(Path dir) throws IOException {
    org.tensorflow.proto.SavedModel proto = org.tensorflow.proto.SavedModel.parseFrom(
        Files.readAllBytes(dir.resolve("saved_model.pb")));
    assertEquals(1, proto.getSavedModelSchemaVersion());
    assertEquals(1, proto.getMetaGraphsCount());
    return proto.getMetaGraphs(0);
  }

  static Model convnet() {
    Model model = Sequential.of(new Conv2D(4, 3, "relu"), new BatchNormalization(), new Flatten(), new Dropout(0.5),
        new Dense(3, "softmax"));
    model.compile(Optimizers.adam(0.01f), "sparse_categorical_crossentropy");
    Data x = ExportTest.random(16, 36, 5);
    model.fit(Data.of(x.values(), 6, 6, 1), Data.labels(new int[16]), FitOptions.epochs(1).batchSize(8).verbose(0));
    return model;
  }

  /** Every node {@code tensors} depend on, through data and control inputs. */
  static Set<NodeDef> ancestors(MetaGraphDef meta, List<String> tensors) {
    Map<String, NodeDef> byName = new HashMap<>();
    meta.getGraphDef().getNodeList().forEach(n -> byName.put(n.getName(), n));
    Set<NodeDef> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>();
    tensors.forEach(t -> todo.add(t.split(":")[0]));
    while (!todo.isEmpty()) {
      NodeDef n = byName.get(todo.pop().replaceFirst("^\\^", "").split(":")[0]);
      assertNotNull(n, "a tensor the signature needs is not in the graph");
      if (seen.add(n)) {
        todo.addAll(n.getInputList());
      }
    }
    return seen;
  }

  @Test
  void weightsAreResourceVariablesListedUnderTheirKerasPaths() throws Exception {
    Path dir = temp.resolve("convnet");
    List<String> paths;
    try (Model model = convnet()) {
      paths = model.weightNames();
      model.export(dir);
    }
    assertEquals(List.of("conv2d/kernel", "conv2d/bias", "batch_normalization/gamma", "batch_normalization/beta",
        "batch_normalization/moving_mean", "batch_normalization/moving_variance", "dense/kernel", "dense/bias"), paths);
    MetaGraphDef meta = metaGraph(dir);
    Map<String, NodeDef> nodes = meta.getGraphDef().getNodeList().stream()
        .collect(Collectors.toMap(NodeDef::getName, n -> n));
    assertEquals(Set.of(), nodes.values().stream().filter(n -> n.getOp().equals("VariableV2")).map(NodeDef::getName)
        .collect(Collectors.toSet()), "reference variables: Python lists none, and the converter cannot restore them");
    assertEquals(Set.copyOf(paths), nodes.values().stream().filter(n -> n.getOp().equals("VarHandleOp"))
        .map(NodeDef::getName).collect(Collectors.toSet()));
    List<VariableDef> all = variables(meta.getCollectionDefOrThrow("variables"));
    List<VariableDef> trainable = variables(meta.getCollectionDefOrThrow("trainable_variables"));
    assertEquals(paths.stream().map(p -> p + ":0").toList(), all.stream().map(VariableDef::getVariableName).toList());
    assertEquals(paths.stream().filter(p -> !p.contains("moving_")).map(p -> p + ":0").toList(),
        trainable.stream().map(VariableDef::getVariableName).toList());
    for (VariableDef v : all) {
      assertTrue(v.getIsResource(), v.getVariableName());
      assertEquals("AssignVariableOp", nodes.get(v.getInitializerName()).getOp(), v.getInitializerName());
      assertEquals("ReadVariableOp", nodes.get(v.getSnapshotName().split(":")[0]).getOp(), v.getSnapshotName());
    }
    // The saver: its restore op assigns every variable from the checkpoint, keyed by the variable's path.
    var saver = meta.getSaverDef();
    assertEquals("PlaceholderWithDefault", nodes.get(saver.getFilenameTensorName().split(":")[0]).getOp());
    assertTrue(nodes.containsKey(saver.getSaveTensorName().split(":")[0]));
    NodeDef restore = nodes.get(saver.getRestoreOpName());
    assertEquals(paths.size(), restore.getInputCount());
    Set<String> restored = new HashSet<>();
    for (String input : restore.getInputList()) {
      NodeDef assign = nodes.get(input.substring(1));
      assertEquals("AssignVariableOp", assign.getOp());
      restored.add(assign.getInput(0));
    }
    assertEquals(Set.copyOf(paths), restored);
    try (org.tensorflow.SavedModelBundle bundle = org.tensorflow.SavedModelBundle.load(dir.toString(), "serve");
        var keys = bundle.session().runner().fetch("save/tensor_names").run()) {
      List<String> names = new ArrayList<>();
      ((org.tensorflow.types.TString) keys.get(0)).scalars().forEach(k -> names.add(k.getObject()));
      assertEquals(paths, names, "the checkpoint's keys");
    }
  }

  /**
   * Names as Keras 3 gives {@code weight.path} for the same functional model, printed by Keras 3.15:
   * {@code [w.path for w in keras.Model(i, o).weights]} with i = Input((7, 3)), Bidirectional(LSTM(4,
   * return_sequences=True)), GRU(3, return_sequences=True), MultiHeadAttention(2, 3)(h, h),
   * SimpleRNN(2), Dense(2).
   */
  @Test
  void recurrentAndAttentionWeightsUnderKerasPaths() throws Exception {
    Symbol i = Functional.input(7, 3);
    Symbol h = Functional.apply(new Bidirectional(new LSTM(4, true)), i);
    h = Functional.apply(new GRU(3, true), h);
    h = Functional.apply(new MultiHeadAttention(2, 3), h, h);
    h = Functional.apply(new SimpleRNN(2), h);
    Path dir = temp.resolve("named");
    List<String> keras = List.of("bidirectional/forward_lstm/lstm_cell/kernel",
        "bidirectional/forward_lstm/lstm_cell/recurrent_kernel", "bidirectional/forward_lstm/lstm_cell/bias",
        "bidirectional/backward_lstm/lstm_cell/kernel", "bidirectional/backward_lstm/lstm_cell/recurrent_kernel",
        "bidirectional/backward_lstm/lstm_cell/bias", "gru/gru_cell/kernel", "gru/gru_cell/recurrent_kernel",
        "gru/gru_cell/bias", "multi_head_attention/query/kernel", "multi_head_attention/query/bias",
        "multi_head_attention/key/kernel", "multi_head_attention/key/bias", "multi_head_attention/value/kernel",
        "multi_head_attention/value/bias", "multi_head_attention/attention_output/kernel",
        "multi_head_attention/attention_output/bias", "simple_rnn/simple_rnn_cell/kernel",
        "simple_rnn/simple_rnn_cell/recurrent_kernel", "simple_rnn/simple_rnn_cell/bias", "dense/kernel", "dense/bias");
    try (Model model = Functional.model(i, Functional.apply(new Dense(2), h))) {
      model.build(7, 3);
      assertEquals(keras, model.weightNames());
      model.export(dir);
    }
    assertEquals(Set.copyOf(keras), metaGraph(dir).getGraphDef().getNodeList().stream()
        .filter(n -> n.getOp().equals("VarHandleOp")).map(NodeDef::getName).collect(Collectors.toSet()));
  }

  @Test
  void signaturesDependOnTheirInputsAndTheVariablesAlone() throws Exception {
    Path convnet = temp.resolve("convnet");
    Path lstm = temp.resolve("lstm");
    Path stacked = temp.resolve("stacked");
    try (Model model = convnet()) {
      model.export(convnet);
    }
    try (Model model = Sequential.of(new LSTM(5), new Dense(2, "softmax"))) {
      model.build(7, 3);
      model.export(lstm);
    }
    // Returning sequences, each step's output goes to a buffer, not a list; the model predicts the same.
    Data x = Data.of(ExportTest.random(4, 21, 3).values(), 7, 3);
    float[] expected;
    try (Model model = Sequential.of(new Bidirectional(new LSTM(4, true)), new GRU(3, true), new LSTM(2))) {
      model.build(7, 3);
      expected = model.predict(x, 4).values();
      model.export(stacked);
    }
    try (SavedModel loaded = Leibniz.load(stacked)) {
      assertArrayEquals(expected, loaded.predict(x, 3).values(), 1e-6f);
    }
    for (Path dir : List.of(convnet, lstm, stacked)) {
      MetaGraphDef meta = metaGraph(dir);
      SignatureDef sig = meta.getSignatureDefOrThrow("serving_default");
      List<String> outputs = sig.getOutputsMap().values().stream().map(t -> t.getName()).toList();
      Set<NodeDef> needed = ancestors(meta, outputs);
      Set<String> inputs = sig.getInputsMap().values().stream().map(t -> t.getName().split(":")[0])
          .collect(Collectors.toSet());
      assertEquals(inputs, needed.stream().filter(n -> n.getOp().startsWith("Placeholder")).map(NodeDef::getName)
          .collect(Collectors.toSet()), dir + ": the outputs read a placeholder that is not an input (a training switch?)");
      assertEquals(Set.of(), needed.stream().map(NodeDef::getOp)
          .filter(op -> op.contains("Random") || op.startsWith("TensorList")).collect(Collectors.toSet()),
          dir + ": TF Lite refuses random ops, and lists whose element shape holds the dynamic batch");
    }
  }

  private static List<VariableDef> variables(CollectionDef collection) throws IOException {
    List<VariableDef> out = new ArrayList<>();
    for (var bytes : collection.getBytesList().getValueList()) {
      out.add(VariableDef.parseFrom(bytes));
    }
    return out;
  }

  @Test
  void logitsSignatureReturnsWhatTheSoftmaxTakes() throws Exception {
    Path dir = temp.resolve("mlp");
    Data x = ExportTest.random(6, 4, 2);
    try (Model model = ExportTest.trainedMlp()) {
      model.export(dir, ExportOptions.serving().logitsSignature("logits"));
    }
    try (SavedModel probabilities = Leibniz.load(dir); SavedModel logits = Leibniz.load(dir, "logits")) {
      assertEquals(List.of("logits", "serving_default"), probabilities.signatures().stream().sorted().toList());
      float[] p = probabilities.predict(x, 6).values();
      float[] z = logits.predict(x, 6).values();
      float[] softmax = new float[z.length];
      for (int row = 0; row < 6; row++) {
        double sum = 0;
        for (int c = 0; c < 3; c++) {
          sum += Math.exp(z[row * 3 + c]);
        }
        for (int c = 0; c < 3; c++) {
          softmax[row * 3 + c] = (float) (Math.exp(z[row * 3 + c]) / sum);
        }
      }
      assertArrayEquals(p, softmax, 1e-6f);
      assertFalse(java.util.Arrays.equals(p, z));
    }
    try (Model linear = Sequential.of(new Dense(2))) {
      linear.build(3);
      var e = assertThrows(IllegalArgumentException.class,
          () -> linear.export(temp.resolve("linear"), ExportOptions.serving().logitsSignature("logits")));
      assertTrue(e.getMessage().contains("output output_0 comes from BiasAdd"), e.getMessage());
      assertFalse(Files.exists(temp.resolve("linear")));
    }
  }

  @Test
  void versionFoldersAsTfServingReadsThem() throws Exception {
    Path base = temp.resolve("models/mnist");
    try (Model model = Sequential.of(new Dense(2))) {
      model.build(3);
      assertEquals(base.resolve("3"), model.export(base, ExportOptions.serving().version(3)));
      assertEquals(base.resolve("4"), model.export(base, ExportOptions.serving().nextVersion()));
      Files.createDirectories(base.resolve("notes"));
      assertEquals(base.resolve("5"), model.export(base, ExportOptions.serving().nextVersion()));
      assertEquals(temp.resolve("other/1"), model.export(temp.resolve("other"), ExportOptions.serving().nextVersion()));
    }
    assertTrue(Files.exists(base.resolve("3/saved_model.pb")) && Files.exists(base.resolve("5/saved_model.pb")));
    var e = assertThrows(IllegalArgumentException.class, () -> ExportOptions.serving().version(0));
    assertTrue(e.getMessage().contains("positive"), e.getMessage());
  }

  /** Each record of a TFRecord file (lengths and CRCs are checked by {@code TfRecordsTest}; skipped here). */
  static List<byte[]> records(Path file) throws IOException {
    ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    List<byte[]> out = new ArrayList<>();
    while (in.hasRemaining()) {
      byte[] record = new byte[Math.toIntExact(in.getLong())];
      in.getInt();
      in.get(record);
      in.getInt();
      out.add(record);
    }
    return out;
  }

  @Test
  void warmupRequestsAreServingPredictionLogs() throws Exception {
    Path dir = temp.resolve("mlp");
    Data batch = ExportTest.random(5, 4, 8);
    try (Model model = ExportTest.trainedMlp()) {
      model.export(dir, ExportOptions.serving().warmup(batch).warmup(batch.slice(0, 1)));
      var e = assertThrows(IllegalArgumentException.class, () -> model.export(temp.resolve("bad"),
          ExportOptions.serving().warmup(ExportTest.random(2, 5, 1))));
      assertTrue(e.getMessage().contains("shape [5]; the model takes [4]"), e.getMessage());
    }
    List<byte[]> records = records(dir.resolve("assets.extra/tf_serving_warmup_requests"));
    assertEquals(2, records.size());
    for (int r = 0; r < 2; r++) {
      // PredictionLog.predict_log (6) -> PredictLog.request (1) -> PredictRequest
      UnknownFieldSet request = UnknownFieldSet.parseFrom(UnknownFieldSet.parseFrom(UnknownFieldSet.parseFrom(
          records.get(r)).getField(6).getLengthDelimitedList().get(0)).getField(1).getLengthDelimitedList().get(0));
      UnknownFieldSet spec = UnknownFieldSet.parseFrom(request.getField(1).getLengthDelimitedList().get(0));
      assertEquals("serving_default", spec.getField(3).getLengthDelimitedList().get(0).toStringUtf8());
      UnknownFieldSet input = UnknownFieldSet.parseFrom(request.getField(2).getLengthDelimitedList().get(0));
      assertEquals("input_0", input.getField(1).getLengthDelimitedList().get(0).toStringUtf8());
      TensorProto tensor = TensorProto.parseFrom(input.getField(2).getLengthDelimitedList().get(0));
      assertEquals(DataType.DT_FLOAT, tensor.getDtype());
      int rows = r == 0 ? 5 : 1;
      assertEquals(List.of((long) rows, 4L), tensor.getTensorShape().getDimList().stream().map(d -> d.getSize())
          .toList());
      float[] values = new float[rows * 4];
      tensor.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
      assertArrayEquals(batch.slice(0, rows).values(), values);
    }
  }

  /**
   * With a vectorizer in front, the export looks tokens up in a hash table that its main op fills
   * when the model loads (the converter takes that with TF Select; it has no LowerBound, the
   * fingerprint search the vectorizer uses elsewhere), and predicts as the model on vectorized text.
   */
  @Test
  void textExportLooksTokensUpInATableItsMainOpFills() throws Exception {
    TextVectorization vectorizer = new TextVectorization(20, 5).adapt(List.of("the cat sat", "a dog ran far",
        "the dog sat"));
    List<String> texts = List.of("The cat ran!", "", "zebra dog", "the the the the the the sat");
    Path dir = temp.resolve("text");
    float[] expected;
    try (Model model = Sequential.of(new Embedding(20, 3), new GlobalAveragePooling1D(), new Dense(2, "softmax"))) {
      model.build(5);
      expected = model.predict(vectorizer.vectorize(texts), 4).values();
      model.export(dir, vectorizer);
    }
    MetaGraphDef meta = metaGraph(dir);
    String main = meta.getCollectionDefOrThrow("saved_model_main_op").getNodeList().getValue(0);
    assertTrue(ancestors(meta, List.of(main)).stream().anyMatch(n -> n.getOp().equals("LookupTableImportV2")));
    Set<String> ops = ancestors(meta, meta.getSignatureDefOrThrow("serving_default").getOutputsMap().values().stream()
        .map(t -> t.getName()).toList()).stream().map(NodeDef::getOp).collect(Collectors.toSet());
    assertTrue(ops.contains("LookupTableFindV2") && !ops.contains("LowerBound"), ops.toString());
    try (org.tensorflow.SavedModelBundle b = org.tensorflow.SavedModelBundle.load(dir.toString(), "serve");
        org.tensorflow.types.TString in = org.tensorflow.types.TString.vectorOf(texts.toArray(String[]::new));
        var result = b.function("serving_default").call(Map.of("input_0", in))) {
      var out = (org.tensorflow.types.TFloat32) result.get("output_0").orElseThrow();
      float[] got = new float[(int) out.size()];
      out.asRawTensor().data().asFloats().read(got);
      assertArrayEquals(expected, got, 1e-6f);
    }
  }

  @Test
  void aTfLiteFileIsRefusedSayingWhy() throws IOException {
    Path file = Files.write(temp.resolve("model.tflite"), new byte[] {1, 2, 3});
    var e = assertThrows(IOException.class, () -> Leibniz.load(file));
    assertTrue(e.getMessage().contains("TensorFlow Java has no TF Lite interpreter"), e.getMessage());
  }
}
