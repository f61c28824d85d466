package dev.leibniz.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A method whose body is compiled to a TensorFlow graph with its gradient. Instance
 * {@code @Call} methods belong to {@link Layer} or {@link Model} classes; a {@code static}
 * {@code @Call} function may stand in any class.
 *
 * <p>Every {@code @Call} gets its forward and its backward (the gradient of its inputs and
 * weights given the gradient of its output). A static function of straight-line code may ask
 * for more with {@code @Call(order = 2)}: then {@code <name>Grad} (the gradient of the sum of
 * its output) and {@code <name>Grad2} (the gradient of that gradient) are generated too.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Call {
  /** 1: forward and backward; 2: also the whole gradient and the gradient of the gradient. */
  int order() default 1;
}
