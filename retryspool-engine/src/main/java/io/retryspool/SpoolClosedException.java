package io.retryspool;

/**
 * The spool was closed; no operation is accepted any more.
 */
public class SpoolClosedException extends RetrySpoolException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, naming the message id, state, table or property involved
     */
    public SpoolClosedException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what went wrong
     * @param cause the underlying failure
     */
    public SpoolClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
