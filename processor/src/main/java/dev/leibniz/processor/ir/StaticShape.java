package dev.leibniz.processor.ir;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What the processor knows of a tensor's shape: nothing ({@link #UNKNOWN}), its rank, or some
 * or all of its dimensions ({@code -1} for one known only at run time).
 */
public record StaticShape(List<Long> dims) {
  public static final StaticShape UNKNOWN = new StaticShape(null);
  public static final StaticShape SCALAR = new StaticShape(List.of());

  public StaticShape {
    dims = dims == null ? null : List.copyOf(dims);
  }

  public static StaticShape of(long... dims) {
    List<Long> list = new ArrayList<>();
    for (long d : dims) {
      list.add(d);
    }
    return new StaticShape(list);
  }

  public static StaticShape ofRank(int rank) {
    List<Long> list = new ArrayList<>();
    for (int i = 0; i < rank; i++) {
      list.add(-1L);
    }
    return new StaticShape(list);
  }

  public boolean knownRank() {
    return dims != null;
  }

  public int rank() {
    if (dims == null) {
      throw new IllegalStateException("rank unknown");
    }
    return dims.size();
  }

  public long dim(int i) {
    return dims.get(i < 0 ? dims.size() + i : i);
  }

  public boolean fullyKnown() {
    return dims != null && dims.stream().allMatch(d -> d >= 0);
  }

  /** Two dimensions that may be the same at run time (unknown matches anything). */
  public static boolean compatible(long a, long b) {
    return a < 0 || b < 0 || a == b;
  }

  @Override
  public String toString() {
    if (dims == null) {
      return "<unknown>";
    }
    return dims.stream().map(d -> d < 0 ? "?" : Long.toString(d))
        .collect(Collectors.joining(", ", "[", "]"));
  }
}
