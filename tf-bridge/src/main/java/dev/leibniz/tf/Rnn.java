package dev.leibniz.tf;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TType;

/**
 * A recurrent layer's loop over the steps of a sequence {@code [batch, steps, features]}, as
 * Keras's {@code backend.rnn} and JAX's {@code scan}: one TensorFlow {@code While} whose body is
 * the layer's generated step, so the graph does not grow with the sequence and one graph runs
 * sequences of any length. The backward is a second {@code While}, from the last step to the
 * first, whose body is the step's generated backward: state gradients carried, weight gradients
 * summed, the input's gradient written one step at a time. Each value of the step it reads is
 * saved at every step of the forward, in a tensor list of its own, when the backward first asks
 * for it (as TensorFlow's own gradient of a {@code While} does): what no backward reads is never
 * saved. Both cost time and memory linear in the length.
 */
final class Rnn {
  private Rnn() {}

  /** How a value of the step's forward record comes back in the backward's body. */
  private sealed interface Part {}

  /**
   * A value of the forward's step, saved at every step when a backward reads it; {@code leads}:
   * its first dimension is proven to be the batch ({@link SymbolicShapes}), as the backward then takes it.
   */
  private record Saved(Operand<?> value, boolean leads) implements Part {}

  /** The same at every step: a value of the outer graph the step captured. */
  private record Invariant(Operand<?> outer) implements Part {}

  /** Null in the record. */
  private record Absent() implements Part {}

  /** A record (a sublayer's forward) of parts. */
  private record Nested(Class<?> type, List<Part> parts) implements Part {}

  /** A loop's forward: the layer's output, and what its backward needs. */
  record Loop(Operand<TFloat32> output, List<Operand<TFloat32>> states, Operand<TFloat32> x, Operand<TFloat32> mask,
      boolean sequences, Part record, Saver saver, Operand<TInt32> steps) implements Forward {
    /** The output, then the final states (Keras's {@code return_state}). */
    @Override
    public List<Operand<TFloat32>> outputs() {
      List<Operand<TFloat32>> all = new ArrayList<>();
      all.add(output);
      all.addAll(states);
      return all;
    }
  }

  /**
   * The forward loop's values as lists of their per-step values: each a loop variable added to the
   * forward loop (a {@code TensorListSetItem} per step) the first time it is kept.
   */
  static final class Saver {
    private final Ops outer;
    private final WhileLoop loop;
    private final Operand<TInt32> i;
    private final Operand<TInt32> steps;
    private final Map<Output<?>, Operand<?>> empty = new HashMap<>();
    private final Map<Output<?>, Operand<?>> lists = new HashMap<>();

    private Saver(Ops outer, WhileLoop loop, Operand<TInt32> i, Operand<TInt32> steps) {
      this.outer = outer;
      this.loop = loop;
      this.i = i;
      this.steps = steps;
    }

    /** An empty list for {@code value}'s per-step values: what its list starts from. */
    Operand<?> empty(Operand<?> value) {
      return empty.computeIfAbsent(value.asOutput(),
          v -> outer.tensorListReserve(elementShape(outer, value.shape()), steps, value.type()));
    }

    /** The list of {@code value}'s values at every step, in the outer graph after the loop; null if not kept. */
    Operand<?> kept(Operand<?> value) {
      return lists.get(value.asOutput());
    }

    /** Keeps {@code value} at every step: its list. */
    Operand<?> keep(Operand<?> value) {
      return lists.computeIfAbsent(value.asOutput(), v -> {
        WhileLoop.Carried<?> list = loop.carried(empty(value));
        loop.next(list, loop.body().tensorListSetItem(list.value(), i, value));
        return list.exit();
      });
    }
  }

  /** One build of the forward step in a body: the new states, and how to rebuild the record. */
  private record StepBuilt(List<Operand<TFloat32>> next, Part record) {}

  /** One build of the backward step in a body: the state gradients it passes back, and the input's. */
  private record BackBuilt(List<Operand<TFloat32>> dStates, Operand<TFloat32> dx) {}

