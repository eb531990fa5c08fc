package io.retryspool.handler;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@link MessageHandler} (a class, or a Spring {@code @Bean} method) as a bounce handler: it
 * receives messages that went to BOUNCE instead of messages due for delivery. Without Spring,
 * register bounce handlers with {@code RetrySpool.builder().bounceHandler(..)}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface BounceHandler {
}
