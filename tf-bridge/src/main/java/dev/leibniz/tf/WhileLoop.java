package dev.leibniz.tf;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.DeviceSpec;
import org.tensorflow.ExecutionEnvironment;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.OperationBuilder;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.internal.c_api.TF_Input;
import org.tensorflow.internal.c_api.TF_Output;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.internal.c_api.global.tensorflow;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.Scope;
import org.tensorflow.op.core.Enter;
import org.tensorflow.op.core.Exit;
import org.tensorflow.op.core.Merge;
import org.tensorflow.op.core.NextIteration;
import org.tensorflow.op.core.SwitchCond;
import org.tensorflow.types.TBool;
import org.tensorflow.types.family.TType;

/**
 * A TensorFlow while loop built op by op in the graph that runs it (TensorFlow 1's control flow,
 * as its Python {@code while_loop} built it), where a value the body only reads enters the loop
 * once ({@code Enter} with {@code is_constant}) instead of travelling through it as a loop
 * variable. TensorFlow Java's {@code Graph.whileLoop} makes every input a variable, which costs a
 * {@code Merge}, a {@code Switch} and a {@code NextIteration} per input at every iteration: for a
 * recurrent layer, every weight at every step; and it takes the body whole, where here a
 * variable can be added to a loop already built (a value the backward turns out to read, saved at
 * every step of the forward).
 *
 * <p>Use: {@link #carried} the variables the condition reads, {@link #whileTrue} the condition on
 * them, then build the body with {@link #body()} on the variables' {@link Carried#value}s and
 * {@link #invariant}s; give each variable its {@link #next} value; read a variable's last value
 * from its {@link Carried#exit}. A variable carried after the condition is in the body at once.
 */
final class WhileLoop {
  /** As Keras's recurrent layers ({@code parallel_iterations=32}): up to 32 steps' independent ops in flight. */
  private static final long PARALLEL_ITERATIONS = 32;

  private final String frame;
  /** Builds the loop's own ops: no control dependencies. */
  private final Ops plain;
  private final List<Carried<?>> variables = new ArrayList<>();
  private Operand<TBool> loopCond;
  private Ops body;

  /**
   * A loop variable: {@link #merged} is its value as the condition reads it, {@link #value} as
   * the body does, {@link #exit} after the loop.
   */
  static final class Carried<T extends TType> {
    private final Merge<T> merge;
    private Operand<T> value;
    private Exit<T> exit;
    private boolean closed;

    private Carried(Merge<T> merge) {
      this.merge = merge;
    }

    Operand<T> merged() {
      return merge.output();
    }

    Operand<T> value() {
      return value;
    }

    /** The variable's value when the loop ends. */
    Output<T> exit() {
      if (!closed) {
        throw new IllegalStateException("a loop variable is read after the loop before it has its next value");
      }
      return exit.output();
    }
  }

  /** A loop named {@code frame} (unique in the graph) whose ops are built by {@code outer}'s scope. */
  WhileLoop(Ops outer, String frame) {
    this.frame = frame;
    this.plain = outer.withSubScope(frame).withControlDependencies(List.of());
  }

  /** A new loop variable starting at {@code initial}. */
  <T extends TType> Carried<T> carried(Operand<T> initial) {
    Enter<T> enter = plain.enter(initial, frame, Enter.parallelIterations(PARALLEL_ITERATIONS));
    keepShape(enter, initial.shape());
    // Input 1 becomes the NextIteration once the body is built (next): a loop's back edge.
    Carried<T> v = new Carried<>(plain.merge(List.of(enter, enter)));
    variables.add(v);
    if (loopCond != null) {
      split(v);
    }
    return v;
  }

  /**
   * The loop runs while {@code condition} (built on {@link #condition()} from the variables'
   * merged values) holds.
   */
  void whileTrue(Operand<TBool> condition) {
    if (variables.isEmpty()) {
      throw new IllegalStateException("a loop needs a variable before its condition");
    }
    loopCond = plain.loopCond(condition);
    variables.forEach(this::split);
    body = TfInternals.ops(new InFrame(plain.withSubScope("body").scope(), variables.get(0).value.op()));
  }

  /** Ops for the condition on the variables' merged values: in the loop's frame. */
  Ops condition() {
    return TfInternals.ops(new InFrame(plain.withSubScope("cond").scope(), variables.get(0).merge.op()));
  }

  /** Ops for the body: in the loop's frame. After {@link #whileTrue}. */
  Ops body() {
    if (body == null) {
      throw new IllegalStateException("the body is built after the loop's condition");
    }
    return body;
  }

