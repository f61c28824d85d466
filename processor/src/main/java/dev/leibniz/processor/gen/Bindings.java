package dev.leibniz.processor.gen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.leibniz.dsl.GraphNames;
import dev.leibniz.processor.ad.FnPlan;
import dev.leibniz.processor.check.Annotations;
import dev.leibniz.processor.check.ClassInfo;
import dev.leibniz.processor.check.DeclarationCheck;
import dev.leibniz.processor.ir.Fn;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;

/**
 * The constants that let the runtime hold a compiled class without reflection: {@code LAYER}
 * (the instance {@code @Call}, as a {@code LayerGraph}) and one {@code FunctionGraph} per static
 * {@code @Call} function, named in upper snake case ({@code meanSquaredError} ->
 * {@code MEAN_SQUARED_ERROR}, {@link GraphNames}). Each forwards to the generated static methods.
 */
final class Bindings {
  static final ClassName LAYER_GRAPH = ClassName.get("dev.leibniz.tf", "LayerGraph");
  static final ClassName FUNCTION_GRAPH = ClassName.get("dev.leibniz.tf", "FunctionGraph");
  static final ClassName VARIABLE = ClassName.get("dev.leibniz.dsl", "Variable");
  static final TypeName TENSORS = ParameterizedTypeName.get(GraphWriter.LIST, GraphWriter.TENSOR);

  private Bindings() {}

  static void add(TypeSpec.Builder type, ClassInfo info, ClassName graph, ClassName owner, List<FnPlan> plans) {
    Fn layerCall = layerCall(plans);
    Set<String> taken = new HashSet<>();
    if (layerCall != null) {
      type.addField(layer(info, graph, owner, layerCall));
      taken.add(GraphNames.LAYER_CONSTANT);
    }
    for (FnPlan plan : plans) {
      Fn fn = plan.forward();
      String constant = GraphNames.functionConstant(fn.name());
      if (fn.isStatic() && taken.add(constant)) {
        type.addField(function(graph, plan, constant));
      } else if (!fn.isStatic() && fn != layerCall && taken.add(constant)) {
        // Another method of the layer (a GAN's discriminatorLoss): as a LayerGraph too, for training objectives.
        type.addField(layer(info, graph, owner, fn, constant));
      }
    }
  }

  /** The instance {@code @Call} named "call", or the only instance one. */
  private static Fn layerCall(List<FnPlan> plans) {
    List<Fn> instance = plans.stream().map(FnPlan::forward).filter(f -> !f.isStatic()).toList();
    for (Fn fn : instance) {
      if (fn.name().equals("call")) {
        return fn;
      }
    }
    return instance.size() == 1 ? instance.get(0) : null;
  }

  private static FieldSpec layer(ClassInfo info, ClassName graph, ClassName owner, Fn fn) {
    return layer(info, graph, owner, fn, GraphNames.LAYER_CONSTANT);
  }

