/**
 * Handlers: the application's code that delivers messages ({@link io.retryspool.handler.MessageHandler}),
 * the context of one attempt, the exceptions that tell the spool whether a failure is worth retrying, and the
 * handlers told about messages that are still undelivered long after they were enqueued
 * ({@link io.retryspool.handler.DelayWarningHandler}).
 */
@NullMarked
package io.retryspool.handler;

import org.jspecify.annotations.NullMarked;
