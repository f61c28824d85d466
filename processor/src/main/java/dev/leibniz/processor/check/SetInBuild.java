package dev.leibniz.processor.check;

import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.VariableElement;

/**
 * Whether a layer's field that is not final is nonetheless fixed before its graph is built: assigned
 * in its {@code @Build} method (which every generated forward runs first, once) and otherwise only in
 * its constructors. A {@code @Call} may branch on such a field, e.g. on a choice {@code @Build} makes
 * from the input's shape; a field assigned anywhere else could change after the graph is built.
 */
public final class SetInBuild {
  private SetInBuild() {}

  public static boolean only(Trees trees, ClassInfo info, VariableElement field) {
    TreePath type = trees.getPath(info.type());
    if (info.build() == null || type == null) {
      return false;
    }
    boolean[] inBuild = {false};
    boolean[] elsewhere = {false};
    new TreePathScanner<Void, Void>() {
      @Override
      public Void visitAssignment(AssignmentTree t, Void unused) {
        assigned(t.getVariable());
        return super.visitAssignment(t, unused);
      }

      @Override
      public Void visitCompoundAssignment(CompoundAssignmentTree t, Void unused) {
        assigned(t.getVariable());
        return super.visitCompoundAssignment(t, unused);
      }

      @Override
      public Void visitUnary(UnaryTree t, Void unused) {
        switch (t.getKind()) {
          case PREFIX_INCREMENT, PREFIX_DECREMENT, POSTFIX_INCREMENT, POSTFIX_DECREMENT -> assigned(t.getExpression());
          default -> { }
        }
        return super.visitUnary(t, unused);
      }

      private void assigned(ExpressionTree target) {
        if (!field.equals(trees.getElement(new TreePath(getCurrentPath(), target)))) {
          return;
        }
        Element method = null;
        for (TreePath p = getCurrentPath(); p != null; p = p.getParentPath()) {
          Tree leaf = p.getLeaf();
          if (leaf.getKind() == Tree.Kind.LAMBDA_EXPRESSION || leaf instanceof ClassTree && leaf != type.getLeaf()) {
            break; // in a lambda or a nested class: it may run at any time
          }
          if (leaf.getKind() == Tree.Kind.METHOD) {
            method = trees.getElement(p);
            break;
          }
        }
        if (method != null && (method.equals(info.build()) || method.getKind() == ElementKind.CONSTRUCTOR)) {
          inBuild[0] |= method.equals(info.build());
        } else {
          elsewhere[0] = true;
        }
      }
    }.scan(type, null);
    return inBuild[0] && !elsewhere[0];
  }
}
