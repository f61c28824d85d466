package dev.leibniz.processor.parse;

import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.EmptyStatementTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.PrimitiveTypeTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import com.sun.source.util.Trees;
import dev.leibniz.dsl.GraphNames;
import dev.leibniz.processor.Message;
import dev.leibniz.processor.Reporter;
import dev.leibniz.processor.ad.Planner;
import dev.leibniz.processor.check.Annotations;
import dev.leibniz.processor.check.ClassInfo;
import dev.leibniz.processor.check.DeclarationCheck;
import dev.leibniz.processor.check.SetInBuild;
import dev.leibniz.processor.ir.Attrs;
import dev.leibniz.processor.ir.Block;
import dev.leibniz.processor.ir.Blocks;
import dev.leibniz.processor.ir.Builder;
import dev.leibniz.processor.ir.Fn;
import dev.leibniz.processor.ir.If;
import dev.leibniz.processor.ir.JavaExpr;
import dev.leibniz.processor.ir.Loop;
import dev.leibniz.processor.ir.Node;
import dev.leibniz.processor.ir.Origin;
import dev.leibniz.processor.ir.OpError;
import dev.leibniz.processor.ir.StaticShape;
import dev.leibniz.processor.ops.CallArgs;
import dev.leibniz.processor.ops.DslOp;
import dev.leibniz.processor.ops.OpRegistry;
import dev.leibniz.processor.ops.Structure;
import dev.leibniz.processor.parse.Scope.Binding;
import dev.leibniz.processor.parse.Scope.NumberVar;
import dev.leibniz.processor.parse.Scope.TensorVar;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.element.ElementKind;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.TypeKind;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * Lowers the body of a {@code @Call} method to IR. Method bodies are not attributed while
 * annotation processors run, so names are resolved here: locals from the {@link Scope}, fields
 * from the class's declarations, op functions from the imports of {@code Ops}. Every problem is
 * reported at its expression and parsing goes on, so one compile shows them all.
 */
public final class BodyParser {
  private final Trees trees;
  private final Elements elements;
  private final Reporter reporter;
  private final ClassInfo info;
  private final String graphSimple;

  private Builder b;
  private CompilationUnitTree unit;
  private String file;
  private Scope scope;
  private final Map<String, Integer> weightIds = new LinkedHashMap<>();
  private final List<Node> weightNodes = new ArrayList<>();
  private final Deque<ExecutableElement> calling = new ArrayDeque<>();
  private final Map<CompilationUnitTree, String[]> sourceLines = new java.util.HashMap<>();
  private int regions;

  public BodyParser(Trees trees, Elements elements, Reporter reporter, ClassInfo info) {
    this.trees = trees;
    this.elements = elements;
    this.reporter = reporter;
    this.info = info;
    this.graphSimple = info.graphName().substring(info.graphName().lastIndexOf('.') + 1);
  }

  /** The node table of the last parsed function, for the stages after parsing. */
  public Builder nodes() {
    return b;
  }

  /** Thrown past the statement whose expression was reported, so parsing resumes after it. */
  private static final class Reported extends RuntimeException {
    Reported() {
      super(null, null, false, false);
    }
  }

