package io.retryspool.handler;

/**
 * Thrown by a handler for a failure that retrying cannot fix: the message goes straight to
 * BOUNCE and the bounce handlers.
 */
public class PermanentException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message why delivery failed
     */
    public PermanentException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message why delivery failed
     * @param cause the underlying failure
     */
    public PermanentException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Creates the exception from its cause.
     *
     * @param cause the underlying failure
     */
    public PermanentException(Throwable cause) {
        super(cause);
    }
}
