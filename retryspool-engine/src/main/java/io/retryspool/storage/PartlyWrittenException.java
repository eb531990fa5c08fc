package io.retryspool.storage;

import io.retryspool.StorageException;

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
        super(message, cause);
        this.unwritten = Set.copyOf(unwritten);
        this.stale = Set.copyOf(stale);
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
}