  public Fn parse(ExecutableElement method) {
    TreePath path = trees.getPath(method);
    MethodTree tree = (MethodTree) path.getLeaf();
    unit = path.getCompilationUnit();
    file = fileName(unit);
    b = new Builder();
    scope = new Scope();
    weightIds.clear();
    weightNodes.clear();
    calling.clear();
    calling.push(method);

    List<Node> inputs = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < method.getParameters().size(); i++) {
      VariableElement p = method.getParameters().get(i);
      String name = p.getSimpleName().toString();
      b.at(origin(new TreePath(path, tree.getParameters().get(i))));
      int id = b.reserve(Structure.INPUT, declaredShape(p), name, Attrs.of("index", i, "name", name));
      inputs.add(b.get(id));
      names.add(name);
      scope.declare(name, new TensorVar(id));
    }
    returned = null;
    int result = body(new TreePath(path, tree.getBody()), true);
    Fn.Outputs outputs = returnsRecord(method) && returned != null
        ? new Fn.Outputs(returned.type(), List.copyOf(returned.components().keySet()),
            List.copyOf(returned.components().values()))
        : null;
    Block body = b.finish();
    // Weights are read in declaration order, so that a model's weight list is the order its fields are written in.
    List<String> declared = List.copyOf(info.weights().keySet());
    List<Node> weights = weightNodes.stream()
        .sorted(java.util.Comparator.comparingInt(n -> declared.indexOf(n.attrs().string("field")))).toList();
    int order = Annotations.order(method);
    boolean isStatic = method.getModifiers().contains(Modifier.STATIC);
    if (order == 2 && result >= 0 && isStatic && !Blocks.isStraightLine(body)) {
      reporter.error(method, Message.ORDER_NEEDS_STRAIGHT_LINE, method.getSimpleName());
    } else if (order == 2 && result >= 0 && secondOrderBlocker(body) != null) {
      reporter.error(method, Message.ORDER_2_THROUGH, method.getSimpleName(), secondOrderBlocker(body));
    }
    return new Fn(method.getSimpleName().toString(), method.getModifiers().contains(Modifier.STATIC),
        inputs, names, weights, body, result, outputs, origin(new TreePath(path, tree.getBody())), order);
  }

  /**
   * What keeps the backward of a body's backward from being generated (a loop, a call without
   * one of its own), or null: the backward's branches and calls into other graphs are differentiated
   * again, its loops are not.
   */
  private static String secondOrderBlocker(Block body) {
    String[] found = {null};
    if (Blocks.hasLoop(body)) {
      return "a `for` loop";
    }
    Blocks.forEachNode(body, n -> {
      if (found[0] != null) {
        return;
      }
      if (n.op() == Structure.RNN) {
        found[0] = "a recurrent loop (rnn)";
      } else if (Structure.isBackward(n)) {
        found[0] = "an in-body gradient(...) (that would be a third derivative)";
      } else if (n.op() == Structure.CALL && n.attrs().has("outputs")) {
        found[0] = Structure.callee(n) + ", which returns several outputs";
      } else if (n.op() == Structure.CALL && n.attrs().integer("order") < 2) {
        found[0] = Structure.callee(n) + ", which is not @Call(order = 2)";
      }
    });
    return found[0];
  }

  /** The shape an input's {@code @Dims} declares, else unknown. */
  private StaticShape declaredShape(VariableElement p) {
    var dims = Annotations.find(p, Annotations.DIMS);
    if (dims == null) {
      return StaticShape.UNKNOWN;
    }
    for (var e : dims.getElementValues().entrySet()) {
      @SuppressWarnings("unchecked")
      List<? extends AnnotationValue> values = (List<? extends AnnotationValue>) e.getValue().getValue();
      long[] out = new long[values.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = ((Number) values.get(i).getValue()).longValue();
      }
      return StaticShape.of(out);
    }
    return StaticShape.UNKNOWN;
  }

  // ---------------------------------------------------------------- statements

  /** Lowers a method body; returns the id of the value it returns, or -1. */
  private int body(TreePath blockPath, boolean top) {
    BlockTree block = (BlockTree) blockPath.getLeaf();
    int result = -1;
    List<? extends StatementTree> stmts = block.getStatements();
    for (int i = 0; i < stmts.size(); i++) {
      StatementTree s = stmts.get(i);
      TreePath at = new TreePath(blockPath, s);
      if (s instanceof ReturnTree ret && top && i == stmts.size() - 1 && scope.depth() == 1) {
        Origin previous = b.at(origin(at));
        TreePath value = new TreePath(at, ret.getExpression());
        if (returnsRecord(calling.peek())) {
          result = guarded(() -> {
            returned = record(value);
            return returned.components().values().iterator().next();
          });
        } else {
          result = guarded(() -> tensor(value));
        }
        b.at(previous);
      } else {
        statement(at);
      }
    }
    return result;
  }

  private int guarded(java.util.function.IntSupplier lowering) {
    try {
      return lowering.getAsInt();
    } catch (Reported r) {
      return -1;
    }
  }

  private void statement(TreePath at) {
    Origin previous = b.at(origin(at));
    try {
      Tree s = at.getLeaf();
      if (s instanceof VariableTree v) {
        local(at, v);
      } else if (s instanceof ExpressionStatementTree e && e.getExpression() instanceof AssignmentTree a) {
        assignment(new TreePath(at, a), a);
      } else if (s instanceof IfTree i) {
        ifStatement(at, i);
      } else if (s instanceof ForLoopTree f) {
        loop(at, f);
      } else if (s instanceof BlockTree) {
        scope.open(false);
        body(at, false);
        scope.close();
      } else if (s instanceof ReturnTree) {
        reporter.error(at, Message.EARLY_RETURN);
      } else if (!(s instanceof EmptyStatementTree)) {
        reporter.error(at, Message.UNSUPPORTED_STATEMENT, describe(s));
      }
    } catch (Reported r) {
      // reported at its expression; the next statement is parsed as usual
    } finally {
      b.at(previous);
    }
  }

  /** "a while statement", "an assert statement", "the expression statement `x.y()`". */
  private static String describe(Tree s) {
    if (s instanceof ExpressionStatementTree e) {
      return "the expression statement `" + e.getExpression() + "`";
    }
    String kind = s.getKind().toString().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
        .replace(" loop", "").replace(" statement", "");
    return ("aeiou".indexOf(kind.charAt(0)) >= 0 ? "an " : "a ") + kind + " statement";
  }

  private void local(TreePath at, VariableTree v) {
    String name = v.getName().toString();
    if (GraphNames.RESERVED.contains(name)) {
      reporter.error(at, Message.RESERVED_NAME, name, "local");
    }
    if (v.getInitializer() == null) {
      reporter.error(at, Message.LOCAL_WITHOUT_VALUE, name, name);
      return;
    }
    TreePath init = new TreePath(at, v.getInitializer());
    // `var k = 2`: javac has not inferred the type yet when the processor runs; the value tells.
    boolean inferred = v.getType() == null || v.getType().toString().equals("var");
    boolean number = v.getType() instanceof PrimitiveTypeTree
        || inferred && !isTensorExpression(init) && !holdsRecord(v, init);
    if (number) {
      scope.declare(name, new NumberVar(number(init)));
      return;
    }
    if (holdsRecord(v, init)) {
      scope.declare(name, record(init));
      return;
    }
    try {
      scope.declare(name, new TensorVar(named(tensor(init), name)));
    } catch (Reported r) {
      scope.declare(name, new TensorVar(poison(name)));
      throw r;
    }
  }

  private void assignment(TreePath at, AssignmentTree a) {
    if (!(a.getVariable() instanceof IdentifierTree target)) {
      reporter.error(at, Message.ASSIGN_TO_FIELD, a.getVariable());
      return;
    }
    String name = target.getName().toString();
    Binding binding = scope.lookup(name);
    if (binding instanceof Scope.RecordVar) {
      reporter.error(at, Message.REASSIGN_RECORD, name);
      return;
    }
    if (!(binding instanceof TensorVar)) {
      if (binding == null) {
        reporter.error(at, Message.ASSIGN_TO_UNKNOWN, name, name);
      } else {
        reporter.error(at, Message.REASSIGN_NUMBER, name);
      }
      return;
    }
    int value = tensor(new TreePath(at, a.getExpression()));
    scope.assign(name, named(value, name));
  }

  /** Names the node after the local it is stored in, for the generated code. */
  private int named(int id, String name) {
    Node n = b.get(id);
    if (n.hint().equals(n.op().name()) && !Structure.isLeaf(n)) {
      b.rename(id, name);
    }
    return id;
  }

  private void ifStatement(TreePath at, IfTree i) {
    TreePath condPath = new TreePath(at, i.getCondition());
    JavaExpr condition = condition(condPath);

    scope.open(true);
    b.openBlock();
    branch(new TreePath(at, i.getThenStatement()));
    Block then = b.closeBlock();
    Map<String, Integer> thenAssigned = scope.close();

    scope.open(true);
    b.openBlock();
    if (i.getElseStatement() != null) {
      branch(new TreePath(at, i.getElseStatement()));
    }
    Block otherwise = b.closeBlock();
    Map<String, Integer> elseAssigned = scope.close();

    Set<String> merged = new LinkedHashSet<>(thenAssigned.keySet());
    merged.addAll(elseAssigned.keySet());
    List<If.Merge> merges = new ArrayList<>();
    for (String name : merged) {
      int current = ((TensorVar) scope.lookup(name)).id();
      int fromThen = thenAssigned.getOrDefault(name, current);
      int fromElse = elseAssigned.getOrDefault(name, current);
      int out = b.reserve(Structure.PHI, merge(b.shape(fromThen), b.shape(fromElse)), name, Attrs.NONE);
      merges.add(new If.Merge(out, fromThen, fromElse));
    }
    b.append(new If(regions++, condition, then, otherwise, merges, b.origin()));
    for (If.Merge m : merges) {
      scope.assign(b.hint(m.out()), m.out());
    }
  }

  private static StaticShape merge(StaticShape a, StaticShape c) {
    return a.equals(c) ? a : a.knownRank() && c.knownRank() && a.rank() == c.rank()
        ? StaticShape.ofRank(a.rank()) : StaticShape.UNKNOWN;
  }

  private void branch(TreePath at) {
    if (at.getLeaf() instanceof BlockTree) {
      body(at, false);
    } else {
      statement(at);
    }
  }

  private void loop(TreePath at, ForLoopTree f) {
    String var = null;
    JavaExpr from = null;
    JavaExpr to = null;
    if (f.getInitializer().size() == 1 && f.getInitializer().get(0) instanceof VariableTree init
        && init.getInitializer() != null && init.getType() instanceof PrimitiveTypeTree t
        && t.getPrimitiveTypeKind() == TypeKind.INT) {
      var = init.getName().toString();
      from = number(new TreePath(new TreePath(at, init), init.getInitializer()));
    }
    if (var != null && f.getCondition() instanceof BinaryTree cond
        && cond.getLeftOperand() instanceof IdentifierTree left && left.getName().contentEquals(var)
        && (cond.getKind() == Tree.Kind.LESS_THAN || cond.getKind() == Tree.Kind.LESS_THAN_EQUAL)
        && isIncrement(f, var)) {
      to = number(new TreePath(new TreePath(at, cond), cond.getRightOperand()));
      if (cond.getKind() == Tree.Kind.LESS_THAN_EQUAL) {
        to = to.plus(1);
      }
    }
    if (to == null) {
      String header = "for (" + f.getInitializer().toString().replaceAll("[\\[\\]]", "") + "; "
          + f.getCondition() + "; " + f.getUpdate().toString().replaceAll("[\\[\\]]", "") + ")";
      reporter.error(at, Message.UNSUPPORTED_LOOP, header);
      return;
    }
    if (GraphNames.RESERVED.contains(var)) {
      reporter.error(at, Message.RESERVED_NAME, var, "loop index");
    }
    // The outer tensor locals the body assigns are carried from one iteration to the next.
    Set<String> assigned = assignedNames(f.getStatement());
    Map<String, Integer> inits = new LinkedHashMap<>();
    for (String name : assigned) {
      if (scope.lookup(name) instanceof TensorVar tv) {
        inits.put(name, tv.id());
      }
    }
    scope.open(true);
    scope.declare(var, new NumberVar(JavaExpr.code(var, true)));
    b.openBlock();
    Map<String, Integer> params = new LinkedHashMap<>();
    for (var e : inits.entrySet()) {
      int param = b.node(Structure.CARRY, List.of(), Attrs.of("shape", b.shape(e.getValue())), e.getKey());
      params.put(e.getKey(), param);
      scope.assign(e.getKey(), param);
    }
    branch(new TreePath(at, f.getStatement()));
    Block body = b.closeBlock();
    Map<String, Integer> results = scope.close();

    List<Loop.Carry> carried = new ArrayList<>();
    for (var e : inits.entrySet()) {
      String name = e.getKey();
      int result = results.getOrDefault(name, params.get(name));
      int out = b.reserve(Structure.PHI, merge(b.shape(e.getValue()), b.shape(result)), name, Attrs.NONE);
      carried.add(new Loop.Carry(e.getValue(), params.get(name), result, out));
    }
    b.append(new Loop(regions++, var, from, to, false, carried, body, b.origin()));
    for (Loop.Carry c : carried) {
      scope.assign(b.hint(c.out()), c.out());
    }
  }

  private static boolean isIncrement(ForLoopTree f, String var) {
    if (f.getUpdate().size() != 1) {
      return false;
    }
    ExpressionTree u = f.getUpdate().get(0).getExpression();
    if (u instanceof UnaryTree un && (un.getKind() == Tree.Kind.POSTFIX_INCREMENT
        || un.getKind() == Tree.Kind.PREFIX_INCREMENT)) {
      return un.getExpression() instanceof IdentifierTree id && id.getName().contentEquals(var);
    }
    return u instanceof CompoundAssignmentTree c && c.getKind() == Tree.Kind.PLUS_ASSIGNMENT
        && c.getVariable() instanceof IdentifierTree id && id.getName().contentEquals(var)
        && c.getExpression() instanceof LiteralTree lit && Integer.valueOf(1).equals(lit.getValue());
  }

  private static Set<String> assignedNames(Tree body) {
    Set<String> names = new LinkedHashSet<>();
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitAssignment(AssignmentTree a, Void unused) {
        if (a.getVariable() instanceof IdentifierTree id) {
          names.add(id.getName().toString());
        }
        return super.visitAssignment(a, unused);
      }
    }.scan(body, null);
    return names;
  }

  // ---------------------------------------------------------------- tensor expressions

  /** The name an expression reads: a local or field {@code x}, or a field {@code this.x}; else null. */
  private static String nameOf(Tree e) {
    return e instanceof IdentifierTree id ? id.getName().toString() : DeclarationCheck.fieldName((ExpressionTree) e);
  }

  /** The local {@code name} is bound to (null for a field: {@code this.x} never names a local). */
  private Binding local(Tree e, String name) {
    return e instanceof IdentifierTree ? scope.lookup(name) : null;
  }

  /** The expression inside any parentheses around it. */
  private static TreePath unparenthesized(TreePath at) {
    while (at.getLeaf() instanceof ParenthesizedTree p) {
      at = new TreePath(at, p.getExpression());
    }
    return at;
  }

  private int tensor(TreePath path) {
    TreePath at = unparenthesized(path);
    Tree e = at.getLeaf();
    if (e instanceof MethodInvocationTree call) {
      return call(at, call);
    }
    String name = nameOf(e);
    if (name != null) {
      Binding binding = local(e, name);
      if (binding instanceof TensorVar tv) {
        return tv.id();
      }
      if (binding instanceof NumberVar) {
        throw report(at, Message.NUMBER_FOR_TENSOR, name, name);
      }
      if (binding instanceof Scope.RecordVar rec) {
        throw report(at, Message.RECORD_FOR_TENSOR, name, simpleName(rec.type()),
            name + "." + rec.components().keySet().iterator().next() + "()");
      }
      VariableElement field = info.fields().get(name);
      if (field != null && info.weights().containsKey(name)) {
        return weight(at, name);
      }
      if (field != null) {
        throw report(at, Message.FIELD_FOR_TENSOR, name, field.asType());
      }
    }
    boolean numeric = e instanceof LiteralTree lit ? lit.getValue() instanceof Number
        : (e instanceof BinaryTree || e instanceof UnaryTree) && !mentionsTensor(e);
    if (numeric) {
      throw report(at, Message.NUMBER_FOR_TENSOR, e, e);
    }
    if (e instanceof BinaryTree bin) {
      throw report(at, Message.JAVA_OPERATOR, operator(bin.getKind()));
    }
    throw report(at, Message.NOT_A_TENSOR_EXPRESSION, e);
  }

  private int weight(TreePath at, String name) {
    Integer id = weightIds.get(name);
    if (id != null) {
      return id;
    }
    ClassInfo.WeightInfo w = info.weights().get(name);
    if (!w.built()) {
      reporter.error(at, Message.WEIGHT_NOT_BUILT, name, name, name);
    }
    Origin previous = b.at(origin(at));
    int created = b.reserve(Structure.WEIGHT, w.shape(), name, Attrs.of("field", name, "shape", w.shape()));
    b.at(previous);
    weightIds.put(name, created);
    weightNodes.add(b.get(created));
    return created;
  }

  private int call(TreePath at, MethodInvocationTree call) {
    ExpressionTree select = call.getMethodSelect();
    String name;
    ExpressionTree receiver = null;
    if (select instanceof IdentifierTree id) {
      name = id.getName().toString();
    } else if (select instanceof MemberSelectTree ms) {
      name = ms.getIdentifier().toString();
      receiver = ms.getExpression();
    } else {
      throw new IllegalStateException("a method select is a name or a member select, got " + select);
    }
    if (name.equals("addWeight")) {
      throw report(at, Message.WEIGHT_IN_CALL);
    }
    if (receiver instanceof IdentifierTree r && scope.lookup(r.getName().toString()) instanceof Scope.RecordVar rec) {
      Integer component = call.getArguments().isEmpty() ? rec.components().get(name) : null;
      if (component == null) {
        throw report(at, Message.NO_SUCH_COMPONENT, simpleName(rec.type()), name, rec.components().keySet());
      }
      return component;
    }
    Origin previous = b.at(origin(at));
    try {
      if (name.equals("rnn") && (receiver == null ? imported(name) : isOpsClass(receiver))) {
        return rnn(at, call);
      }
      if (name.equals("gradient") && (receiver == null ? imported(name) : isOpsClass(receiver))) {
        return gradient(at, call);
      }
      if (isRnnStates(call)) {
        throw report(at, Message.RECORD_FOR_TENSOR, call, "WithState(s)", "var s = " + call + "; then s.output()");
      }
      boolean onThis = receiver == null || (receiver instanceof IdentifierTree r && r.getName().contentEquals("this"));
      if (onThis) {
        ExecutableElement own = ownCall(name, call.getArguments().size());
        if (own != null && returnsRecord(own)) {
          throw recordForTensor(at, call, own);
        }
        if (own != null) {
          return inline(at, call, own);
        }
        ExecutableElement plain = ownMethod(name);
        if (plain != null) {
          throw report(at, Message.PLAIN_METHOD, name);
        }
        if (receiver == null && importsOp(name)) {
          return op(at, call, OpRegistry.dsl(name));
        }
      } else if (isOpsClass(receiver) && OpRegistry.dsl(name) != null) {
        return op(at, call, OpRegistry.dsl(name));
      } else if (receiver instanceof NewClassTree created) {
        throw report(at, Message.NEW_LAYER_IN_CALL, created, created.getIdentifier());
      } else {
        int result = foreignCall(at, call, receiver, name);
        if (result >= 0) {
          return result;
        }
      }
      String near = nearestOp(name);
      throw near == null ? report(at, Message.UNKNOWN_OP, name) : report(at, Message.UNKNOWN_OP_DID_YOU_MEAN, name, near);
    } finally {
      b.at(previous);
    }
  }

  /** The registered op nearest to a misspelt name, or null if none is near. */
  private static String nearestOp(String name) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String known : OpRegistry.dslNames()) {
      int d = distance(name.toLowerCase(java.util.Locale.ROOT), known.toLowerCase(java.util.Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = known;
      }
    }
    return bestDistance <= Math.max(2, name.length() / 3) ? best : null;
  }

  private static int distance(String a, String c) {
    int[] prev = new int[c.length() + 1];
    int[] cur = new int[c.length() + 1];
    for (int j = 0; j <= c.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= c.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == c.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[c.length()];
  }

  private int op(TreePath at, MethodInvocationTree call, DslOp op) {
    Args args = new Args(at, call);
    try {
      return op.lower(args);
    } catch (OpError e) {
      throw report(at, e.message(), e.args());
    }
  }

  /** A same-class {@code @Call} is inlined: its body lowered with the arguments bound. */
  private int inline(TreePath at, MethodInvocationTree call, ExecutableElement callee) {
    if (calling.contains(callee)) {
      throw report(at, Message.RECURSION, callee.getSimpleName());
    }
    List<Integer> args = new ArrayList<>();
    for (ExpressionTree a : call.getArguments()) {
      args.add(tensor(new TreePath(at, a)));
    }
    TreePath path = trees.getPath(callee);
    MethodTree tree = (MethodTree) path.getLeaf();
    Scope outer = scope;
    scope = new Scope();
    for (int i = 0; i < args.size(); i++) {
      scope.declare(callee.getParameters().get(i).getSimpleName().toString(), new TensorVar(args.get(i)));
    }
    calling.push(callee);
    try {
      int result = body(new TreePath(path, tree.getBody()), true);
      if (result < 0) {
        throw new Reported();
      }
      return result;
    } finally {
      calling.pop();
      scope = outer;
    }
  }

  /**
   * {@code rnn(this::step, x, [mask,] returnSequences, sizes... | initial states...)}: the loop op
   * running this layer's own {@code @Call} step (its generated forward and backward) over the steps
   * of {@code x}; its output.
   */
  private int rnn(TreePath at, MethodInvocationTree call) {
    int loop = rnnLoop(at, call);
    return b.node(Structure.OUTPUT, withArgs(loop), Attrs.NONE, b.get(loop).attrs().string("method") + "s");
  }

  /** {@code gradient(y, x)}: the gradient of the sum of y with respect to x, written where it is asked for. */
  private int gradient(TreePath at, MethodInvocationTree call) {
    if (call.getArguments().size() != 2) {
      throw report(at, Message.UNKNOWN_OP, "gradient with " + call.getArguments().size() + " arguments");
    }
    int y = tensor(new TreePath(at, call.getArguments().get(0)));
    int x = tensor(new TreePath(at, call.getArguments().get(1)));
    if (!b.atTop()) {
      throw report(at, Message.GRADIENT_NOT_AT_TOP);
    }
    Block before = b.current();
    if (!Blocks.dependents(before, x).contains(y)) {
      throw report(at, Message.GRADIENT_UNRELATED, call.getArguments().get(0), call.getArguments().get(1));
    }
    try {
      return Planner.gradient(b, before, y, x);
    } catch (OpError e) {
      throw report(at, e.message(), e.args());
    }
  }

  /** {@code rnnStates(...)}: the loop's output and final states, as the record {@code Ops.WithState(s)}. */
  private Scope.RecordVar rnnStates(TreePath at, MethodInvocationTree call) {
    int loop = rnnLoop(at, call);
    boolean two = b.get(loop).attrs().strings("outputs").size() == 2;
    List<String> names = two ? List.of("output", "h", "c") : List.of("output", "h");
    return components(loop, Annotations.OPS + (two ? ".WithStates" : ".WithState"), names, "", true);
  }

  /** The record node's arguments behind it: what an output of it takes (its gradient goes to them). */
  private List<Integer> withArgs(int record) {
    List<Integer> args = new ArrayList<>();
    args.add(record);
    args.addAll(b.get(record).args());
    return args;
  }

  /**
   * One output node per component of {@code record} (a call's forward record, or a loop's, whose
   * outputs are read by position where {@code indexed}): the record variable of type {@code type}.
   */
  private Scope.RecordVar components(int record, String type, List<String> names, String hint, boolean indexed) {
    java.util.LinkedHashMap<String, Integer> components = new java.util.LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      Attrs attrs = Attrs.of("component", names.get(i), "index", i);
      components.put(names.get(i), b.node(Structure.OUTPUT, withArgs(record), indexed ? attrs.with("indexed", true)
          : attrs, hint.isEmpty() ? names.get(i) : hint + GraphNames.capitalize(names.get(i))));
    }
    return new Scope.RecordVar(type, components);
  }

  /** Whether {@code call} is the DSL's {@code rnnStates}. */
  private boolean isRnnStates(MethodInvocationTree call) {
    ExpressionTree select = call.getMethodSelect();
    if (select instanceof IdentifierTree id) {
      return id.getName().contentEquals("rnnStates") && imported("rnnStates");
    }
    return select instanceof MemberSelectTree ms && ms.getIdentifier().contentEquals("rnnStates")
        && isOpsClass(ms.getExpression());
  }

  /** The loop node of an {@code rnn} or {@code rnnStates} call: its arguments x, [mask,] [initial states]. */
  private int rnnLoop(TreePath at, MethodInvocationTree call) {
    List<? extends ExpressionTree> args = call.getArguments();
    boolean masked = args.size() > 3 && isTensorExpression(new TreePath(at, args.get(2)));
    int first = masked ? 4 : 3; // the first state size or initial state
    int states = args.size() - first;
    if (states < 1 || !(args.get(0) instanceof MemberReferenceTree ref)
        || !ref.getQualifierExpression().toString().equals("this")) {
      throw report(at, Message.RNN_STEP, call);
    }
    String stepName = ref.getName().toString();
    ExecutableElement step = ownCall(stepName, 1 + states);
    if (step == null || step.getModifiers().contains(Modifier.STATIC)) {
      throw report(new TreePath(at, ref), Message.RNN_STEP, call);
    }
    List<String> outputs = Annotations.tensorRecord(step.getReturnType());
    if (outputs == null) {
      outputs = List.of(step.getParameters().get(1).getSimpleName().toString());
    }
    if (outputs.size() != states) {
      throw report(new TreePath(at, ref), Message.RNN_STATES, stepName, states, outputs.size());
    }
    List<Integer> inputs = new ArrayList<>();
    inputs.add(tensor(new TreePath(at, args.get(1))));
    if (masked) {
      inputs.add(tensor(new TreePath(at, args.get(2))));
    }
    JavaExpr sequences = condition(new TreePath(at, args.get(first - 1)));
    boolean initial = isTensorExpression(new TreePath(at, args.get(first)));
    List<String> sizes = new ArrayList<>();
    for (int i = first; i < args.size(); i++) {
      if (initial) {
        inputs.add(tensor(new TreePath(at, args.get(i))));
      } else {
        sizes.add(integral(new TreePath(at, args.get(i))).code());
      }
    }
    List<String> params = new ArrayList<>();
    step.getParameters().forEach(p -> params.add(p.getSimpleName().toString()));
    Attrs attrs = Attrs.of("graph", info.graphName(), "method", stepName, "inputs", List.copyOf(params),
        "outputs", List.copyOf(outputs), "sequences", sequences.code(), "sizes", List.copyOf(sizes),
        "masked", masked, "initial", initial ? states : 0);
    return b.node(Structure.RNN, inputs, attrs, stepName + "Loop");
  }

  /** {@code sublayer.call(x)} on a layer field, or {@code Other.fn(x)} on a class's static @Call: its output. */
  private int foreignCall(TreePath at, MethodInvocationTree call, ExpressionTree receiver, String name) {
    Foreign f = foreign(at, call, receiver, name);
    if (f == null) {
      return -1;
    }
    if (returnsRecord(f.callee())) {
      throw recordForTensor(at, call, f.callee());
    }
    int record = lowerCall(at, call, f, null);
    return b.node(Structure.OUTPUT, withArgs(record), Attrs.NONE, f.hint());
  }

  /** A call into another graph: the class it targets, the method, the layer object's code (null: static). */
  private record Foreign(TypeElement target, ExecutableElement callee, String targetCode, String hint) {}

  /** The call's record node: the other graph's forward, on the arguments lowered as tensors. */
  private int lowerCall(TreePath at, MethodInvocationTree call, Foreign f, List<String> outputs) {
    List<Integer> args = new ArrayList<>();
    List<String> inputNames = new ArrayList<>();
    for (int i = 0; i < call.getArguments().size(); i++) {
      args.add(tensor(new TreePath(at, call.getArguments().get(i))));
      inputNames.add(f.callee().getParameters().get(i).getSimpleName().toString());
    }
    Attrs attrs = Attrs.of("graph", Annotations.graphName(f.target()), "method", f.callee().getSimpleName().toString(),
        "inputs", List.copyOf(inputNames), "order", Annotations.order(f.callee()));
    if (f.targetCode() != null) {
      attrs = attrs.with("target", f.targetCode());
    }
    if (outputs != null) {
      attrs = attrs.with("outputs", List.copyOf(outputs));
    }
    return b.node(Structure.CALL, args, attrs, f.hint() + "Call");
  }

  /** The called method in another class, or null where the receiver is not a sublayer field or a class. */
  private Foreign foreign(TreePath at, MethodInvocationTree call, ExpressionTree receiver, String name) {
    String fieldName = DeclarationCheck.fieldName(receiver);
    TypeElement target = null;
    String targetCode = null;
    if (fieldName != null && scope.lookup(fieldName) == null && info.fields().containsKey(fieldName)) {
      VariableElement field = info.fields().get(fieldName);
      if (field.asType() instanceof DeclaredType d && Annotations.isLayerType(d.asElement())) {
        if (DeclarationCheck.isPrivate(field)) {
          reporter.error(at, Message.INACCESSIBLE, "sublayer field", fieldName, graphSimple);
        }
        target = (TypeElement) d.asElement();
        targetCode = "layer." + fieldName;
      }
    } else if (receiver instanceof IdentifierTree || receiver instanceof MemberSelectTree) {
      target = resolveType(receiver.toString());
    }
    if (target == null) {
      return null;
    }
    ExecutableElement callee = null;
    for (ExecutableElement m : ElementFilter.methodsIn(target.getEnclosedElements())) {
      if (m.getSimpleName().contentEquals(name) && Annotations.has(m, Annotations.CALL)
          && m.getParameters().size() == call.getArguments().size()
          && (targetCode != null) != m.getModifiers().contains(Modifier.STATIC)) {
        callee = m;
      }
    }
    if (callee == null) {
      throw report(at, Message.NO_SUCH_CALL, receiver + "." + name, target.getSimpleName(),
          targetCode == null ? "static " : "", name, call.getArguments().size());
    }
    return new Foreign(target, callee, targetCode, fieldName != null ? fieldName : name);
  }

  // ---------------------------------------------------------------- records of several outputs

  /** The record the last lowered record-returning body returned (read by {@link #parse} and inlining). */
  private Scope.RecordVar returned;

  private static boolean returnsRecord(ExecutableElement method) {
    return method != null && Annotations.tensorRecord(method.getReturnType()) != null;
  }

  private static String simpleName(String qualified) {
    return qualified.substring(qualified.lastIndexOf('.') + 1);
  }

  private Reported recordForTensor(TreePath at, MethodInvocationTree call, ExecutableElement callee) {
    String type = simpleName(callee.getReturnType().toString());
    List<String> names = Annotations.tensorRecord(callee.getReturnType());
    return report(at, Message.RECORD_FOR_TENSOR, call, type,
        type + " r = " + call + "; then r." + names.get(0) + "()");
  }

  /** Whether a local holds a record: its declared type is not Tensor, or its value is a record. */
  private boolean holdsRecord(VariableTree v, TreePath init) {
    String declared = v.getType() == null ? "var" : v.getType().toString();
    if (!declared.equals("var")) {
      return !declared.equals("Tensor") && !declared.equals(Annotations.TENSOR);
    }
    Tree e = unparenthesized(init).getLeaf();
    if (e instanceof NewClassTree) {
      return true;
    }
    if (e instanceof IdentifierTree id) {
      return scope.lookup(id.getName().toString()) instanceof Scope.RecordVar;
    }
    return e instanceof MethodInvocationTree call
        && (isRnnStates(call) || returnsRecord(calleeOf(new TreePath(init, call), call)));
  }

  /** The {@code @Call} method a call names (own or another class's), or null. */
  private ExecutableElement calleeOf(TreePath at, MethodInvocationTree call) {
    ExpressionTree select = call.getMethodSelect();
    if (select instanceof IdentifierTree id) {
      return ownCall(id.getName().toString(), call.getArguments().size());
    }
    if (select instanceof MemberSelectTree ms) {
      if (ms.getExpression() instanceof IdentifierTree r && r.getName().contentEquals("this")) {
        return ownCall(ms.getIdentifier().toString(), call.getArguments().size());
      }
      try {
        Foreign f = foreign(at, call, ms.getExpression(), ms.getIdentifier().toString());
        return f == null ? null : f.callee();
      } catch (Reported r) {
        return null;
      }
    }
    return null;
  }

  /** A record of tensors: {@code new R(a, b)}, a record local, or a call that returns one. */
  private Scope.RecordVar record(TreePath path) {
    TreePath at = unparenthesized(path);
    Tree e = at.getLeaf();
    String expected = returnsRecord(calling.peek()) ? calling.peek().getReturnType().toString() : "a record";
    if (e instanceof IdentifierTree id && scope.lookup(id.getName().toString()) instanceof Scope.RecordVar r) {
      return r;
    }
    if (e instanceof NewClassTree n) {
      TypeElement type = recordType(n.getIdentifier().toString());
      List<String> names = type == null ? null : Annotations.tensorRecord(type.asType());
      if (names == null || names.size() != n.getArguments().size()) {
        throw report(at, Message.TENSOR_FOR_RECORD, e, "record of tensors", simpleName(expected));
      }
      java.util.LinkedHashMap<String, Integer> components = new java.util.LinkedHashMap<>();
      for (int i = 0; i < names.size(); i++) {
        components.put(names.get(i), tensor(new TreePath(at, n.getArguments().get(i))));
      }
      return new Scope.RecordVar(type.getQualifiedName().toString(), components);
    }
    if (e instanceof MethodInvocationTree call) {
      Origin previous = b.at(origin(at));
      try {
        Scope.RecordVar r = recordCall(at, call);
        if (r != null) {
          return r;
        }
      } finally {
        b.at(previous);
      }
    }
    throw report(at, Message.TENSOR_FOR_RECORD, e, "record of tensors", simpleName(expected));
  }

  /** A call of a record-returning @Call: an own method inlined, or another graph's with one output per component. */
  private Scope.RecordVar recordCall(TreePath at, MethodInvocationTree call) {
    if (isRnnStates(call)) {
      return rnnStates(at, call);
    }
    ExecutableElement callee = calleeOf(at, call);
    if (!returnsRecord(callee)) {
      return null;
    }
    List<String> names = Annotations.tensorRecord(callee.getReturnType());
    String type = ((javax.lang.model.type.DeclaredType) callee.getReturnType()).asElement().toString();
    if (info.calls().contains(callee)) {
      inline(at, call, callee);
      return returned;
    }
    ExpressionTree receiver = ((MemberSelectTree) call.getMethodSelect()).getExpression();
    Foreign f = foreign(at, call, receiver, callee.getSimpleName().toString());
    return components(lowerCall(at, call, f, names), type, names, f.hint(), false);
  }

  /** The record type a {@code new} names: the current method's result type, or one resolved by name. */
  private TypeElement recordType(String name) {
    ExecutableElement method = calling.peek();
    if (returnsRecord(method)) {
      TypeElement result = (TypeElement) ((javax.lang.model.type.DeclaredType) method.getReturnType()).asElement();
      if (result.getSimpleName().contentEquals(name) || result.getQualifiedName().contentEquals(name)) {
        return result;
      }
    }
    return resolveType(name);
  }

  private TypeElement resolveType(String name) {
    if (name.contains(".")) {
      return elements.getTypeElement(name);
    }
    for (ImportTree imp : unit.getImports()) {
      String q = imp.getQualifiedIdentifier().toString();
      if (!imp.isStatic() && q.endsWith("." + name)) {
        return elements.getTypeElement(q);
      }
    }
    for (ImportTree imp : unit.getImports()) {
      String q = imp.getQualifiedIdentifier().toString();
      if (!imp.isStatic() && q.endsWith(".*")) {
        TypeElement onDemand = elements.getTypeElement(q.substring(0, q.length() - 1) + name);
        if (onDemand != null) {
          return onDemand;
        }
      }
    }
    String pkg = unit.getPackageName() == null ? "" : unit.getPackageName() + ".";
    TypeElement same = elements.getTypeElement(pkg + name);
    return same != null ? same : elements.getTypeElement(info.type().getQualifiedName() + "." + name);
  }

  private ExecutableElement ownCall(String name, int arity) {
    for (ExecutableElement m : info.calls()) {
      if (m.getSimpleName().contentEquals(name) && m.getParameters().size() == arity) {
        return m;
      }
    }
    return null;
  }

  private ExecutableElement ownMethod(String name) {
    for (ExecutableElement m : ElementFilter.methodsIn(info.type().getEnclosedElements())) {
      if (m.getSimpleName().contentEquals(name)) {
        return m;
      }
    }
    return null;
  }

  private boolean importsOp(String name) {
    return OpRegistry.dsl(name) != null && imported(name);
  }

  /** Whether the source imports {@code name} from the DSL's ops statically. */
  private boolean imported(String name) {
    for (ImportTree imp : unit.getImports()) {
      String q = imp.getQualifiedIdentifier().toString();
      if (imp.isStatic() && (q.equals(Annotations.OPS + ".*") || q.equals(Annotations.OPS + "." + name))) {
        return true;
      }
    }
    return false;
  }

  private static boolean isOpsClass(ExpressionTree receiver) {
    String r = receiver.toString();
    return r.equals("Ops") || r.equals(Annotations.OPS);
  }

  /** The arguments of one op call, lowered as the op asks. */
  private final class Args implements CallArgs {
    private final TreePath at;
    private final List<? extends ExpressionTree> args;

    Args(TreePath at, MethodInvocationTree call) {
      this.at = at;
      this.args = call.getArguments();
    }

    private TreePath path(int i) {
      return new TreePath(at, args.get(i));
    }

    @Override
    public int count() {
      return args.size();
    }

    @Override
    public boolean isTensor(int i) {
      return isTensorExpression(path(i));
    }

    @Override
    public int tensor(int i) {
      return BodyParser.this.tensor(path(i));
    }

    @Override
    public JavaExpr number(int i) {
      return BodyParser.this.number(path(i));
    }

    @Override
    public boolean bool(int i) {
      if (args.get(i) instanceof LiteralTree lit && lit.getValue() instanceof Boolean v) {
        return v;
      }
      throw report(path(i), Message.NOT_A_BOOLEAN, args.get(i));
    }

    @Override
    public List<JavaExpr> ints(int from, int to) {
      List<JavaExpr> out = new ArrayList<>();
      if (from < args.size() && args.get(from) instanceof NewArrayTree array) {
        for (ExpressionTree e : array.getInitializers() == null ? List.<ExpressionTree>of() : array.getInitializers()) {
          out.add(integral(new TreePath(path(from), e)));
        }
        return out;
      }
      for (int i = from; i < to; i++) {
        out.add(integral(path(i)));
      }
      return out;
    }

    @Override
    public String text(int from) {
      return args.subList(from, args.size()).stream().map(Object::toString)
          .collect(java.util.stream.Collectors.joining(", "));
    }

    @Override
    public Builder builder() {
      return b;
    }
  }

  private JavaExpr integral(TreePath at) {
    JavaExpr e = number(at);
    if (!e.integral()) {
      throw report(at, Message.NOT_AN_INTEGER, at.getLeaf());
    }
    return e;
  }

  private boolean isTensorExpression(TreePath path) {
    Tree e = unparenthesized(path).getLeaf();
    if (e instanceof MethodInvocationTree call) {
      return !call.getMethodSelect().toString().startsWith("Math.");
    }
    String name = nameOf(e);
    if (name == null) {
      return false;
    }
    Binding binding = local(e, name);
    return binding instanceof TensorVar || (binding == null && info.weights().containsKey(name));
  }

  // ---------------------------------------------------------------- Java numbers and conditions

  private JavaExpr condition(TreePath path) {
    TreePath at = unparenthesized(path);
    Tree e = at.getLeaf();
    if (mentionsTensor(e)) {
      throw report(at, Message.TENSOR_CONDITION, e);
    }
    return number(at);
  }

  /** Whether any name in the expression is a tensor local, input or weight. */
  private boolean mentionsTensor(Tree e) {
    boolean[] found = {false};
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(IdentifierTree id, Void unused) {
        String name = id.getName().toString();
        Binding binding = scope.lookup(name);
        found[0] |= binding instanceof TensorVar || (binding == null && info.weights().containsKey(name));
        return null;
      }

      @Override
      public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
        found[0] |= !call.getMethodSelect().toString().startsWith("Math.") && !isEquals(call);
        return super.visitMethodInvocation(call, unused);
      }
    }.scan(e, null);
    return found[0];
  }

  /** A Java number (or boolean) known while the graph is built, as code for the generated class. */
  private JavaExpr number(TreePath at) {
    Tree e = at.getLeaf();
    if (e instanceof LiteralTree lit) {
      Object v = lit.getValue();
      if (v instanceof Number n) {
        boolean integral = v instanceof Integer || v instanceof Long;
        return new JavaExpr(integral ? Long.toString(n.longValue()) : Double.toString(n.doubleValue()),
            OptionalDouble.of(n.doubleValue()), integral);
      }
      if (v instanceof Boolean bool) {
        return JavaExpr.code(bool.toString(), false);
      }
      if (v instanceof String str) {
        return JavaExpr.code("\"" + str.replace("\\", "\\\\").replace("\"", "\\\"") + "\"", false);
      }
    }
    if (e instanceof MethodInvocationTree call && isEquals(call)) {
      // `kind.equals("relu")` on a final String (or other configuration) field
      JavaExpr receiver = number(new TreePath(at, ((MemberSelectTree) call.getMethodSelect()).getExpression()));
      JavaExpr argument = number(new TreePath(at, call.getArguments().get(0)));
      return JavaExpr.code(receiver.code() + ".equals(" + argument.code() + ")", false);
    }
    if (e instanceof ParenthesizedTree p) {
      JavaExpr inner = number(new TreePath(at, p.getExpression()));
      return inner.isConstant() ? inner : new JavaExpr("(" + inner.code() + ")", inner.value(), inner.integral());
    }
    if (e instanceof TypeCastTree cast && cast.getType() instanceof PrimitiveTypeTree type) {
      JavaExpr inner = number(new TreePath(at, cast.getExpression()));
      boolean integral = type.getPrimitiveTypeKind() == TypeKind.INT || type.getPrimitiveTypeKind() == TypeKind.LONG;
      return new JavaExpr("(" + type + ") " + inner.code(), inner.value(), integral);
    }
    if (e instanceof UnaryTree u && (u.getKind() == Tree.Kind.UNARY_MINUS || u.getKind() == Tree.Kind.LOGICAL_COMPLEMENT)) {
      JavaExpr inner = number(new TreePath(at, u.getExpression()));
      if (u.getKind() == Tree.Kind.UNARY_MINUS) {
        return inner.isConstant() ? JavaExpr.of(-inner.value().getAsDouble())
            : new JavaExpr("-" + inner.code(), OptionalDouble.empty(), inner.integral());
      }
      return JavaExpr.code("!" + inner.code(), false);
    }
    if (e instanceof BinaryTree bin) {
      JavaExpr l = number(new TreePath(at, bin.getLeftOperand()));
      JavaExpr r = number(new TreePath(at, bin.getRightOperand()));
      String op = operator(bin.getKind());
      boolean arithmetic = "+-*/%".contains(op);
      OptionalDouble folded = OptionalDouble.empty();
      if (arithmetic && l.isConstant() && r.isConstant() && !(op.equals("/") && l.integral() && r.integral())) {
        double x = l.value().getAsDouble();
        double y = r.value().getAsDouble();
        folded = OptionalDouble.of(switch (op) {
          case "+" -> x + y;
          case "-" -> x - y;
          case "*" -> x * y;
          case "/" -> x / y;
          default -> x % y;
        });
      }
      if (folded.isPresent()) {
        return new JavaExpr(l.integral() && r.integral() ? Long.toString((long) folded.getAsDouble())
            : Double.toString(folded.getAsDouble()), folded, l.integral() && r.integral());
      }
      return new JavaExpr(l.code() + " " + op + " " + r.code(), OptionalDouble.empty(),
          arithmetic && l.integral() && r.integral());
    }
    String name = nameOf(e);
    if (name != null) {
      Binding binding = local(e, name);
      if (binding instanceof NumberVar nv) {
        return nv.expr();
      }
      if (binding instanceof TensorVar) {
        throw report(at, Message.NOT_A_NUMBER, e);
      }
      VariableElement field = info.fields().get(name);
      if (field != null && !info.weights().containsKey(name) && (field.asType().getKind().isPrimitive()
          || field.asType().toString().startsWith("java.lang.") || isEnum(field.asType()))) {
        return configField(at, field);
      }
      if (field != null && info.weights().containsKey(name)) {
        throw report(at, Message.NOT_A_NUMBER, e);
      }
    }
    if (e instanceof MemberSelectTree select) {
      TypeElement type = resolveType(select.getExpression().toString());
      if (type != null && type.getKind() == ElementKind.ENUM && hasConstant(type, select.getIdentifier().toString())) {
        return JavaExpr.code("$T{" + type.getQualifiedName() + "}." + select.getIdentifier(), false);
      }
    }
    if (isTensorExpression(at)) {
      throw report(at, Message.NOT_A_NUMBER, e);
    }
    throw report(at, Message.UNSUPPORTED_NUMBER, e);
  }

  /** {@code a.equals(b)}: a comparison of configuration values, decided while the graph is built. */
  private static boolean isEquals(MethodInvocationTree call) {
    return call.getMethodSelect() instanceof MemberSelectTree select && select.getIdentifier().contentEquals("equals")
        && call.getArguments().size() == 1;
  }

  private static boolean isEnum(TypeMirror type) {
    return type instanceof DeclaredType d && d.asElement().getKind() == ElementKind.ENUM;
  }

  private static boolean hasConstant(TypeElement type, String name) {
    return type.getEnclosedElements().stream()
        .anyMatch(m -> m.getKind() == ElementKind.ENUM_CONSTANT && m.getSimpleName().contentEquals(name));
  }

  private JavaExpr configField(TreePath at, VariableElement field) {
    String name = field.getSimpleName().toString();
    if (!field.getModifiers().contains(Modifier.FINAL) && !SetInBuild.only(trees, info, field)) {
      throw report(at, Message.MUTABLE_CONFIG, name);
    }
    TypeKind kind = field.asType().getKind();
    boolean integral = kind == TypeKind.INT || kind == TypeKind.LONG || kind == TypeKind.SHORT || kind == TypeKind.BYTE;
    Object constant = field.getConstantValue();
    if (constant instanceof Number n) {
      return JavaExpr.of(n.doubleValue());
    }
    if (DeclarationCheck.isPrivate(field)) {
      throw report(at, Message.INACCESSIBLE, "field", name, graphSimple);
    }
    boolean isStatic = field.getModifiers().contains(Modifier.STATIC);
    String owner = isStatic ? nestedName(info.type()) : "layer";
    if (!isStatic && !info.hasInstanceState()) {
      throw report(at, Message.INSTANCE_FIELD_IN_STATIC, name);
    }
    return JavaExpr.code(owner + "." + name, integral);
  }

  private static String nestedName(TypeElement type) {
    String name = type.getSimpleName().toString();
    Element e = type.getEnclosingElement();
    while (e instanceof TypeElement outer) {
      name = outer.getSimpleName() + "." + name;
      e = outer.getEnclosingElement();
    }
    return name;
  }

  private static String operator(Tree.Kind kind) {
    return switch (kind) {
      case PLUS -> "+";
      case MINUS -> "-";
      case MULTIPLY -> "*";
      case DIVIDE -> "/";
      case REMAINDER -> "%";
      case LESS_THAN -> "<";
      case LESS_THAN_EQUAL -> "<=";
      case GREATER_THAN -> ">";
      case GREATER_THAN_EQUAL -> ">=";
      case EQUAL_TO -> "==";
      case NOT_EQUAL_TO -> "!=";
      case CONDITIONAL_AND -> "&&";
      case CONDITIONAL_OR -> "||";
      default -> kind.toString();
    };
  }

  // ---------------------------------------------------------------- helpers

  private Reported report(TreePath at, Message message, Object... args) {
    reporter.error(at, message, args);
    return new Reported();
  }

  private int poison(String name) {
    return b.reserve(Structure.PHI, StaticShape.UNKNOWN, name, Attrs.NONE);
  }

  /** The file and line of {@code at}, with the text of that line as the user wrote it. */
  private Origin origin(TreePath at) {
    CompilationUnitTree unit = at.getCompilationUnit();
    long pos = trees.getSourcePositions().getStartPosition(unit, at.getLeaf());
    long line = pos < 0 ? 0 : unit.getLineMap().getLineNumber(pos);
    String[] lines = sourceLines.computeIfAbsent(unit, BodyParser::lines);
    String text = line >= 1 && line <= lines.length ? lines[(int) line - 1].strip()
        : at.getLeaf().toString().replaceAll("\\s+", " ");
    if (text.length() > 100) {
      text = text.substring(0, 97) + "...";
    }
    return new Origin(fileName(unit), line, text, false);
  }

  private static String[] lines(CompilationUnitTree unit) {
    try {
      return unit.getSourceFile().getCharContent(true).toString().split("\\R", -1);
    } catch (java.io.IOException e) {
      return new String[0];
    }
  }

  private static String fileName(CompilationUnitTree unit) {
    String path = unit.getSourceFile().getName();
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