  /** The loop from zero states of {@code stateSizes}, or (sizes null) from {@code initial}. */
  static Loop forward(TfGraph outer, Operand<TFloat32> x, Operand<TFloat32> mask, int[] stateSizes,
      List<Operand<TFloat32>> initial, boolean sequences, Tf.Step step) {
    if (x.shape().numDimensions() != 3) {
      throw new IllegalArgumentException("a recurrent layer expects [batch, steps, features], got shape " + x.shape());
    }
    Ops o = outer.ops();
    Operand<TInt32> shape = o.shape(x);
    Operand<TInt32> batch = scalarAt(o, shape, 0);
    Operand<TInt32> steps = scalarAt(o, shape, 1);
    int stateCount = stateSizes != null ? stateSizes.length : initial.size();
    List<Shape> stateShapes = new ArrayList<>();
    WhileLoop loop = new WhileLoop(o, outer.uniqueName("rnn"));
    WhileLoop.Carried<TInt32> counter = loop.carried(o.constant(0));
    List<WhileLoop.Carried<TFloat32>> states = new ArrayList<>();
    for (int s = 0; s < stateCount; s++) {
      if (stateSizes != null) {
        stateShapes.add(Shape.of(x.shape().size(0), stateSizes[s]));
        states.add(loop.carried(o.fill(o.stack(List.of(batch, o.constant(stateSizes[s]))), o.constant(0f))));
      } else {
        Operand<TFloat32> given = initial.get(s);
        if (given.shape().numDimensions() != 2) {
          throw new IllegalArgumentException("a recurrent layer's initial state is [batch, units], got shape "
              + given.shape());
        }
        stateShapes.add(given.shape());
        states.add(loop.carried(outer.isForExport() ? given : sameBatch(o, given, batch)));
      }
    }
    loop.whileTrue(loop.condition().math.less(counter.merged(), loop.invariant(steps)));
    TfGraph body = new TfGraph(outer, loop);
    Ops b = body.ops();
    Operand<TInt32> i = counter.value();
    StepBuilt built = stepForward(body, i, states.stream().map(WhileLoop.Carried::value).toList(), x, mask, step);
    loop.next(counter, b.math.add(i, b.constant(1)));
    for (int s = 0; s < stateCount; s++) {
      loop.next(states.get(s), built.next().get(s));
    }
    Saver saver = new Saver(o, loop, i, steps);
    List<Operand<TFloat32>> last = new ArrayList<>();
    for (int s = 0; s < stateCount; s++) {
      last.add(withShape(outer, states.get(s).exit(), stateShapes.get(s)));
    }
    Operand<TFloat32> output = last.get(0);
    if (sequences) {
      Operand<TFloat32> h = built.next().get(0);
      Operand<TFloat32> stacked;
      if (outer.isForExport()) {
        WhileLoop.Carried<TFloat32> rows = loop.carried(sequenceBuffer(o, steps, batch, h.shape()));
        loop.next(rows, b.tensorScatterNdUpdate(rows.value(), b.reshape(i, b.constant(new int[] {1, 1})),
            b.expandDims(h, b.constant(0))));
        stacked = rows.exit();
      } else {
        stacked = o.tensorListStack(saver.keep(h), elementShape(o, h.shape()), TFloat32.class);
      }
      output = withShape(outer, o.linalg.transpose(stacked, o.constant(new int[] {1, 0, 2})),
          Shape.of(x.shape().size(0), x.shape().size(1), stateShapes.get(0).size(1)));
    }
    return new Loop(output, last, x, mask, sequences, built.record(), saver, steps);
  }

  private static StepBuilt stepForward(TfGraph body, Operand<TInt32> i, List<Operand<TFloat32>> states,
      Operand<TFloat32> x, Operand<TFloat32> mask, Tf.Step step) {
    Ops b = body.ops();
    Operand<TFloat32> xt = b.gather(body.capture(x), i, b.constant(1));
    // The step's input and states share the sequence's batch (initial states are checked to have it).
    SymbolicShapes.Symbol batch = new SymbolicShapes.Symbol();
    body.tf().symbolic().declareBatch(xt, batch);
    states.forEach(s -> body.tf().symbolic().declareBatch(s, batch));
    Forward f = step.call(body.tf(), xt, states);
    List<Operand<TFloat32>> next = f.outputs();
    if (next.size() != states.size()) {
      throw new IllegalStateException("a recurrent step returns its new states: expected " + states.size()
          + ", got " + next.size());
    }
    Part record = flatten(f, body, batch);
    if (mask != null) {
      // Keras's masking: at a padded step every state (and so the output) stays what it was.
      Operand<TBool> keep = keep(body, mask, i);
      List<Operand<TFloat32>> kept = new ArrayList<>();
      for (int s = 0; s < next.size(); s++) {
        kept.add(b.select(keep, next.get(s), states.get(s)));
      }
      next = kept;
    }
    return new StepBuilt(next, record);
  }

