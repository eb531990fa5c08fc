package io.retryspool.internal.processing;

import java.time.Duration;

/**
 * A delivery attempt that failed because of the spool rather than the handler: the worker's lease expired (its
 * process died or lost the database) or the attempt ran past its deadline. Retryable; {@code lastError} holds its
 * message alone.
 */
public final class AttemptFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private AttemptFailure(String message) {
        super(message, null, false, false);
    }

    /**
     * The worker holding the claim stopped renewing its lease.
     *
     * @return the failure
     */
    public static AttemptFailure leaseExpired() {
        return new AttemptFailure("lease expired: the worker stopped");
    }

    /**
     * The attempt ran past the attempt timeout.
     *
     * @param timeout the attempt timeout
     * @return the failure
     */
    public static AttemptFailure timedOut(Duration timeout) {
        return new AttemptFailure("attempt timed out after " + Durations.describe(timeout));
    }
}
