package io.retryspool.storage;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One batch of a bulk operation on a {@link MessageSelection}: the messages it changed, and where the next batch
 * starts.
 *
 * @param changed the ids of the messages moved or deleted, in selection order; a message of the window that does not
 *                match, or that was skipped (its state changed meanwhile, or an attempt on it still runs), is not
 *                among them
 * @param next the key of the window's last message, where the next window starts; null when the window was the
 *             last (it held fewer messages than the limit)
 */
public record SelectionBatch(List<String> changed, @Nullable SelectionKey next) {

    /** Creates a batch, copying the ids. */
    public SelectionBatch {
        changed = List.copyOf(changed);
    }
}
