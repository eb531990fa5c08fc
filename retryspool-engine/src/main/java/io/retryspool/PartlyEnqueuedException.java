package io.retryspool;

import java.util.List;

/**
 * An {@link RetrySpool#enqueueAll enqueueAll} on a spool over several databases (shards) stored some of its messages
 * and not the others. Its messages were placed on more than one shard (by their destinations or idempotency keys),
 * the shards share no transaction, and one shard failed after another's part was stored. The stored part stays and
 * will be delivered; enqueue the requests named by {@link #unstoredRequests()} again, and only those (requests with an
 * idempotency key may also be sent again all together: a key already stored resolves to its message).
 */
public class PartlyEnqueuedException extends StorageException {

    private static final long serialVersionUID = 1L;

    private final transient List<Integer> unstoredRequests;

    /**
     * Creates the exception.
     *
     * @param message what was stored and what failed
     * @param unstoredRequests the positions, in the enqueued list, of the requests that were not stored
     * @param cause the failure of the shard that did not store its part
     */
    public PartlyEnqueuedException(String message, List<Integer> unstoredRequests, Throwable cause) {
        super(message, cause);
        this.unstoredRequests = List.copyOf(unstoredRequests);
    }

    /**
     * The positions, in ascending order, of the requests whose messages were not stored.
     *
     * @return the positions in the list given to {@code enqueueAll}
     */
    public List<Integer> unstoredRequests() {
        return unstoredRequests;
    }
}
