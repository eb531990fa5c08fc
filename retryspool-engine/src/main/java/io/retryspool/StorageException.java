package io.retryspool;

import org.jspecify.annotations.Nullable;

/**
 * A store failed: the database or file system could not be read or written, or stored data is missing or damaged.
 */
public class StorageException extends RetrySpoolException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, naming the message id, state, table or property involved
     */
    public StorageException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what went wrong
     * @param cause the underlying failure
     */
    public StorageException(@Nullable String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