  /**
   * The backward of {@link #forward}: the gradient of its input {@code x}; weight gradients are
   * added to {@code outer}. {@code dOutput} may be null (no gradient reached the layer).
   */
  static Operand<TFloat32> backward(TfGraph outer, Loop fwd, Operand<TFloat32> dOutput, Tf.StepBackward step) {
    return backward(outer, fwd, dOutput, List.of(), step).get(0);
  }

  /**
   * The backward given the output's gradient and the final states' ({@code dFinal}, by state;
   * null or absent: none): the gradients of {@code x} and of each initial state, in that order.
   */
  @SuppressWarnings("unchecked")
  static List<Operand<TFloat32>> backward(TfGraph outer, Loop fwd, Operand<TFloat32> dOutput,
      List<Operand<TFloat32>> dFinal, Tf.StepBackward step) {
    Ops o = outer.ops();
    if (dOutput == null && dFinal.stream().allMatch(java.util.Objects::isNull)) {
      List<Operand<TFloat32>> none = new ArrayList<>();
      none.add(o.zerosLike(fwd.x()));
      fwd.states().forEach(st -> none.add(o.zerosLike(st)));
      return none;
    }
    int stateCount = fwd.states().size();
    Shape xtShape = Shape.of(fwd.x().shape().size(0), fwd.x().shape().size(2));
    WhileLoop loop = new WhileLoop(o, outer.uniqueName("rnn_backward"));
    WhileLoop.Carried<TInt32> counter = loop.carried(o.math.sub(fwd.steps(), o.constant(1)));
    List<WhileLoop.Carried<TFloat32>> dStates = new ArrayList<>();
    for (int s = 0; s < stateCount; s++) {
      Operand<TFloat32> d = s == 0 && !fwd.sequences() ? dOutput : null;
      Operand<TFloat32> given = s < dFinal.size() ? dFinal.get(s) : null;
      d = d == null ? given : given == null ? d : o.math.add(d, given);
      dStates.add(loop.carried(d != null ? d : o.zerosLike(fwd.states().get(s))));
    }
    WhileLoop.Carried<?> dxs = loop.carried(o.tensorListReserve(elementShape(o, xtShape), fwd.steps(), TFloat32.class));
    Ops c = loop.condition();
    loop.whileTrue(c.math.greaterEqual(counter.merged(), c.constant(0)));
    TfGraph body = new TfGraph(outer, loop);
    Ops b = body.ops();
    Operand<TInt32> i = counter.value();
    // Each value of the forward's step the backward asks for is read from its list, at first from an
    // empty stand-in; only those it reads for more than their static shape (an unbroadcast's operand)
    // are kept by the forward, so no list is written that nothing reads.
    Map<Output<?>, Operand<?>> items = new HashMap<>();
    Map<Operand<?>, Operand<?>> standIns = new HashMap<>();
    BackBuilt built = stepBackward(body, i, dStates.stream().map(WhileLoop.Carried::value).toList(), fwd, dOutput,
        step, value -> items.computeIfAbsent(value.asOutput(), k -> {
          Operand<?> kept = fwd.saver().kept(value);
          Operand<?> list = body.capture((Operand<TType>) (kept != null ? kept : fwd.saver().empty(value)));
          if (kept == null) {
            standIns.put(value, list);
          }
          return b.tensorListGetItem(list, i, elementShape(b, value.shape()), value.type());
        }));
    standIns.forEach((value, list) -> {
      if (((GraphOperation) items.get(value.asOutput()).op()).numConsumers() > 0) {
        WhileLoop.input(list, fwd.saver().keep(value));
      }
    });
    loop.next(counter, b.math.sub(i, b.constant(1)));
    for (int s = 0; s < stateCount; s++) {
      loop.next(dStates.get(s), built.dStates().get(s));
    }
    loop.next(dxs, b.tensorListSetItem(dxs.value(), i, built.dx()));
    // Each weight's gradient, summed over the steps.
    for (var e : body.collectedGradients().entrySet()) {
      Operand<TFloat32> atStep = e.getValue();
      WhileLoop.Carried<TFloat32> sum = loop.carried(o.zeros(o.constant(atStep.shape().asArray()), TFloat32.class));
      loop.next(sum, b.math.add(sum.value(), atStep));
      outer.addGradient(e.getKey(), o.ensureShape(sum.exit(), atStep.shape()));
    }
    Operand<TFloat32> stacked = o.tensorListStack(dxs.exit(), elementShape(o, xtShape), TFloat32.class);
    List<Operand<TFloat32>> grads = new ArrayList<>();
    grads.add(o.ensureShape(o.linalg.transpose(stacked, o.constant(new int[] {1, 0, 2})), fwd.x().shape()));
    for (int s = 0; s < stateCount; s++) {
      grads.add(o.ensureShape(dStates.get(s).exit(), fwd.states().get(s).shape()));
    }
    return grads;
  }