  private static FieldSpec layer(ClassInfo info, ClassName graph, ClassName owner, Fn fn, String constant) {
    List<String> weights = info.weights().keySet().stream().map(w -> "layer." + w).toList();
    List<String> sublayers = new ArrayList<>();
    for (VariableElement f : info.fields().values()) {
      if (f.asType() instanceof DeclaredType d && Annotations.isLayerType(d.asElement())
          && !DeclarationCheck.isPrivate(f) && !f.getModifiers().contains(Modifier.STATIC)) {
        sublayers.add("layer." + f.getSimpleName());
      }
    }
    TypeSpec.Builder impl = TypeSpec.anonymousClassBuilder("")
        .addSuperinterface(ParameterizedTypeName.get(LAYER_GRAPH, owner))
        .addMethod(inputs(fn))
        .addMethod(MethodSpec.methodBuilder("call").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
            .returns(GraphWriter.FORWARD).addParameter(GraphWriter.TF, "tf").addParameter(owner, "layer")
            .addParameter(TENSORS, "inputs")
            .addStatement("return $T.$L(tf, layer$L)", graph, fn.name(), inputArgs(fn)).build())
        .addMethod(MethodSpec.methodBuilder("backward").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
            .returns(TENSORS).addParameter(GraphWriter.TF, "tf").addParameter(owner, "layer")
            .addParameter(GraphWriter.FORWARD, "forward").addParameter(GraphWriter.TENSOR, "dOutput")
            .addStatement("return $T.$L(tf, layer, ($T) forward, $L).asList()", graph,
                GraphNames.backwardMethod(fn.name()), graph.nestedClass(GraphNames.forwardRecord(fn.name())),
                seeds(fn, false)).build())
        .addMethod(MethodSpec.methodBuilder("weights").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
            .returns(ParameterizedTypeName.get(GraphWriter.LIST, VARIABLE)).addParameter(owner, "layer")
            .addStatement("return $T.created($L)", LAYER_GRAPH, String.join(", ", weights)).build())
        .addMethod(MethodSpec.methodBuilder("sublayers").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
            .returns(ParameterizedTypeName.get(GraphWriter.LIST, ClassName.OBJECT)).addParameter(owner, "layer")
            .addStatement("return $T.present($L)", LAYER_GRAPH, String.join(", ", sublayers)).build());
    if (fn.outputs() != null) {
      impl.addMethod(outputsCount(fn)).addMethod(MethodSpec.methodBuilder("backward").addAnnotation(Override.class)
          .addModifiers(Modifier.PUBLIC).returns(TENSORS).addParameter(GraphWriter.TF, "tf").addParameter(owner, "layer")
          .addParameter(GraphWriter.FORWARD, "forward").addParameter(TENSORS, "dOutputs")
          .addStatement("return $T.$L(tf, layer, ($T) forward, $L).asList()", graph,
              GraphNames.backwardMethod(fn.name()), graph.nestedClass(GraphNames.forwardRecord(fn.name())),
              seeds(fn, true)).build());
    }
    return FieldSpec.builder(ParameterizedTypeName.get(LAYER_GRAPH, owner), constant,
            Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("{@link $T#$L} as one object, for models that hold this layer.\n", owner, fn.name())
        .initializer("$L", impl.build()).build();
  }

  private static FieldSpec function(ClassName graph, FnPlan plan, String constant) {
    Fn fn = plan.forward();
    TypeSpec.Builder impl = TypeSpec.anonymousClassBuilder("")
        .addSuperinterface(FUNCTION_GRAPH)
        .addMethod(MethodSpec.methodBuilder("name").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
            .returns(String.class).addStatement("return $S", fn.name()).build())
        .addMethod(inputs(fn))
        .addMethod(MethodSpec.methodBuilder("inputNames").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
            .returns(ParameterizedTypeName.get(GraphWriter.LIST, ClassName.get(String.class)))
            .addStatement("return $T.of($L)", GraphWriter.LIST,
                String.join(", ", fn.inputNames().stream().map(n -> "\"" + n + "\"").toList())).build())
        .addMethod(MethodSpec.methodBuilder("declaredShapes").addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC).returns(ParameterizedTypeName.get(GraphWriter.LIST, TypeName.get(long[].class)))
            .addStatement("return $T.asList($L)", ClassName.get(java.util.Arrays.class), declaredShapes(fn)).build())
        .addMethod(MethodSpec.methodBuilder("call").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
            .returns(GraphWriter.FORWARD).addParameter(GraphWriter.TF, "tf").addParameter(TENSORS, "inputs")
            .addStatement("return $T.$L(tf$L)", graph, fn.name(), inputArgs(fn)).build())
        .addMethod(MethodSpec.methodBuilder("backward").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
            .returns(TENSORS).addParameter(GraphWriter.TF, "tf").addParameter(GraphWriter.FORWARD, "forward")
            .addParameter(GraphWriter.TENSOR, "dOutput")
            .addStatement("return $T.$L(tf, ($T) forward, $L).asList()", graph,
                GraphNames.backwardMethod(fn.name()), graph.nestedClass(GraphNames.forwardRecord(fn.name())),
                seeds(fn, false)).build());
    if (fn.outputs() != null) {
      impl.addMethod(outputsCount(fn)).addMethod(MethodSpec.methodBuilder("backward").addAnnotation(Override.class)
          .addModifiers(Modifier.PUBLIC).returns(TENSORS).addParameter(GraphWriter.TF, "tf")
          .addParameter(GraphWriter.FORWARD, "forward").addParameter(TENSORS, "dOutputs")
          .addStatement("return $T.$L(tf, ($T) forward, $L).asList()", graph, GraphNames.backwardMethod(fn.name()),
              graph.nestedClass(GraphNames.forwardRecord(fn.name())), seeds(fn, true)).build());
    }
    if (plan.hvp() != null) {
      CodeBlock.Builder args = CodeBlock.builder();
      for (int i = 0; i < fn.inputs().size(); i++) {
        args.add(", inputs.get($L)", i);
      }
      for (int i = 0; i < fn.inputs().size(); i++) {
        args.add(", vectors.get($L)", i);
      }
      impl.addMethod(MethodSpec.methodBuilder("hvp").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
          .returns(TENSORS).addParameter(GraphWriter.TF, "tf").addParameter(TENSORS, "inputs")
          .addParameter(TENSORS, "vectors")
          .addStatement("return $T.$L(tf$L).asList()", graph, GraphNames.hvpMethod(fn.name()), args.build()).build());
    }
    return FieldSpec.builder(FUNCTION_GRAPH, constant, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("{@link #$L} as one object.\n", fn.name())
        .initializer("$L", impl.build()).build();
  }

  /** Each input's {@code @Dims} as a {@code long[]} (-1 for a free dimension), or null where it has none. */
  private static String declaredShapes(Fn fn) {
    List<String> out = new ArrayList<>();
    for (var in : fn.inputs()) {
      var shape = in.shape();
      out.add(!shape.knownRank() ? "(long[]) null" : "new long[] {" + String.join(", ",
          shape.dims().stream().map(d -> d + "L").toList()) + "}");
    }
    return String.join(", ", out);
  }

  /**
   * The seed arguments of a generated backward: from {@code dOutputs} (a list), or {@code dOutput}
   * for the first output and null (a symbolic zero) for the others.
   */
  private static String seeds(Fn fn, boolean fromList) {
    int n = fn.results().size();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(fromList ? "dOutputs.get(" + i + ")" : i == 0 ? "dOutput" : "null");
    }
    return String.join(", ", out);
  }

  private static MethodSpec outputsCount(Fn fn) {
    return MethodSpec.methodBuilder("outputs").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .returns(int.class).addStatement("return $L", fn.results().size()).build();
  }

  private static MethodSpec inputs(Fn fn) {
    return MethodSpec.methodBuilder("inputs").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .returns(int.class).addStatement("return $L", fn.inputs().size()).build();
  }

  private static CodeBlock inputArgs(Fn fn) {
    CodeBlock.Builder args = CodeBlock.builder();
    for (int i = 0; i < fn.inputs().size(); i++) {
      args.add(", inputs.get($L)", i);
    }
    return args.build();
  }
}
