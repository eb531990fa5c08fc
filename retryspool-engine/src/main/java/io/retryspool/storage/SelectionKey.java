package io.retryspool.storage;

import io.retryspool.MessageMetadata;
import io.retryspool.checks.Arguments;

import java.time.Instant;
import java.util.Comparator;

/**
 * A position in a {@link MessageSelection}: the bulk operations walk a selection in {@code (created, id)} order, a
 * batch at a time, each batch starting after the key of the last message the previous one read (a keyset, never an
 * offset).
 *
 * @param created the message's creation time
 * @param id the message's id
 */
public record SelectionKey(Instant created, String id) {

    /** The order the bulk operations walk a selection in. */
    public static final Comparator<SelectionKey> ORDER =
            Comparator.comparing(SelectionKey::created).thenComparing(SelectionKey::id);

    /** Creates a key, checking its components. */
    public SelectionKey {
        Arguments.requireNonNull("created", created);
        Arguments.requireId("id", id);
    }

    /**
     * Returns a message's key.
     *
     * @param metadata the message
     * @return its key
     */
    public static SelectionKey of(MessageMetadata metadata) {
        return new SelectionKey(metadata.created(), metadata.id());
    }
}
