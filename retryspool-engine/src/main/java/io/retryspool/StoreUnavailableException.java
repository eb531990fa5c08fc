package io.retryspool;

import org.jspecify.annotations.Nullable;

/**
 * A store could not be reached at all — no connection could be had from its database — so the operation wrote
 * nothing: trying again later, or elsewhere, cannot store anything twice. On a spool over several databases
 * (shards) the message names the shard, and new messages go to the other shards while this one is unreachable.
 */
public class StoreUnavailableException extends StorageException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what could not be done and why
     * @param cause the underlying failure
     */
    public StoreUnavailableException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
