package io.retryspool.storage;

import java.util.List;

/**
 * One batch of a bulk operation on a {@link MessageSelection}: the messages it changed, and where the next batch
 * starts.
 *
 * @param changed the ids of the messages moved or deleted, in selection order; a message read but skipped (its state
 *                changed meanwhile, or an attempt on it still runs) is not among them
 * @param next the key of the last message the batch read, where the next batch starts; null when the selection
 *             holds no further messages
 */
public record SelectionBatch(List<String> changed, SelectionKey next) {

    /** Creates a batch, copying the ids. */
    public SelectionBatch {
        changed = List.copyOf(changed);
    }
}
