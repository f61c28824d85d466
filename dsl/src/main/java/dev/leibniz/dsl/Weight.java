package dev.leibniz.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A {@link Variable} field of a layer, assigned in its {@link Build} method with
 * {@link Ops#addWeight}; trained by the optimizer unless created non-trainable.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Weight {}
