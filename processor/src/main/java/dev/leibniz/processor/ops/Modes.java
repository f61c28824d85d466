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
 * What differs between training and inference, and randomness: the training flag (1 in fit's
 * training steps, else 0), dropout (sugar: {@code x * dropoutMask(x)}, so its gradient is mul's),
 * random normal draws (the reparameterization trick: {@code mean + std * randomNormal(mean)}), and
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

  /**
   * randomNormal(like[, sample dims]): standard normal draws shaped like its argument, or
   * [its batch, sample dims...] (attribute "sample"); new each step; no gradient.
   */
  static final Rule RANDOM_NORMAL = op("randomNormal", 1, Modes::drawn,
      (args, attrs) -> "tf.nn().randomNormal(" + args.get(0)
          + (attrs.has("sample") ? ", " + Shapes.longs(attrs.exprs("sample")) : "") + ")",
      (ir, n, g) -> new int[] {Op.ZERO});

  static dev.leibniz.processor.ir.StaticShape drawn(List<dev.leibniz.processor.ir.StaticShape> in, Attrs attrs) {
    var like = in.get(0);
    if (!attrs.has("sample")) {
      return like;
    }
    List<Long> dims = new java.util.ArrayList<>();
    dims.add(like.knownRank() && like.rank() > 0 ? like.dim(0) : -1L);
    for (var e : attrs.exprs("sample")) {
      dims.add(Shapes.size(e));
    }
    return new dev.leibniz.processor.ir.StaticShape(dims);
  }

  /**
   * addLoss(value, loss): returns value, and adds {@code loss} to the model's loss (Keras's
   * add_loss). The loss's adjoint is ones: the total loss is the outputs' losses plus it.
   */
  static final Rule ADD_LOSS = op("addLoss", 2, Rule::sameAsFirst, "tf.nn().addLoss($0, $1)",
      (ir, n, g) -> new int[] {g, ir.onesLike(n.arg(1))}).withEffect();

  /** movingAverage(weight, value): attributes "field" (the weight) and "momentum". */
  static final Rule MOVING_AVERAGE = op("movingAverage", 2, Rule::sameAsSecond,
      (args, attrs) -> "tf.nn().movingAverage(layer." + attrs.string("field") + ", " + args.get(1) + ", "
          + attrs.expr("momentum").floatCode() + ")",
      (ir, n, g) -> new int[] {Op.ZERO, g}).withEffect();

  static List<DslOp> dsl() {
    return List.of(
        DslOp.of("training", a -> a.builder().node(TRAINING, Attrs.NONE, "training")),
        DslOp.of("dropout", a -> {
          int x = a.tensor(0);
          int mask = a.builder().node(DROPOUT_MASK, Attrs.of("rate", a.number(1), "draw", MASKS.incrementAndGet()),
              "dropoutMask", x);
          return a.builder().node(Arithmetic.MUL, Attrs.NONE, "dropout", x, mask);
        }),
        DslOp.of("addLoss", a -> a.builder().node(ADD_LOSS, Attrs.NONE, "addLoss", a.tensor(0), a.tensor(1))),
        DslOp.of("randomNormal", a -> a.builder().node(RANDOM_NORMAL, a.count() == 1
            ? Attrs.of("draw", MASKS.incrementAndGet())
            : Attrs.of("draw", MASKS.incrementAndGet(), "sample", a.ints(1)), "randomNormal", a.tensor(0))),
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
