package io.retryspool;

import org.jspecify.annotations.Nullable;

/**
 * The root of RetrySpool's unchecked exceptions. Storage and I/O failures never leave the API as checked exceptions or {@code SQLException}s: they arrive as a subclass of this.
 */
public class RetrySpoolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, naming the message id, state, table or property involved
     */
    public RetrySpoolException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what went wrong
     * @param cause the underlying failure
     */
    public RetrySpoolException(@Nullable String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
