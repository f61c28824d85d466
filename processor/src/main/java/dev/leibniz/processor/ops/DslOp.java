package dev.leibniz.processor.ops;

/** An op function of {@code dev.leibniz.dsl.Ops} and how a call to it lowers to IR. */
public interface DslOp {
  String name();

  /** Writes the IR for one call and returns the id of its value. */
  int lower(CallArgs args);

  static DslOp of(String name, java.util.function.ToIntFunction<CallArgs> lower) {
    return new DslOp() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public int lower(CallArgs args) {
        return lower.applyAsInt(args);
      }
    };
  }
}
