package dev.leibniz.processor.ops;

import static dev.leibniz.processor.ops.Rule.op;

import dev.leibniz.processor.Message;
import dev.leibniz.processor.ir.Attrs;
import dev.leibniz.processor.ir.Node;
import dev.leibniz.processor.ir.Op;
import dev.leibniz.processor.ir.OpError;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What differs between training and inference: the training flag (1 in fit's training steps,
 * else 0), dropout (sugar: {@code x * dropoutMask(x)}, so its gradient is mul's), and
 * movingAverage, which passes its value through and registers the update of a moving
 * statistic that training steps run. The mask and the flag get no gradient.
 */
final class Modes {
  private Modes() {}

  // Every dropout draws its own mask: a distinct attribute keeps two alike from being merged as one.
  private static final AtomicLong MASKS = new AtomicLong();

  static final Rule TRAINING = op("training", 0, Rule::scalar, "tf.nn().training()", (ir, n, g) -> new int[0]);

  static final Rule DROPOUT_MASK = op("dropoutMask", 1, Rule::sameAsFirst,
      (args, attrs) -> "tf.nn().dropoutMask(" + args.get(0) + ", " + attrs.expr("rate").floatCode() + ")",
      (ir, n, g) -> new int[] {Op.ZERO});

  /** movingAverage(weight, value): attributes "field" (the weight) and "momentum". */
  static final Rule MOVING_AVERAGE = op("movingAverage", 2, Rule::sameAsSecond,
      (args, attrs) -> "tf.nn().movingAverage(layer." + attrs.string("field") + ", " + args.get(1) + ", "
          + attrs.expr("momentum").floatCode() + ")",
      (ir, n, g) -> new int[] {Op.ZERO, g});

  static List<DslOp> dsl() {
    return List.of(
        DslOp.of("training", a -> a.builder().node(TRAINING, Attrs.NONE, "training")),
        DslOp.of("dropout", a -> {
          int x = a.tensor(0);
          int mask = a.builder().node(DROPOUT_MASK, Attrs.of("rate", a.number(1), "draw", MASKS.incrementAndGet()),
              "dropoutMask", x);
          return a.builder().node(Arithmetic.MUL, Attrs.NONE, "dropout", x, mask);
        }),
        DslOp.of("movingAverage", a -> {
          int moving = a.tensor(0);
          Node weight = a.builder().get(moving);
          if (weight.op() != Structure.WEIGHT) {
            throw new OpError(Message.MOVING_AVERAGE_OF_WEIGHT);
          }
          return a.builder().node(MOVING_AVERAGE, Attrs.of("field", weight.attrs().string("field"),
              "momentum", a.number(2)), "movingAverage", moving, a.tensor(1));
        }));
  }
}
