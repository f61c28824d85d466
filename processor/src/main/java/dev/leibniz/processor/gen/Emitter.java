package dev.leibniz.processor.gen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import dev.leibniz.processor.ad.Tape;
import dev.leibniz.processor.ir.Block;
import dev.leibniz.processor.ir.Builder;
import dev.leibniz.processor.ir.If;
import dev.leibniz.processor.ir.JavaExpr;
import dev.leibniz.processor.ir.Loop;
import dev.leibniz.processor.ir.Node;
import dev.leibniz.processor.ir.Op;
import dev.leibniz.processor.ir.Origin;
import dev.leibniz.processor.ir.SlotWrite;
import dev.leibniz.processor.ir.Stmt;
import dev.leibniz.processor.ops.Structure;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the statements of one generated method from its IR block: each op as a local (or an
 * assignment to a variable it shares, see {@link Locals}), regions as Java {@code if} and
 * {@code for}, and above the code of each source line a comment quoting that line.
 */
final class Emitter {
  enum Mode { FORWARD, BACKWARD, WHOLE }

  private static final Pattern TYPE_MARK = Pattern.compile("\\$T\\{([^}]+)}");
  private static final ClassName ARRAY_LIST = ClassName.get("java.util", "ArrayList");

  private CodeBlock.Builder code;
  private final Builder nodes;
  private final Locals locals;
  private final Function<Integer, String> external;
  private final Mode mode;
  private final Set<Integer> nullSlots = new HashSet<>();
  private String lastComment = "";

  /** The records of loop iterations: filled in the forward, read in the backward (absent in whole-gradient methods). */
  interface Tapes {
    /** The level of the tape that holds what an iteration of {@code loop} saves, or null. */
    Tape.Level levelOf(Loop loop);

    /** The forward's list of a loop's iteration records. */
    String listName(Tape.Level level);

    /** The type of a loop's iteration record. */
    ClassName stepRecord(Tape.Level level);

    /** The values a record saves, as its constructor takes them. */
    String recordArgs(Tape.Level level);

    /** The backward's local holding the current iteration's record. */
    String stepLocal(Tape.Level level);
  }

  private Tapes tapes; // null in whole-gradient methods, which have no loops
  private final Deque<String> holders = new ArrayDeque<>(List.of("fwd"));

  Emitter(CodeBlock.Builder code, Builder nodes, Locals locals, Function<Integer, String> external, Mode mode) {
    this.code = code;
    this.nodes = nodes;
    this.locals = locals;
    this.external = external;
    this.mode = mode;
  }

  /** The forward fills, and the backward reads, one record per loop iteration. */
  Emitter tapes(Tapes tapes) {
    this.tapes = tapes;
    return this;
  }

  /** The Java expression of a value: its local, or (for what the method does not compute) its parameter or saved field. */
  String ref(int id) {
    return locals.isLocal(id) ? locals.nameOf(id) : external.apply(id);
  }

  private TypeName typeOf(int id) {
    String javaType = nodes.get(id).javaType();
    return javaType == null ? GraphWriter.TENSOR : ClassName.bestGuess(javaType);
  }

  /** The statements of a method's body. */
  void method(Block body) {
    findNullSlots(body);
    block(body);
  }

  private void block(Block block) {
    for (Stmt s : block.stmts()) {
      if (s instanceof Node n) {
        node(n);
      } else if (s instanceof SlotWrite w) {
        slotWrite(w);
      } else if (s instanceof If f) {
        branches(f);
      } else if (s instanceof Loop l) {
        loop(l);
      }
    }
  }

  /** Slots that start empty and may still be when read or added to: declared as null. */
  private void findNullSlots(Block block) {
    for (Stmt s : block.stmts()) {
      if (s instanceof SlotWrite w && (w.kind() == SlotWrite.Kind.ACCUMULATE || w.value() == Op.ZERO)) {
        nullSlots.add(w.slot());
      } else if (s instanceof Node n && n.op() == Structure.READ && n.attrs().has("maybeEmpty")) {
        nullSlots.add(n.arg(0));
      } else if (s instanceof If f) {
        findNullSlots(f.then());
        findNullSlots(f.otherwise());
      } else if (s instanceof Loop l) {
        findNullSlots(l.body());
      }
    }
  }

