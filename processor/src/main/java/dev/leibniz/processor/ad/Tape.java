package dev.leibniz.processor.ad;

import dev.leibniz.processor.ir.Block;
import dev.leibniz.processor.ir.Blocks;
import dev.leibniz.processor.ir.Fn;
import dev.leibniz.processor.ir.If;
import dev.leibniz.processor.ir.Loop;
import dev.leibniz.processor.ir.Node;
import dev.leibniz.processor.ir.Stmt;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The forward values a backward reads (its residuals), by where the forward defines them: at
 * the top level of the function (fields of the forward's record) or inside an iteration of a
 * loop (fields of one record per iteration, as Tangent pushes one record per iteration on one
 * stack). A value defined inside a branch is saved at the level that holds the branch.
 */
public record Tape(Level top, Map<Integer, Level> levelOf) {
  /** One level: {@code loop} is null for the function's top level. */
  public record Level(Loop loop, List<Integer> saved, List<Level> loops) {
    public boolean isEmpty() {
      return saved.isEmpty() && loops.isEmpty();
    }
  }

  public static Tape of(Fn fn, Block backward, List<Integer> seeds) {
    Set<Integer> needed = Blocks.free(backward);
    needed.removeAll(seeds);
    Map<Integer, Level> levelOf = new HashMap<>();
    List<Integer> saved = new ArrayList<>();
    for (Node p : fn.inputs()) {
      if (needed.contains(p.id())) {
        saved.add(p.id());
      }
    }
    for (Node p : fn.weights()) {
      if (needed.contains(p.id())) {
        saved.add(p.id());
      }
    }
    List<Level> loops = new ArrayList<>();
    collect(fn.body(), needed, saved, loops, levelOf);
    Level top = new Level(null, saved, loops);
    saved.forEach(id -> levelOf.put(id, top));
    return new Tape(top, levelOf);
  }

  private static void collect(Block block, Set<Integer> needed, List<Integer> saved, List<Level> loops,
      Map<Integer, Level> levelOf) {
    for (Stmt s : block.stmts()) {
      if (s instanceof Node n && needed.contains(n.id())) {
        saved.add(n.id());
      } else if (s instanceof If f) {
        collect(f.then(), needed, saved, loops, levelOf);
        collect(f.otherwise(), needed, saved, loops, levelOf);
        f.merges().stream().filter(m -> needed.contains(m.out())).forEach(m -> saved.add(m.out()));
      } else if (s instanceof Loop l) {
        List<Integer> inner = new ArrayList<>();
        List<Level> innerLoops = new ArrayList<>();
        collect(l.body(), needed, inner, innerLoops, levelOf);
        Level level = new Level(l, inner, innerLoops);
        if (!level.isEmpty()) {
          loops.add(level);
          inner.forEach(id -> levelOf.put(id, level));
        }
        l.carried().stream().filter(c -> needed.contains(c.out())).forEach(c -> saved.add(c.out()));
      }
    }
  }
}
