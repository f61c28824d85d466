package dev.leibniz.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A layer: a class with {@link Weight} fields created by a {@link Build} method and a
 * {@link Call} method that computes with them. The processor generates {@code <Name>_Graph}
 * with the forward and backward graph of each {@code @Call}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Layer {}
