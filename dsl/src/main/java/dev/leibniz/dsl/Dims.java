package dev.leibniz.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The static shape of a {@code @Call} input, {@code -1} for a dimension known only at
 * run time (usually the batch): {@code @Dims({-1, 784}) Tensor images}. Lets the processor
 * check ranks and dimensions at compile time; without it only the rank found in use is checked.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.PARAMETER)
public @interface Dims {
  /** The dimensions; {@code -1} marks one that is known only at run time. */
  long[] value();
}
