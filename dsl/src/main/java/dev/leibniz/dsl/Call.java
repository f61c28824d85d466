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
 * weights given the gradient of its output). {@code @Call(order = 2)} asks for more: the
 * backward of the backward ({@code <name>BackwardBackward}), which is what lets a body that
 * takes {@code gradient(y, x)} through this method be differentiated (WGAN-GP's penalty); its
 * body may have {@code if} on configuration and calls into other {@code order = 2} methods, not
 * loops. A static function of straight-line code also gets {@code <name>Grad} (the gradient of
 * the sum of its output), {@code <name>Grad2} (the gradient of that gradient) and
 * {@code <name>Hvp} (Hessian-vector products).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Call {
  /** 1: forward and backward; 2: also the backward of the backward (and for static functions Grad, Grad2, Hvp). */
  int order() default 1;
}