  void comment(Origin origin) {
    if (origin.file().isEmpty()) {
      return;
    }
    String text = origin.place() + (origin.gradient() ? " (gradient)" : "") + ": " + origin.text();
    if (!text.equals(lastComment)) {
      code.add("// $L\n", text.replace("$", "$$"));
      lastComment = text;
    }
  }

  /** {@code T name = } where the variable is declared here, else {@code name = }. */
  private CodeBlock target(int id) {
    return locals.isFirst(id) && locals.declaredBefore(id) == null
        ? CodeBlock.of("$T $L = ", typeOf(id), ref(id))
        : CodeBlock.of("$L = ", ref(id));
  }

  private void node(Node n) {
    if (n.op() == Structure.CARRY || n.op() == Structure.READ) {
      return; // a carried local is its loop's variable; a read is its slot's
    }
    if (n.op() == Structure.SLOT) {
      slot(n);
      return;
    }
    comment(n.origin());
    List<String> args = new ArrayList<>();
    for (int a : n.args()) {
      args.add(ref(a));
    }
    code.add(target(n.id())).add(expression(n.op().emit(args, n.attrs()))).add(";\n");
  }

  /** A gradient slot: what it starts from, or nothing yet. */
  private void slot(Node n) {
    comment(n.origin());
    if (n.args().isEmpty() && !locals.isFirst(n.id())) {
      code.addStatement("$L = null", ref(n.id()));
    } else if (n.args().isEmpty()) {
      code.addStatement(nullSlots.contains(n.id()) ? "$T $L = null" : "$T $L", typeOf(n.id()), ref(n.id()));
    } else if (!locals.sameVariable(n.id(), n.arg(0))) {
      code.add(target(n.id())).add("$L;\n", ref(n.arg(0)));
    }
  }

  private void slotWrite(SlotWrite w) {
    String slot = ref(w.slot());
    switch (w.kind()) {
      case SET -> {
        if (w.value() == Op.ZERO) {
          code.addStatement("$L = null", slot);
        } else if (!locals.sameVariable(w.slot(), w.value())) {
          code.addStatement("$L = $L", slot, ref(w.value()));
        }
      }
      case ADD -> code.addStatement("$L = tf.add($L, $L)", slot, slot, ref(w.value()));
      case ACCUMULATE -> code.addStatement("$L = tf.accumulate($L, $L)", slot, slot, ref(w.value()));
    }
  }

  /** Java code from an op's emission, with {@code $T{name}} marks turned into imports. */
  private static CodeBlock expression(String emitted) {
    Matcher m = TYPE_MARK.matcher(emitted);
    StringBuilder format = new StringBuilder();
    List<Object> args = new ArrayList<>();
    int last = 0;
    while (m.find()) {
      format.append(emitted.substring(last, m.start()).replace("$", "$$")).append("$T");
      args.add(ClassName.bestGuess(m.group(1)));
      last = m.end();
    }
    format.append(emitted.substring(last).replace("$", "$$"));
    return CodeBlock.of(format.toString(), args.toArray());
  }

  /** Variables first written inside {@code region} (or by it) but used beyond it, declared before it. */
  private void declareBefore(Stmt region, Set<Integer> assignedOnEveryPath) {
    for (int id : locals.declaredBefore(region)) {
      if (region instanceof Loop l && isCarried(l, id)) {
        continue; // declared with its value before the loop
      }
      code.addStatement(assignedOnEveryPath.contains(id) ? "$T $L" : "$T $L = null", typeOf(id), ref(id));
    }
  }

  private static boolean isCarried(Loop l, int id) {
    return l.carried().stream().anyMatch(c -> c.param() == id);
  }

