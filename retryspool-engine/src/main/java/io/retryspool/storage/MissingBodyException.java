package io.retryspool.storage;

import io.retryspool.StorageException;

/**
 * A message's body is not in the data store (or is incomplete). Retrying cannot help: the spool bounces
 * such a message with this exception's text as its last error.
 */
public class MissingBodyException extends StorageException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which message's body is missing and where it was looked for
     */
    public MissingBodyException(String message) {
        super(message);
    }
}
