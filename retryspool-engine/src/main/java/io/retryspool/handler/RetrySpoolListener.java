package io.retryspool.handler;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method that receives typed messages: {@code void on(T payload)} or
 * {@code void on(T payload, MessageContext context)}. It receives the messages whose {@code x-retryspool-type}
 * header names {@code T} (its {@link io.retryspool.RetrySpoolMessage} name, else its simple class name), read from
 * JSON into a {@code T}. Its exceptions count as a {@link MessageHandler}'s do: {@link RetryableException} and any
 * other exception are retried, {@link PermanentException} bounces. A body that cannot be read as {@code T} is a
 * permanent failure.
 *
 * <p>In Spring every bean's listener methods are registered; without Spring register the object with
 * {@code RetrySpool.builder().listener(bean)}. One type has at most one listener per destination (and one for
 * every other destination); a second is an error when it is registered, as is a method whose parameters cannot be
 * mapped.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RetrySpoolListener {

    /**
     * Restricts the listener to messages enqueued for this destination.
     *
     * @return the destination; empty (the default) for messages of any destination that has no listener of its own
     */
    String destination() default "";

    /**
     * Makes this a bounce listener: it receives the type's messages that went to BOUNCE, as a
     * {@link BounceHandler} does, instead of those due for delivery.
     *
     * @return true for a bounce listener
     */
    boolean bounce() default false;
}
