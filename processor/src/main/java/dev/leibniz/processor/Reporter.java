package dev.leibniz.processor;

import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import javax.annotation.processing.Messager;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;

/**
 * Collects the problems of one class: every one is reported (not only the first), at the exact
 * expression where it has a tree, else on the element. Stages ask {@link #hasErrors} to stop.
 */
public final class Reporter {
  private final Messager messager;
  private final Trees trees;
  private int errors;

  public Reporter(Messager messager, Trees trees) {
    this.messager = messager;
    this.trees = trees;
  }

  public void error(TreePath at, Message message, Object... args) {
    errors++;
    trees.printMessage(Diagnostic.Kind.ERROR, message.format(args), at.getLeaf(), at.getCompilationUnit());
  }

  public void error(Element at, Message message, Object... args) {
    errors++;
    messager.printMessage(Diagnostic.Kind.ERROR, message.format(args), at);
  }

  public boolean hasErrors() {
    return errors > 0;
  }
}
