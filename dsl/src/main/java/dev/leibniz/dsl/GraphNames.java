package dev.leibniz.dsl;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The naming contract of generated code, in one place: what the processor writes for a class
 * and what the runtime looks up. For {@code pkg.Outer.Dense} with {@code @Call Tensor call(Tensor x)}:
 * class {@code pkg.Outer_Dense_Graph}, constant {@code LAYER}, methods {@code call} and
 * {@code callBackward}, records {@code CallForward} and {@code CallGradients}; a static
 * {@code @Call meanSquaredError} also gets the constant {@code MEAN_SQUARED_ERROR}, and with
 * {@code order = 2} the methods {@code meanSquaredErrorGrad} and {@code meanSquaredErrorGrad2}. Any
 * {@code @Call(order = 2)} also gets {@code callBackwardBackward} (the backward of its backward),
 * returning {@code CallBackwardGradients}.
 */
public final class GraphNames {
  private GraphNames() {}

  /** The constant holding a layer's instance {@code @Call} as a {@code LayerGraph}. */
  public static final String LAYER_CONSTANT = "LAYER";

  /** Parameters and locals of generated methods; a {@code @Call} may not use them as names. */
  public static final Set<String> RESERVED = Set.of("tf", "layer", "fwd", "dOutput", "stepTf", "stepX", "stepStates",
      "stepFwd", "stepGrads");

  /** {@code pkg.Outer_Inner_Graph}: the simple names from the outermost class in, joined by '_'. */
  public static String graphClass(String packageName, List<String> simpleNames) {
    String simple = String.join("_", simpleNames) + "_Graph";
    return packageName.isEmpty() ? simple : packageName + "." + simple;
  }

  /** The record a forward returns: {@code call} to {@code CallForward}. */
  public static String forwardRecord(String method) {
    return capitalize(method) + "Forward";
  }

  /** The record a backward returns: {@code call} to {@code CallGradients}. */
  public static String gradientsRecord(String method) {
    return capitalize(method) + "Gradients";
  }

  public static String backwardMethod(String method) {
    return method + "Backward";
  }

  /**
   * The backward of a method's backward ({@code order = 2}): {@code call} to {@code callBackwardBackward};
   * its record is {@code gradientsRecord(backwardMethod(method))}.
   */
  public static String secondBackwardMethod(String method) {
    return backwardMethod(backwardMethod(method));
  }

  /** The gradient of the sum of a function's output ({@code order = 2}). */
  public static String gradMethod(String method) {
    return method + "Grad";
  }

  /** The Hessian-vector product ({@code order = 2}): the gradient of the gradient's dot product with vectors. */
  public static String hvpMethod(String method) {
    return method + "Hvp";
  }

  /** The vector paired with an input in {@link #hvpMethod}: {@code x} -> {@code vX}. */
  public static String vectorOf(String input) {
    return "v" + capitalize(input);
  }

  /** The gradient of {@link #gradMethod} ({@code order = 2}). */
  public static String grad2Method(String method) {
    return method + "Grad2";
  }

  /** The constant of a static function: {@code meanSquaredError} to {@code MEAN_SQUARED_ERROR}. */
  public static String functionConstant(String method) {
    return method.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
  }

  /** The gradient of input {@code x}: {@code dX}. */
  public static String gradientOf(String name) {
    return "d" + capitalize(name);
  }

  public static String capitalize(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
