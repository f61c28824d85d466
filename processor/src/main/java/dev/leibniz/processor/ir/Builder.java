package dev.leibniz.processor.ir;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes IR: allocates node ids, infers each node's shape as it is added and appends it to the
 * innermost open block. Every stage that produces IR (parse, ad, simplify) writes through one.
 */
public final class Builder {
  private final Map<Integer, Node> nodes = new HashMap<>();
  private final Deque<List<Stmt>> open = new ArrayDeque<>();
  private int nextId;
  private Origin origin = Origin.NONE;

  public Builder() {
    open.push(new ArrayList<>());
  }

  public Origin origin() {
    return origin;
  }

  /** Stamps the nodes added from now on with {@code origin}; returns the previous one. */
  public Origin at(Origin origin) {
    Origin previous = this.origin;
    this.origin = origin;
    return previous;
  }

  public int node(Op op, List<Integer> args, Attrs attrs, String hint) {
    List<StaticShape> in = new ArrayList<>();
    for (int a : args) {
      in.add(shape(a));
    }
    StaticShape shape = op.shape(in, attrs);
    Node n = new Node(nextId++, op, args, attrs, shape, hint, origin);
    nodes.put(n.id(), n);
    open.peek().add(n);
    return n.id();
  }

  public int node(Op op, Attrs attrs, String hint, int... args) {
    List<Integer> list = new ArrayList<>();
    for (int a : args) {
      list.add(a);
    }
    return node(op, list, attrs, hint);
  }

  /** A fresh id for a value defined by a statement rather than a node (merges, loop outputs). */
  public int reserve(Op op, StaticShape shape, String hint, Attrs attrs) {
    Node n = new Node(nextId++, op, List.of(), attrs, shape, hint, origin);
    nodes.put(n.id(), n);
    return n.id();
  }

  /** Renames a node of an open block (to the local the user stored it in). */
  public void rename(int id, String hint) {
    Node old = get(id);
    Node renamed = new Node(id, old.op(), old.args(), old.attrs(), old.shape(), hint, old.origin());
    nodes.put(id, renamed);
    for (List<Stmt> block : open) {
      int at = block.indexOf(old);
      if (at >= 0) {
        block.set(at, renamed);
        return;
      }
    }
  }

  public void append(Stmt stmt) {
    open.peek().add(stmt);
  }

  /** Whether no block is open but the outermost: code at the top level of the body, not in a region. */
  public boolean atTop() {
    return open.size() == 1;
  }

  /** The statements of the innermost open block so far. */
  public Block current() {
    return new Block(List.copyOf(open.peek()));
  }

  public void openBlock() {
    open.push(new ArrayList<>());
  }

  public Block closeBlock() {
    return new Block(open.pop());
  }

  /** The outermost block; valid once every opened block is closed. */
  public Block finish() {
    if (open.size() != 1) {
      throw new IllegalStateException(open.size() - 1 + " blocks still open");
    }
    return new Block(open.peek());
  }

  public Node get(int id) {
    Node n = nodes.get(id);
    if (n == null) {
      throw new IllegalStateException("no node " + id);
    }
    return n;
  }

  public StaticShape shape(int id) {
    return get(id).shape();
  }

  public String hint(int id) {
    return get(id).hint();
  }
}
