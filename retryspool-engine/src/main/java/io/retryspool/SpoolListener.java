package io.retryspool;

import java.time.Duration;

/**
 * Hears what a spool does, for metrics and tracing. Called on the threads doing the work, so implementations
 * must be quick and thread-safe; an exception thrown here is logged and otherwise ignored.
 */
public interface SpoolListener {

    /**
     * New messages were stored (after their transaction committed); idempotent repeats are not counted.
     *
     * @param count how many
     */
    default void enqueued(int count) {
    }

    /**
     * A delivery attempt's outcome was stored. Bounce-handler runs and claims given back at shutdown are
     * not reported here.
     *
     * @param outcome the outcome
     */
    default void processed(ProcessingOutcome outcome) {
    }

    /**
     * A handler (delivery or bounce) finished one run.
     *
     * @param handlerName the handler's {@code name()}
     * @param success whether it returned normally
     * @param duration how long it ran
     */
    default void handlerFinished(String handlerName, boolean success, Duration duration) {
    }

    /**
     * Another instance sharing the store changed it: it enqueued, released or requeued messages, as the store's
     * notifications tell (PostgreSQL's LISTEN/NOTIFY, while this spool's workers run; SQLite and the in-memory store
     * send none). Called on the thread that receives the notification; return quickly.
     */
    default void changedElsewhere() {
    }

    /**
     * Delay warnings were issued: messages still undelivered a delay warning after they were created were reported
     * to the {@link io.retryspool.handler.DelayWarningHandler}s (each message once, across all instances).
     *
     * @param count how many messages
     */
    default void delayWarned(int count) {
    }
}
