package io.retryspool.retry;

import io.retryspool.handler.PermanentException;

import java.time.Instant;

/**
 * Decides whether a failed delivery is tried again and when. The spool asks {@link #shouldRetry}
 * after each failure (with the attempts made so far, the current one included) and, when it says
 * yes, defers the message until {@link #nextRetry}. Implementations must be thread-safe.
 */
public interface RetryPolicy {

    /**
     * Returns when the next attempt is due.
     *
     * @param attempts the attempts made so far, the failed one included (1 after the first failure)
     * @param error the failure
     * @param now the current time
     * @return the time of the next attempt
     */
    Instant nextRetry(int attempts, Throwable error, Instant now);

    /**
     * Tells whether the message gets another attempt. By default: unless the error is a
     * {@link PermanentException} or the attempts are used up.
     *
     * @param attempts the attempts made so far, the failed one included
     * @param maxAttempts the message's maximum number of attempts
     * @param error the failure
     * @return true to defer the message, false to bounce it
     */
    default boolean shouldRetry(int attempts, int maxAttempts, Throwable error) {
        return !(error instanceof PermanentException) && attempts < maxAttempts;
    }
}