  /** A value of the forward's step as the backward's body reads it: its list's item at this step. */
  private interface Residuals {
    Operand<?> get(Operand<?> value);
  }

  /** The step's backward at step {@code i}, given the gradients of the states after it. */
  private static BackBuilt stepBackward(TfGraph body, Operand<TInt32> i, List<Operand<TFloat32>> dStates, Loop fwd,
      Operand<TFloat32> dOutput, Tf.StepBackward step, Residuals residuals) {
    Ops b = body.ops();
    int stateCount = fwd.states().size();
    // The states' gradients and the output's at this step have the states' shapes: the sequence's batch first.
    SymbolicShapes.Symbol batch = new SymbolicShapes.Symbol();
    dStates.forEach(d -> body.tf().symbolic().declareBatch(d, batch));
    List<Operand<TFloat32>> dOutputs = new ArrayList<>(dStates);
    if (fwd.sequences() && dOutput != null) {
      Operand<TFloat32> dOut = b.gather(body.capture(dOutput), i, b.constant(1));
      body.tf().symbolic().declareBatch(dOut, batch);
      dOutputs.set(0, b.math.add(dStates.get(0), dOut));
    }
    List<Operand<TFloat32>> dNext = dOutputs;
    Operand<TBool> keep = fwd.mask() == null ? null : keep(body, fwd.mask(), i);
    if (keep != null) {
      // A padded step passed its states through: their gradients go past it, and none into the step.
      dNext = new ArrayList<>();
      for (Operand<TFloat32> d : dOutputs) {
        dNext.add(b.select(keep, d, b.zerosLike(d)));
      }
    }
    Forward restored = (Forward) rebuild(fwd.record(), body, residuals, batch);
    List<Operand<TFloat32>> grads = step.backward(body.tf(), restored, dNext);
    List<Operand<TFloat32>> back = new ArrayList<>();
    for (int s = 0; s < stateCount; s++) {
      Operand<TFloat32> d = grads.get(1 + s);
      if (keep != null) {
        Operand<TFloat32> passed = b.select(keep, b.zerosLike(dOutputs.get(s)), dOutputs.get(s));
        d = d == null ? passed : b.math.add(d, passed);
      }
      back.add(d == null ? b.zerosLike(dStates.get(s)) : d);
    }
    Operand<TFloat32> dx = grads.get(0) != null ? grads.get(0)
        : b.zerosLike(b.gather(body.capture(fwd.x()), i, b.constant(1)));
    return new BackBuilt(back, dx);
  }

  /** Whether step {@code i} is a real one: the mask's column there, {@code [batch, 1]}. */
  private static Operand<TBool> keep(TfGraph body, Operand<TFloat32> mask, Operand<TInt32> i) {
    Ops b = body.ops();
    Operand<TFloat32> column = b.expandDims(b.gather(body.capture(mask), i, b.constant(1)), b.constant(-1));
    return b.math.greater(column, b.constant(0f));
  }

  /**
   * A given initial state, checked when the graph runs to have the input's batch size (as Keras's
   * loop requires), which the step's shape proofs take for granted.
   */
  private static Operand<TFloat32> sameBatch(Ops o, Operand<TFloat32> state, Operand<TInt32> batch) {
    Operand<TInt32> rows = scalarAt(o, o.shape(state), 0);
    var check = o.assertThat(o.math.equal(rows, batch), List.of(
        o.constant("a recurrent layer's initial state must have one row per sequence of the input: rows, sequences"),
        rows, batch));
    return o.withControlDependencies(List.of(check)).identity(state);
  }

