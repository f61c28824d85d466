package dev.leibniz.saving;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.TensorFlow;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.CollectionDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SaverDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;
import org.tensorflow.proto.VariableDef;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

/**
 * Writes a SavedModel as TensorFlow's own {@code SavedModelBuilder} writes one with resource
 * variables, the form every TensorFlow reader takes: the C++ loader and TF Serving (which run
 * the saver's restore op), Python's {@code tf.saved_model.load} (which lists the variables of
 * the {@code variables} collection, under their names) and the TF Lite converter (which
 * freezes them). TensorFlow Java's own exporter saves reference variables only, and leaves the
 * collections out: Python then sees no variables, and the converter fails on the restore
 * tensors it cannot find.
 *
 * <p>Build the graph, add this writer (it adds the save and restore ops under {@code save/}),
 * set the variables in a session, then {@link #write} the folder.
 */
public final class SavedModelWriter {
  /** The SavedModel's file; the checkpoint is {@code variables/variables.*} beside it. */
  public static final String FILE = "saved_model.pb";

  /** A variable of the graph: its name (the checkpoint's key), handle, a read of it, and its initializer. */
  public record Variable(String name, Operand<?> handle, Operand<?> read, Op initializer, boolean trainable) {}

  /** A signature: its key, and its inputs and outputs by name. */
  public record Signature(String key, Map<String, Operand<?>> inputs, Map<String, Operand<?>> outputs) {}

  private final Graph graph;
  private final List<Variable> variables;
  private final Operand<TString> filename;
  private final Operand<TString> save;
  private final Op restore;
  private final Op mainOp;

  /**
   * Adds the saver's ops for {@code variables} to {@code graph} (none where there are none: a
   * model without weights), and the main op that runs {@code initializers} once the model is
   * loaded and its variables restored (filling a lookup table), where there are any.
   */
  public SavedModelWriter(Graph graph, List<Variable> variables, List<Op> initializers) {
    this.graph = graph;
    this.variables = List.copyOf(variables);
    this.mainOp = initializers.isEmpty() ? null
        : Ops.create(graph).withName("main_op").withControlDependencies(initializers).noOp();
    if (variables.isEmpty()) {
      filename = null;
      save = null;
      restore = null;
      return;
    }
    Ops ops = Ops.create(graph).withSubScope("save");
    filename = ops.withName("filename").placeholderWithDefault(ops.constant("model"), Shape.scalar());
    String[] names = variables.stream().map(Variable::name).toArray(String[]::new);
    Operand<TString> keys = ops.withName("tensor_names").constant(Shape.of(names.length), DataBuffers.ofObjects(names));
    Operand<TString> slices = ops.withName("shape_and_slices").constant(Shape.of(names.length),
        DataBuffers.ofObjects(java.util.Collections.nCopies(names.length, "").toArray(String[]::new)));
    List<Operand<?>> reads = variables.stream().<Operand<?>>map(Variable::read).toList();
    Op saved = ops.withName("SaveV2").train.save(filename, keys, slices, reads);
    save = ops.withName("control_dependency").withControlDependencies(List.of(saved)).identity(filename);
    List<Class<? extends TType>> types = variables.stream().<Class<? extends TType>>map(v -> TFloat32.class).toList();
    var restored = ops.withName("RestoreV2").train.restore(filename, keys, slices, types);
    List<Op> assigns = new ArrayList<>();
    for (int i = 0; i < variables.size(); i++) {
      assigns.add(ops.withName("AssignVariableOp").assignVariableOp(variables.get(i).handle(),
          restored.tensors().get(i)));
    }
    restore = ops.withName("restore_all").withControlDependencies(assigns).noOp();
  }


  /**
   * Writes {@code saved_model.pb} (tag {@code tags}, the signatures, the saver and the variables
   * collections) and the checkpoint of the variables' values in {@code session} into {@code dir},
   * an empty folder, and each of {@code extra} into {@code assets.extra/}.
   */
  public void write(Session session, Path dir, List<String> tags, List<Signature> signatures,
      Map<String, byte[]> extra) throws IOException {
    Path variablesDir = Files.createDirectories(dir.resolve("variables"));
    MetaGraphDef.Builder meta = MetaGraphDef.newBuilder()
        .setMetaInfoDef(MetaGraphDef.MetaInfoDef.newBuilder().addAllTags(tags)
            .setTensorflowVersion(TensorFlow.version()))
        .setGraphDef(graph.toGraphDef());
    if (save != null) {
      try (TString prefix = TString.scalarOf(variablesDir.resolve("variables").toString())) {
        session.runner().feed(filename, prefix).fetch(save).run().close();
      }
      meta.setSaverDef(SaverDef.newBuilder().setFilenameTensorName(tensorName(filename))
          .setSaveTensorName(tensorName(save)).setRestoreOpName(restore.op().name())
          .setVersion(SaverDef.CheckpointFormatVersion.V2).setMaxToKeep(5).setKeepCheckpointEveryNHours(10000));
    }
    CollectionDef.BytesList.Builder all = CollectionDef.BytesList.newBuilder();
    CollectionDef.BytesList.Builder trainable = CollectionDef.BytesList.newBuilder();
    for (Variable v : variables) {
      VariableDef def = VariableDef.newBuilder().setVariableName(tensorName(v.handle()))
          .setInitializerName(v.initializer().op().name()).setSnapshotName(tensorName(v.read()))
          .setIsResource(true).setTrainable(v.trainable()).build();
      all.addValue(def.toByteString());
      if (v.trainable()) {
        trainable.addValue(def.toByteString());
      }
    }
    if (mainOp != null) { // TensorFlow's loaders run it after the restore (saved_model_main_op)
      meta.putCollectionDef("saved_model_main_op", CollectionDef.newBuilder()
          .setNodeList(CollectionDef.NodeList.newBuilder().addValue(mainOp.op().name())).build());
    }
    meta.putCollectionDef("variables", CollectionDef.newBuilder().setBytesList(all).build());
    meta.putCollectionDef("trainable_variables", CollectionDef.newBuilder().setBytesList(trainable).build());
    for (Signature s : signatures) {
      SignatureDef.Builder def = SignatureDef.newBuilder().setMethodName("tensorflow/serving/predict");
      s.inputs().forEach((name, x) -> def.putInputs(name, info(x)));
      s.outputs().forEach((name, y) -> def.putOutputs(name, info(y)));
      meta.putSignatureDef(s.key(), def.build());
    }
    org.tensorflow.proto.SavedModel model = org.tensorflow.proto.SavedModel.newBuilder()
        .setSavedModelSchemaVersion(1).addMetaGraphs(meta).build();
    try (OutputStream out = Files.newOutputStream(dir.resolve(FILE))) {
      model.writeTo(out);
    }
    if (!extra.isEmpty()) {
      Path extraDir = Files.createDirectories(dir.resolve("assets.extra"));
      for (Map.Entry<String, byte[]> e : extra.entrySet()) {
        Files.write(extraDir.resolve(e.getKey()), e.getValue());
      }
    }
  }

  private static String tensorName(Operand<?> x) {
    return x.op().name() + ":" + x.asOutput().index();
  }

  private static TensorInfo info(Operand<?> x) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    Shape s = x.shape();
    if (s.isUnknown()) {
      shape.setUnknownRank(true);
    } else {
      for (long d : s.asArray()) {
        shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
      }
    }
    return TensorInfo.newBuilder().setName(tensorName(x)).setDtype(x.asOutput().dataType()).setTensorShape(shape)
        .build();
  }
}
