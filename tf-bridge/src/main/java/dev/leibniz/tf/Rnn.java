package dev.leibniz.tf;

import dev.leibniz.dsl.Variable;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
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
 * sequences of any length. What the step's backward reads is saved per step in a tensor list;
 * the backward is a second {@code While}, from the last step to the first, whose body is the
 * step's generated backward: state gradients carried, weight gradients summed, the input's
 * gradient written one step at a time. Both cost time and memory linear in the length.
 */
final class Rnn {
  private Rnn() {}

  /** How a value of the step's forward record comes back in the backward's body. */
  private sealed interface Part {}

  /**
   * Saved at every step in tensor list {@code list}; {@code leads}: its first dimension is proven
   * to be the batch ({@link SymbolicShapes}), as the backward then takes it.
   */
  private record Saved(int list, Shape shape, boolean leads) implements Part {}

  /** The same at every step: a value of the outer graph the step captured. */
  private record Invariant(Operand<?> outer) implements Part {}

  /** Null in the record. */
  private record Absent() implements Part {}

  /** Columns {@code [offset, offset + width)} of the list of packed values (list 0), {@code [batch, width]}. */
  private record Packed(int offset, int width, Shape shape, boolean leads) implements Part {}

  /** A record (a sublayer's forward) of parts. */
  private record Nested(Class<?> type, List<Part> parts) implements Part {}

  /** A loop's forward: the layer's output, and what its backward needs. */
  record Loop(Operand<TFloat32> output, List<Operand<TFloat32>> states, Operand<TFloat32> x, Operand<TFloat32> mask,
      boolean sequences, Part record, List<Operand<?>> saved, Operand<TInt32> steps) implements Forward {
    /** The output, then the final states (Keras's {@code return_state}). */
    @Override
    public List<Operand<TFloat32>> outputs() {
      List<Operand<TFloat32>> all = new ArrayList<>();
      all.add(output);
      all.addAll(states);
      return all;
    }
  }

  /** One build of the forward step in a body: the new states, what is saved per step, and how to rebuild the record. */
  private record StepBuilt(List<Operand<TFloat32>> next, List<Operand<?>> toSave, Part record) {}

  /** One build of the backward step in a body: the state gradients it passes back, and the input's. */
  private record BackBuilt(List<Operand<TFloat32>> dStates, Operand<TFloat32> dx) {}

  // TensorFlow's While takes its body as a subgraph whose loop variables are fixed before it is
  // built, but what a step saves and captures (weights, feeds) shows only once it is built: each
  // body is built first in a scratch graph to learn that, then for real.