  /** Dimension {@code d} of a shape vector, as a scalar. */
  private static Operand<TInt32> scalarAt(Ops o, Operand<TInt32> shape, int d) {
    return o.reshape(o.slice(shape, o.constant(new int[] {d}), o.constant(new int[] {1})), o.constant(new int[0]));
  }

  /** The record's values, as parts. */
  private static Part flatten(Object value, TfGraph body, SymbolicShapes.Symbol batch) {
    if (value == null) {
      return new Absent();
    }
    if (value instanceof Operand<?> operand) {
      for (var e : body.captured().entrySet()) {
        if (e.getValue().asOutput().equals(operand.asOutput())) {
          return new Invariant(e.getKey());
        }
      }
      return new Saved(operand, body.tf().symbolic().leads(operand, batch));
    }
    if (value instanceof Record r) {
      List<Part> parts = new ArrayList<>();
      for (RecordComponent c : r.getClass().getRecordComponents()) {
        try {
          parts.add(flatten(c.getAccessor().invoke(r), body, batch));
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException("cannot read " + c.getName() + " of " + r.getClass().getName(), e);
        }
      }
      return new Nested(r.getClass(), parts);
    }
    throw new UnsupportedOperationException("a recurrent step's record holds " + value.getClass().getSimpleName()
        + ": a step with a loop inside it cannot run in a recurrent layer's loop");
  }

  private static Object rebuild(Part part, TfGraph body, Residuals residuals, SymbolicShapes.Symbol batch) {
    if (part instanceof Absent) {
      return null;
    }
    if (part instanceof Invariant inv) {
      return body.capture(inv.outer());
    }
    if (part instanceof Saved s) {
      Operand<?> value = residuals.get(s.value());
      if (s.leads()) {
        body.tf().symbolic().declareBatch(value, batch);
      }
      return value;
    }
    Nested n = (Nested) part;
    Object[] args = new Object[n.parts().size()];
    Class<?>[] types = new Class<?>[args.length];
    RecordComponent[] components = n.type().getRecordComponents();
    for (int k = 0; k < args.length; k++) {
      args[k] = rebuild(n.parts().get(k), body, residuals, batch);
      types[k] = components[k].getType();
    }
    try {
      Constructor<?> c = n.type().getDeclaredConstructor(types);
      c.setAccessible(true);
      return c.newInstance(args);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot rebuild " + n.type().getName(), e);
    }
  }

  /**
   * {@code x} with its static shape, which the loop's outputs lose: EnsureShape, or in an export a
   * Reshape to the same dimensions (TF Lite has no EnsureShape).
   */
  private static Operand<TFloat32> withShape(TfGraph outer, Operand<TFloat32> x, Shape shape) {
    Ops o = outer.ops();
    if (!outer.isForExport()) {
      return o.ensureShape(x, shape);
    }
    Operand<TInt32> runTime = o.shape(x);
    List<Operand<TInt32>> dims = new ArrayList<>();
    for (int d = 0; d < shape.numDimensions(); d++) {
      dims.add(shape.size(d) >= 0 ? o.constant((int) shape.size(d)) : scalarAt(o, runTime, d));
    }
    return o.reshape(x, o.stack(dims));
  }

  /**
   * In an export, where the step's outputs go instead of a tensor list: a [steps, batch, units]
   * tensor each step writes its row of (TensorScatterNdUpdate). TF Lite converts lists only when
   * their element's shape is static, and the batch is not.
   */
  private static Operand<TFloat32> sequenceBuffer(Ops o, Operand<TInt32> steps, Operand<TInt32> batch, Shape element) {
    if (element.numDimensions() != 2 || element.isUnknown() || element.size(1) < 0) {
      throw new IllegalStateException("a recurrent step's output must be [batch, units] with units known, got " + element);
    }
    return o.fill(o.stack(List.of(steps, batch, o.constant((int) element.size(1)))), o.constant(0f));
  }

  /** A list element's shape for TensorFlow: -1 where unknown. */
  private static Operand<TInt32> elementShape(Ops o, Shape shape) {
    if (shape.isUnknown()) {
      return o.constant(-1);
    }
    int[] dims = new int[shape.numDimensions()];
    for (int d = 0; d < dims.length; d++) {
      dims[d] = (int) shape.size(d);
    }
    return o.constant(dims);
  }

}
