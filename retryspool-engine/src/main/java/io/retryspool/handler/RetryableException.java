package io.retryspool.handler;

/**
 * Thrown by a handler for a failure worth retrying: the message is deferred per its retry policy
 * (or bounced when attempts or lifetime are used up). Any exception other than
 * {@link PermanentException} is treated the same way; this one only makes the intent explicit.
 */
public class RetryableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message why delivery failed
     */
    public RetryableException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message why delivery failed
     * @param cause the underlying failure
     */
    public RetryableException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Creates the exception from its cause.
     *
     * @param cause the underlying failure
     */
    public RetryableException(Throwable cause) {
        super(cause);
    }
}