  @SuppressWarnings("unchecked")
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
    List<Operand<?>> init = new ArrayList<>();
    init.add(o.constant(0));
    init.add(steps);
    for (int s = 0; s < stateCount; s++) {
      if (stateSizes != null) {
        stateShapes.add(Shape.of(x.shape().size(0), stateSizes[s]));
        init.add(o.fill(o.stack(List.of(batch, o.constant(stateSizes[s]))), o.constant(0f)));
      } else {
        Operand<TFloat32> given = initial.get(s);
        if (given.shape().numDimensions() != 2) {
          throw new IllegalArgumentException("a recurrent layer's initial state is [batch, units], got shape "
              + given.shape());
        }
        stateShapes.add(given.shape());
        init.add(outer.isForExport() ? given : sameBatch(o, given, batch));
      }
    }
    List<Output<?>> captures;
    try (Graph scratch = new Graph()) {
      TfGraph body = new TfGraph(scratch, outer);
      List<Operand<TFloat32>> states = new ArrayList<>();
      for (int s = 0; s < stateCount; s++) {
        states.add((Operand<TFloat32>) placeholder(body.ops(), init.get(2 + s), stateShapes.get(s)));
      }
      StepBuilt trial = stepForward(body, placeholder(body.ops(), steps, Shape.scalar()), states, x, mask, sequences,
          step);
      for (Operand<?> value : trial.toSave()) {
        init.add(outer.isForExport() ? sequenceBuffer(o, steps, batch, value.shape())
            : o.tensorListReserve(elementShape(o, value.shape()), steps, value.type()));
      }
      captures = new ArrayList<>(body.captured().keySet());
      init.addAll(captures);
    }
    int firstList = 2 + stateCount;
    int firstCapture = init.size() - captures.size();
    Part[] record = new Part[1];
    Shape[] lastShape = new Shape[1];
    Output<?>[] result = whileLoop(outer, init, "rnn",
        (c, in) -> c.math.less((Operand<TInt32>) in[0], (Operand<TInt32>) in[1]),
        (g, raw, out) -> {
          Output<?>[] in = shaped(Ops.create(g), raw, init);
          TfGraph body = bind(g, outer, captures, in, firstCapture);
          Ops b = body.ops();
          List<Operand<TFloat32>> states = new ArrayList<>();
          for (int s = 0; s < stateCount; s++) {
            states.add((Operand<TFloat32>) in[2 + s]);
          }
          Operand<TInt32> i = (Operand<TInt32>) in[0];
          StepBuilt built = stepForward(body, i, states, x, mask, sequences, step);
          checkSame(built.toSave().size(), firstCapture - firstList, body, captures);
          out[0] = b.math.add(i, b.constant(1)).asOutput();
          out[1] = in[1];
          for (int s = 0; s < stateCount; s++) {
            out[2 + s] = built.next().get(s).asOutput();
          }
          for (int k = 0; k < built.toSave().size(); k++) {
            out[firstList + k] = (outer.isForExport()
                ? b.tensorScatterNdUpdate((Operand<TFloat32>) in[firstList + k], b.reshape(i, b.constant(new int[] {1, 1})),
                    b.expandDims((Operand<TFloat32>) built.toSave().get(k), b.constant(0)))
                : b.tensorListSetItem(in[firstList + k], i, built.toSave().get(k))).asOutput();
          }
          System.arraycopy(raw, firstCapture, out, firstCapture, captures.size());
          record[0] = built.record();
          lastShape[0] = built.next().get(0).shape();
        });
    List<Operand<TFloat32>> last = new ArrayList<>();
    for (int s = 0; s < stateCount; s++) {
      last.add(withShape(outer, (Operand<TFloat32>) result[2 + s], stateShapes.get(s)));
    }
    List<Operand<?>> lists = new ArrayList<>(List.of(result).subList(firstList, firstCapture));
    Operand<TFloat32> output = last.get(0);
    if (sequences) {
      Operand<?> sequenceList = lists.remove(lists.size() - 1);
      Operand<TFloat32> stacked = outer.isForExport() ? (Operand<TFloat32>) sequenceList
          : o.tensorListStack(sequenceList, elementShape(o, lastShape[0]), TFloat32.class);
      output = withShape(outer, o.linalg.transpose(stacked, o.constant(new int[] {1, 0, 2})),
          Shape.of(x.shape().size(0), x.shape().size(1), stateShapes.get(0).size(1)));
    }
    return new Loop(output, last, x, mask, sequences, record[0], lists, steps);
  }

  private static StepBuilt stepForward(TfGraph body, Operand<TInt32> i, List<Operand<TFloat32>> states,
      Operand<TFloat32> x, Operand<TFloat32> mask, boolean sequences, Tf.Step step) {
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
    List<Operand<?>> toSave = new ArrayList<>();
    Part record = pack(flatten(f, body, toSave, batch), toSave, body, batch);
    if (body.isForExport()) {
      toSave.clear(); // no backward reads them (the sequence's rows, below, go to a buffer: see sequenceBuffer)
    }
    if (mask != null) {
      // Keras's masking: at a padded step every state (and so the output) stays what it was.
      Operand<TBool> keep = keep(body, mask, i);
      List<Operand<TFloat32>> kept = new ArrayList<>();
      for (int s = 0; s < next.size(); s++) {
        kept.add(b.select(keep, next.get(s), states.get(s)));
      }
      next = kept;
    }
    if (sequences) {
      toSave.add(next.get(0));
    }
    return new StepBuilt(next, toSave, record);
  }

  /**
   * The backward of {@link #forward}: the gradient of its input {@code x}; weight gradients are
   * added to {@code outer}. {@code dOutput} may be null (no gradient reached the layer).
   */
  @SuppressWarnings("unchecked")
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
    List<Operand<?>> init = new ArrayList<>();
    init.add(o.math.sub(fwd.steps(), o.constant(1)));
    for (int s = 0; s < stateCount; s++) {
      Operand<TFloat32> d = s == 0 && !fwd.sequences() ? dOutput : null;
      Operand<TFloat32> given = s < dFinal.size() ? dFinal.get(s) : null;
      d = d == null ? given : given == null ? d : o.math.add(d, given);
      init.add(d != null ? d : o.zerosLike(fwd.states().get(s)));
    }
    init.add(o.tensorListReserve(elementShape(o, xtShape), fwd.steps(), TFloat32.class));
    int firstList = 2 + stateCount;
    List<Variable> weights;
    List<Output<?>> captures;
    // The lists the backward reads: a value it uses only for its static shape (an unbroadcast's
    // operand) is not read, so the forward's list of it feeds nothing and TensorFlow prunes it.
    List<Integer> read = new ArrayList<>();
    try (Graph scratch = new Graph()) {
      TfGraph body = new TfGraph(scratch, outer);
      Ops b = body.ops();
      List<Operand<?>> in = new ArrayList<>();
      for (Operand<?> value : init) {
        in.add(placeholder(b, value, value.shape()));
      }
      Map<Integer, Operand<?>> items = new java.util.TreeMap<>();
      Operand<TInt32> i = (Operand<TInt32>) in.get(0);
      stepBackward(body, in, fwd, dOutput, step, (list, shape) -> items.computeIfAbsent(list,
          k -> b.tensorListGetItem(placeholder(b, fwd.saved().get(k), Shape.scalar()), i, elementShape(b, shape),
              TFloat32.class)));
      items.forEach((list, item) -> {
        if (((org.tensorflow.GraphOperation) item.op()).numConsumers() > 0) {
          read.add(list);
        }
      });
      read.forEach(list -> init.add(fwd.saved().get(list)));
      weights = new ArrayList<>(body.collectedGradients().keySet());
      for (Variable v : weights) {
        long[] shape = body.collectedGradients().get(v).shape().asArray();
        init.add(o.zeros(o.constant(shape), TFloat32.class));
      }
      captures = new ArrayList<>(body.captured().keySet());
      init.addAll(captures);
    }
    int firstSum = firstList + read.size();
    int firstCapture = firstSum + weights.size();
    Output<?>[] result = whileLoop(outer, init, "rnn_backward",
        (c, in) -> c.math.greaterEqual((Operand<TInt32>) in[0], c.constant(0)),
        (g, raw, out) -> {
          Output<?>[] in = shaped(Ops.create(g), raw, init);
          TfGraph body = bind(g, outer, captures, in, firstCapture);
          Ops b = body.ops();
          Operand<TInt32> i = (Operand<TInt32>) in[0];
          Map<Integer, Operand<?>> items = new java.util.HashMap<>();
          BackBuilt built = stepBackward(body, List.of(in), fwd, dOutput, step, (list, shape) -> items.computeIfAbsent(
              list, k -> read.contains(k)
                  ? b.tensorListGetItem(in[firstList + read.indexOf(k)], i, elementShape(b, shape), TFloat32.class)
                  : standIn(b, shape)));
          Map<Variable, Operand<TFloat32>> grads = body.collectedGradients();
          checkSame(grads.size(), weights.size(), body, captures);
          out[0] = b.math.sub(i, b.constant(1)).asOutput();
          for (int s = 0; s < stateCount; s++) {
            out[1 + s] = built.dStates().get(s).asOutput();
          }
          out[1 + stateCount] = b.tensorListSetItem(in[1 + stateCount], i, built.dx()).asOutput();
          System.arraycopy(raw, firstList, out, firstList, firstSum - firstList);
          for (int w = 0; w < weights.size(); w++) {
            out[firstSum + w] = b.math.add((Operand<TFloat32>) in[firstSum + w], grads.get(weights.get(w))).asOutput();
          }
          System.arraycopy(raw, firstCapture, out, firstCapture, captures.size());
        });
    for (int w = 0; w < weights.size(); w++) {
      Operand<TFloat32> sum = (Operand<TFloat32>) result[firstSum + w];
      outer.addGradient(weights.get(w), o.ensureShape(sum, init.get(firstSum + w).shape()));
    }
    Operand<TFloat32> stacked = o.tensorListStack(result[1 + stateCount], elementShape(o, xtShape), TFloat32.class);
    List<Operand<TFloat32>> grads = new ArrayList<>();
    grads.add(o.ensureShape(o.linalg.transpose(stacked, o.constant(new int[] {1, 0, 2})), fwd.x().shape()));
    for (int s = 0; s < stateCount; s++) {
      grads.add(o.ensureShape((Operand<TFloat32>) result[1 + s], fwd.states().get(s).shape()));
    }
    return grads;
  }

  /** A saved value as the backward's body reads it: list {@code list}'s item at this step (element shape {@code shape}). */
  private interface Residuals {
    Operand<?> get(int list, Shape shape);
  }

  /**
   * A value the backward reads only for its static shape: that shape, and no work (it feeds
   * nothing, so it never runs).
   */
  private static Operand<TFloat32> standIn(Ops b, Shape shape) {
    if (shape.isUnknown()) {
      return b.placeholderWithDefault(b.constant(0f), shape);
    }
    long[] dims = shape.asArray();
    for (int d = 0; d < dims.length; d++) {
      dims[d] = Math.max(dims[d], 1);
    }
    return b.placeholderWithDefault(b.zeros(b.constant(dims), TFloat32.class), shape);
  }

  /** The step's backward in a body whose loop variables start with the index, the state gradients and the input's list. */
  @SuppressWarnings("unchecked")
  private static BackBuilt stepBackward(TfGraph body, List<? extends Operand<?>> in, Loop fwd, Operand<TFloat32> dOutput,
      Tf.StepBackward step, Residuals residuals) {
    Ops b = body.ops();
    int stateCount = fwd.states().size();
    Operand<TInt32> i = (Operand<TInt32>) in.get(0);
    List<Operand<TFloat32>> dStates = new ArrayList<>();
    for (int s = 0; s < stateCount; s++) {
      dStates.add((Operand<TFloat32>) in.get(1 + s));
    }
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

  /** A body on {@code g} whose captures are the loop variables from {@code first} on. */
  private static TfGraph bind(Graph g, TfGraph outer, List<Output<?>> captures, Output<?>[] in, int first) {
    TfGraph body = new TfGraph(g, outer);
    for (int k = 0; k < captures.size(); k++) {
      body.bindCapture(captures.get(k), in[first + k]);
    }
    return body;
  }

  /**
   * The loop variables as the body reads them: a subgraph's inputs have no static shape, so each
   * gets its initial value's back (the ops that need a rank at graph-build time, matmul, see it).
   */
  private static Output<?>[] shaped(Ops b, Output<?>[] in, List<Operand<?>> init) {
    Output<?>[] out = new Output<?>[in.length];
    for (int k = 0; k < in.length; k++) {
      Shape shape = init.get(k).shape();
      boolean variant = in[k].dataType() == org.tensorflow.proto.DataType.DT_VARIANT;
      out[k] = variant || shape.isUnknown() ? in[k] : b.ensureShape(in[k], shape).asOutput();
    }
    return out;
  }

  /** The second build of a body must carry what the first did. */
  private static void checkSame(int count, int expected, TfGraph body, List<Output<?>> captures) {
    if (count != expected || body.captured().size() != captures.size()) {
      throw new IllegalStateException("a recurrent step built differently twice (it must depend only on its layer"
          + " and inputs)");
    }
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

  /**
   * The per-step values that are {@code [batch, n]} floats (all of a recurrent cell's, usually)
   * concatenated into one, saved in one list: one write per step and one read back, where each
   * list costs the loop its own plumbing ops at every step. {@code toSave} becomes the pack (if
   * any) and the others; the parts are renumbered to match.
   */
  @SuppressWarnings("unchecked")
  private static Part pack(Part record, List<Operand<?>> toSave, TfGraph body, SymbolicShapes.Symbol batch) {
    Ops b = body.ops();
    List<Integer> packable = new ArrayList<>();
    for (int k = 0; k < toSave.size(); k++) {
      Shape shape = toSave.get(k).shape();
      if (toSave.get(k).type() == TFloat32.class && shape.numDimensions() == 2 && shape.size(1) > 0) {
        packable.add(k);
      }
    }
    if (packable.size() < 2) {
      return record;
    }
    Map<Integer, Part> moved = new java.util.HashMap<>();
    List<Operand<TFloat32>> columns = new ArrayList<>();
    List<Operand<?>> rest = new ArrayList<>();
    int offset = 0;
    for (int k = 0; k < toSave.size(); k++) {
      Shape shape = toSave.get(k).shape();
      if (packable.contains(k)) {
        columns.add((Operand<TFloat32>) toSave.get(k));
        moved.put(k, new Packed(offset, (int) shape.size(1), shape, body.tf().symbolic().leads(toSave.get(k), batch)));
        offset += (int) shape.size(1);
      } else {
        moved.put(k, new Saved(1 + rest.size(), shape, body.tf().symbolic().leads(toSave.get(k), batch)));
        rest.add(toSave.get(k));
      }
    }
    toSave.clear();
    toSave.add(b.concat(columns, b.constant(1)));
    toSave.addAll(rest);
    return renumber(record, moved);
  }

  private static Part renumber(Part part, Map<Integer, Part> moved) {
    if (part instanceof Saved saved) {
      return moved.get(saved.list());
    }
    if (part instanceof Nested n) {
      List<Part> parts = new ArrayList<>();
      n.parts().forEach(p -> parts.add(renumber(p, moved)));
      return new Nested(n.type(), parts);
    }
    return part;
  }

  /** The record's values, as parts; those that change per step appended to {@code toSave}. */
  private static Part flatten(Object value, TfGraph body, List<Operand<?>> toSave, SymbolicShapes.Symbol batch) {
    if (value == null) {
      return new Absent();
    }
    if (value instanceof Operand<?> operand) {
      for (var e : body.captured().entrySet()) {
        if (e.getValue().asOutput().equals(operand.asOutput())) {
          return new Invariant(e.getKey());
        }
      }
      for (int k = 0; k < toSave.size(); k++) {
        if (toSave.get(k).asOutput().equals(operand.asOutput())) {
          // the same value twice in the record (an output that is also a local)
          return new Saved(k, operand.shape(), body.tf().symbolic().leads(operand, batch));
        }
      }
      toSave.add(operand);
      return new Saved(toSave.size() - 1, operand.shape(), body.tf().symbolic().leads(operand, batch));
    }
    if (value instanceof Record r) {
      List<Part> parts = new ArrayList<>();
      for (RecordComponent c : r.getClass().getRecordComponents()) {
        try {
          parts.add(flatten(c.getAccessor().invoke(r), body, toSave, batch));
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException("cannot read " + c.getName() + " of " + r.getClass().getName(), e);
        }
      }
      return new Nested(r.getClass(), parts);
    }
    throw new UnsupportedOperationException("a recurrent step's record holds " + value.getClass().getSimpleName()
        + ": a step with a loop inside it cannot run in a recurrent layer's loop");
  }

  @SuppressWarnings("unchecked")
  private static Object rebuild(Part part, TfGraph body, Residuals residuals, SymbolicShapes.Symbol batch) {
    if (part instanceof Absent) {
      return null;
    }
    if (part instanceof Invariant inv) {
      return body.capture(inv.outer());
    }
    if (part instanceof Saved s) {
      Operand<?> value = residuals.get(s.list(), s.shape());
      if (s.leads()) {
        body.tf().symbolic().declareBatch(value, batch);
      }
      return value;
    }
    if (part instanceof Packed p) {
      Ops b = body.ops();
      Operand<TFloat32> all = (Operand<TFloat32>) residuals.get(0, Shape.of(p.shape().size(0), -1));
      Operand<TFloat32> value = b.ensureShape(b.slice(all, b.constant(new int[] {0, p.offset()}),
          b.constant(new int[] {-1, p.width()})), p.shape());
      if (p.leads()) {
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

  /** Each value the body captured becomes a loop input passed through unchanged. */
  private static void addCaptures(TfGraph body, List<Operand<?>> init, List<Operand<?>> inputs, List<Operand<?>> outputs) {
    for (var e : body.captured().entrySet()) {
      init.add(e.getKey());
      inputs.add(e.getValue());
      outputs.add(e.getValue());
    }
  }

  /** A loop input of the body: a placeholder of {@code like}'s type. */
  @SuppressWarnings("unchecked")
  private static <T extends TType> Operand<T> placeholder(Ops b, Operand<T> like, Shape shape) {
    return (Operand<T>) b.scope().opBuilder("Placeholder", b.scope().makeUnique("loop_input"))
        .setAttr("dtype", like.asOutput().dataType()).setAttr("shape", shape).build().output(0);
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

  private interface Condition {
    Operand<?> of(Ops cond, Output<?>[] inputs);
  }

  private static Output<?>[] whileLoop(TfGraph outer, List<Operand<?>> init, String name, Condition condition,
      Graph.WhileSubgraphBuilder body) {
    Output<?>[] inputs = new Output<?>[init.size()];
    for (int k = 0; k < inputs.length; k++) {
      inputs[k] = init.get(k).asOutput();
    }
    return outer.graph().whileLoop(inputs, (g, in, out) -> out[0] = condition.of(Ops.create(g), in).asOutput(), body,
        outer.uniqueName(name));
  }
}
