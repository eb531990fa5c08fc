package io.retryspool.storage;

import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Stores message bodies by message id. Bodies stream in and out: no implementation may need the whole
 * body in memory. Safe to call from many threads. Failures surface as {@link io.retryspool.StorageException}.
 */
public interface DataStore {

    /**
     * Stores a body, reading the stream to its end (the stream is not closed).
     *
     * @param id the message id
     * @param body the body
     * @return the body's size: the number of bytes read from {@code body}
     */
    long store(String id, InputStream body);

    /**
     * Opens a body for reading; the caller closes the stream.
     *
     * @param id the message id
     * @return the body
     * @throws MissingBodyException if no body is stored for the id
     */
    InputStream openReader(String id);

    /**
     * Opens a writer for a body that is streamed in pieces; it becomes visible when the writer is closed.
     *
     * @param id the message id
     * @return the writer
     */
    BodyWriter openWriter(String id);

    /**
     * Deletes a body; deleting a missing one is not an error.
     *
     * @param id the message id
     * @return true if a body existed
     */
    boolean delete(String id);

    /**
     * Deletes several bodies; missing ones are ignored. Stores that can delete many in one round trip
     * override this.
     *
     * @param ids the message ids
     */
    default void deleteAll(java.util.Collection<String> ids) {
        ids.forEach(this::delete);
    }

    /**
     * Lists the ids of bodies stored before a time, a page at a time, in an order of the store's choosing that
     * does not change between calls (ascending ids for the JDBC and in-memory stores); the next page starts after
     * the previous page's last id in that order. The orphan sweeper uses it to find bodies whose metadata never
     * arrived.
     *
     * @param storedBefore only bodies stored before this time
     * @param afterId the last id of the previous page, or null for the first page
     * @param limit the most ids to return
     * @return the ids, in the store's listing order
     */
    List<String> listIds(Instant storedBefore, @Nullable String afterId, int limit);

    /**
     * Removes what unfinished writes left behind (temporary files of a crashed or abandoned writer) that is
     * older than a time; the orphan sweeper calls it. Stores whose unfinished writes are already covered by
     * {@link #listIds} do nothing, which is the default.
     *
     * @param olderThan only leftovers older than this
     * @return how many leftovers were removed
     */
    default int removeUnfinishedWrites(Instant olderThan) {
        return 0;
    }
}
