package io.retryspool.handler;

import io.retryspool.Message;

import java.time.Duration;

/**
 * Hears that a message is still undelivered long after it was enqueued, as Postfix's {@code delay_warning_time}
 * tells a sender that mail is delayed. Once a spool's delay warning ({@code RetrySpoolBuilder.delayWarning}) has
 * passed since a message's {@code created} time and it is still INCOMING, ACTIVE, DEFERRED or HOLD, the spool
 * calls every registered handler once with it, in registration order. BOUNCE messages are not warned about: they
 * already have their verdict, which the bounce handlers report.
 *
 * <p>At most once per message, across all instances sharing the store: the warning is recorded before the
 * handlers are called, so it is not repeated when a handler throws (the exception is logged and the next handler
 * is called) nor when the instance stops in between. Handlers run on a thread of their own, never on a delivery
 * worker, and may take their time; they should not change the message's state.
 */
@FunctionalInterface
public interface DelayWarningHandler {

    /**
     * Tells that a message is delayed.
     *
     * @param message the message, with its metadata as it was when the warning was recorded (never its body)
     * @param waited how long it has been in the spool: from its {@code created} time to the warning
     */
    void delayed(Message message, Duration waited);
}
