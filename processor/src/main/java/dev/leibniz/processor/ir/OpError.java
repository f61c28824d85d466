package dev.leibniz.processor.ir;

import dev.leibniz.processor.Message;
import java.util.List;

/**
 * A problem with one op call, found while its IR is built (a static shape that does not fit, an
 * argument out of range): thrown by the op's rules, reported by the parser at the call.
 */
public final class OpError extends RuntimeException {
  private final Message message;
  private final List<Object> args;

  public OpError(Message message, Object... args) {
    super(message.format(args), null, false, false);
    this.message = message;
    this.args = List.of(args);
  }

  public Message message() {
    return message;
  }

  public Object[] args() {
    return args.toArray();
  }
}