  /** {@code outer}, a value from outside the loop, as the body reads it: the same at every iteration. */
  <T extends TType> Operand<T> invariant(Operand<T> outer) {
    return plain.enter(outer, frame, Enter.isConstant(true), Enter.parallelIterations(PARALLEL_ITERATIONS));
  }

  /** {@code v}'s value at the next iteration: {@code value}, built in the body. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  void next(Carried<?> v, Operand<?> value) {
    if (v.closed) {
      throw new IllegalStateException("a loop variable already has its next value");
    }
    NextIteration<?> next = plain.nextIteration((Operand) value);
    update(v.merge, 1, next);
    v.closed = true;
  }

  /** {@code entered} (an {@link #invariant}) enters the loop with {@code outer} instead of what it had. */
  static void input(Op entered, Operand<?> outer) {
    if (!entered.op().type().equals("Enter")) {
      throw new IllegalArgumentException("not a value entering a loop: " + entered.op().type());
    }
    update(entered, 0, outer);
  }

  /** Input {@code index} of {@code op} becomes {@code from}: TensorFlow checks their types and shapes agree. */
  private static void update(Op op, int index, Operand<?> from) {
    Graph graph = (Graph) op.env();
    try (TF_Status status = TF_Status.newStatus(); TF_Output out = output(from);
        TF_Input to = new TF_Input().oper(((GraphOperation) op.op()).getUnsafeNativeHandle()).index(index)) {
      tensorflow.TF_UpdateEdge(TfInternals.graph(graph), out, to, status);
      status.throwExceptionIfNotOK();
    }
  }

  /**
   * A variable's {@code Enter} has no static shape (its value changes); the loop keeps the initial
   * value's, as Python's {@code while_loop} sets its shape invariants: the variable's ops in the
   * body see their ranks when built, and {@link #next} checks the body's value against it.
   */
  private static void keepShape(Enter<?> enter, Shape shape) {
    if (shape.isUnknown()) {
      return;
    }
    try (TF_Status status = TF_Status.newStatus(); TF_Output out = output(enter)) {
      tensorflow.TF_GraphSetTensorShape(TfInternals.graph((Graph) enter.env()), out, shape.asArray(), shape.numDimensions(), status);
      status.throwExceptionIfNotOK();
    }
  }

  private static TF_Output output(Operand<?> x) {
    return new TF_Output().oper(((GraphOperation) x.op()).getUnsafeNativeHandle()).index(x.asOutput().index());
  }

  private <T extends TType> void split(Carried<T> v) {
    SwitchCond<T> sw = plain.switchCond(v.merge.output(), loopCond);
    v.exit = plain.exit(sw.outputFalse());
    // The first variable's value is the iteration's pivot, an op the body's constants depend on.
    v.value = variables.get(0) == v ? plain.identity(sw.outputTrue()) : sw.outputTrue();
  }

  /**
   * A scope inside the loop: a constant, having no inputs, is in the loop's frame only by a
   * control edge from an op that is (the iteration's pivot), as Python's {@code while_loop} does;
   * other ops are in it through their inputs.
   */
  private record InFrame(Scope scope, Operation pivot) implements Scope {
    @Override
    public OperationBuilder opBuilder(String type, String name) {
      OperationBuilder builder = env().opBuilder(type, makeOpName(name), this);
      return type.equals("Const") ? builder.addControlInput(pivot) : builder;
    }

    @Override
    public ExecutionEnvironment env() {
      return scope.env();
    }

    @Override
    public Scope withSubScope(String childScopeName) {
      return new InFrame(scope.withSubScope(childScopeName), pivot);
    }

    @Override
    public Scope withName(String opName) {
      return new InFrame(scope.withName(opName), pivot);
    }

    @Override
    public Scope withNameAsSubScope(String defaultName) {
      return new InFrame(scope.withNameAsSubScope(defaultName), pivot);
    }

    @Override
    public Scope withDevice(DeviceSpec deviceSpec) {
      return new InFrame(scope.withDevice(deviceSpec), pivot);
    }

    @Override
    public Scope withInitScope() {
      throw new UnsupportedOperationException("a loop's body cannot create initializers");
    }

    @Override
    public String makeOpName(String defaultName) {
      return scope.makeOpName(defaultName);
    }

    @Override
    public String makeUnique(String id) {
      return scope.makeUnique(id);
    }

    @Override
    public void refreshNames() {
      scope.refreshNames();
    }

    @Override
    public Scope withControlDependencyOps(Iterable<Operation> controls) {
      return new InFrame(scope.withControlDependencyOps(controls), pivot);
    }

    @Override
    public OperationBuilder apply(OperationBuilder builder) {
      return scope.apply(builder);
    }

    @Override
    public String getDeviceString() {
      return scope.getDeviceString();
    }

    @Override
    public boolean isInit() {
      return scope.isInit();
    }
  }
}
