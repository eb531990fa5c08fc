/**
 * Handlers: the application's code that delivers messages ({@link io.retryspool.handler.MessageHandler}),
 * the context of one attempt, and the exceptions that tell the spool whether a failure is worth retrying.
 */
package io.retryspool.handler;
