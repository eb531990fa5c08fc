package io.retryspool.storage;

import io.retryspool.StorageException;

import java.util.Map;
import java.util.Set;

/**
 * Some of a group's writes were done and some could not be: a store over several databases writes each database's
 * part on its own, and one database failed. The written part is final. For outcomes, the caller tries the unwritten
 * part again; for new messages (stored by several shards when their destinations or idempotency keys place them
 * apart), the spool fails the enqueue with a {@link io.retryspool.PartlyEnqueuedException} naming the requests whose
 * messages were not written.
 */
public class PartlyWrittenException extends StorageException {

    private static final long serialVersionUID = 1L;

    private final transient Set<String> unwritten;
    private final transient Set<String> stale;
    private final transient Map<String, StoreResult> stored;

    /**
     * Creates the exception.
     *
     * @param message what could not be written
     * @param unwritten the ids whose outcomes (or new messages) were not written
     * @param stale among the written ids, those whose claim was no longer held (nothing written for them either); empty
     *              for new messages
     * @param cause the failure of the unwritten part
     */
    public PartlyWrittenException(String message, Set<String> unwritten, Set<String> stale, Throwable cause) {
        this(message, unwritten, stale, Map.of(), cause);
    }

    private PartlyWrittenException(String message, Set<String> unwritten, Set<String> stale,
                                   Map<String, StoreResult> stored, Throwable cause) {
        super(message, cause);
        this.unwritten = Set.copyOf(unwritten);
        this.stale = Set.copyOf(stale);
        this.stored = Map.copyOf(stored);
    }

    /**
     * The exception for new messages of which some were stored.
     *
     * @param message what could not be written
     * @param stored the result of each message that was stored, by the id it was placed under
     * @param unwritten the ids of the messages that were not stored
     * @param cause the failure of the unwritten part
     * @return the exception
     */
    public static PartlyWrittenException ofNewMessages(String message, Map<String, StoreResult> stored,
                                                       Set<String> unwritten, Throwable cause) {
        return new PartlyWrittenException(message, unwritten, Set.of(), stored, cause);
    }

    /**
     * The ids whose outcomes (or new messages) were not written.
     *
     * @return the ids
     */
    public Set<String> unwritten() {
        return unwritten;
    }

    /**
     * Among the ids that were written, those whose claim was no longer held.
     *
     * @return the ids
     */
    public Set<String> stale() {
        return stale;
    }

    /**
     * For new messages, the result of each message that was stored, by the id it was placed under (a message whose
     * idempotency key was already held resolves to the message holding it); empty for outcomes.
     *
     * @return the results by placed id
     */
    public Map<String, StoreResult> stored() {
        return stored;
    }
}
