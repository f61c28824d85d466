package dev.leibniz.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Creates a layer's weights. Called once, when the layer first sees input, with the
 * static {@link Shape} of each {@code @Call} input (unknown dimensions are {@code -1}).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Build {}
