package dev.leibniz.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A method whose body is compiled to a TensorFlow graph with its gradient. Instance
 * {@code @Call} methods belong to {@link Layer} or {@link Model} classes; a {@code static}
 * {@code @Call} function may stand in any class and also gets its gradient and the gradient
 * of its gradient.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Call {}