  private void branches(If f) {
    comment(f.origin());
    Set<Integer> merged = new HashSet<>();
    for (If.Merge m : f.merges()) {
      merged.add(m.out());
      merged.add(m.fromThen());
      merged.add(m.fromElse());
    }
    Set<Integer> firstOfMerged = new HashSet<>();
    for (int id : locals.declaredBefore(f)) {
      for (If.Merge m : f.merges()) {
        if (locals.sameVariable(id, m.out())) {
          firstOfMerged.add(id);
        }
      }
    }
    declareBefore(f, firstOfMerged);
    code.beginControlFlow("if ($L)", expression(f.condition().code()));
    block(f.then());
    for (If.Merge m : f.merges()) {
      copy(m.out(), m.fromThen());
    }
    // The else part only where it writes something.
    CodeBlock.Builder outer = code;
    code = CodeBlock.builder();
    lastComment = "";
    block(f.otherwise());
    for (If.Merge m : f.merges()) {
      copy(m.out(), m.fromElse());
    }
    CodeBlock otherwise = code.build();
    code = outer;
    if (!otherwise.isEmpty()) {
      code.nextControlFlow("else").add(otherwise);
    }
    code.endControlFlow();
    lastComment = "";
  }

  private void copy(int to, int from) {
    if (!locals.sameVariable(to, from)) {
      code.addStatement("$L = $L", ref(to), ref(from));
    }
  }

  private void loop(Loop l) {
    comment(l.origin());
    // A carried local is one variable: declared with its value before the loop, or set to it.
    for (Loop.Carry c : l.carried()) {
      if (locals.sameVariable(c.param(), c.init())) {
        continue;
      }
      if (locals.isFirst(c.param()) && locals.declaredBefore(c.param()) == l) {
        code.addStatement("$T $L = $L", typeOf(c.param()), ref(c.param()), ref(c.init()));
      } else {
        code.addStatement("$L = $L", ref(c.param()), ref(c.init()));
      }
    }
    declareBefore(l, Set.of());
    Tape.Level level = tapes == null ? null : tapes.levelOf(l);
    if (mode == Mode.FORWARD && level != null) {
      code.addStatement("$T $L = new $T<>()", ParameterizedTypeName.get(GraphWriter.LIST, tapes.stepRecord(level)),
          tapes.listName(level), ARRAY_LIST);
    }
    if (l.reverse()) {
      code.beginControlFlow("for (int $L = $L; $L >= $L; $L--)", l.var(), l.to().plus(-1).code(), l.var(),
          l.from().code(), l.var());
    } else {
      code.beginControlFlow("for (int $L = $L; $L < $L; $L++)", l.var(), l.from().code(), l.var(),
          l.to().code(), l.var());
    }
    if (mode == Mode.BACKWARD && level != null) {
      String step = tapes.stepLocal(level);
      code.addStatement("$T $L = $L.$L().get($L)", tapes.stepRecord(level), step, holders.peek(),
          tapes.listName(level), index(l));
      holders.push(step);
    }
    block(l.body());
    if (mode == Mode.FORWARD && level != null) {
      code.addStatement("$L.add(new $T($L))", tapes.listName(level), tapes.stepRecord(level), tapes.recordArgs(level));
    }
    if (mode == Mode.BACKWARD && level != null) {
      holders.pop();
    }
    updateCarried(l);
    code.endControlFlow();
    lastComment = "";
  }

  /** The iteration's position in the forward's list: the index counted from the loop's start. */
  private static String index(Loop l) {
    JavaExpr from = l.from();
    if (from.is(0)) {
      return l.var();
    }
    return l.var() + " - " + (from.isConstant() || from.code().matches("[\\w.]+") ? from.code() : "(" + from.code() + ")");
  }

  /** Each carried local takes the value the iteration ended with (through a temporary where one feeds another). */
  private void updateCarried(Loop l) {
    List<Loop.Carry> updates = l.carried().stream().filter(c -> !locals.sameVariable(c.out(), c.result())).toList();
    Set<String> targets = new HashSet<>();
    updates.forEach(c -> targets.add(ref(c.out())));
    List<String> sources = new ArrayList<>();
    for (Loop.Carry c : updates) {
      String source = ref(c.result());
      if (targets.contains(source) && updates.size() > 1) {
        String temp = source + "Next";
        code.addStatement("$T $L = $L", typeOf(c.result()), temp, source);
        source = temp;
      }
      sources.add(source);
    }
    for (int i = 0; i < updates.size(); i++) {
      code.addStatement("$L = $L", ref(updates.get(i).out()), sources.get(i));
    }
  }
}
