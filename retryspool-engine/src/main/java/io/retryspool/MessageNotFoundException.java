package io.retryspool;

/**
 * No message with the given id exists (any more).
 */
public class MessageNotFoundException extends RetrySpoolException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, naming the message id, state, table or property involved
     */
    public MessageNotFoundException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what went wrong
     * @param cause the underlying failure
     */
    public MessageNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
