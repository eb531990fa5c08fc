package io.retryspool.storage;

import io.retryspool.MessageMetadata;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One page of a {@link MessageSelection} read for a listing ({@link MetaStore#listMatching}): the matching messages
 * found, and where the next page's read starts.
 *
 * @param matches the messages that met every criterion, in {@link SelectionKey#ORDER}
 * @param next where the next read starts: the key of the last match when the read stopped at its limit of matches,
 *             the key of the last row examined when it stopped at its limit of rows examined; null when the
 *             selection's range ended first
 */
public record SelectionPage(List<MessageMetadata> matches, @Nullable SelectionKey next) {

    /** Creates a page, copying the matches. */
    public SelectionPage {
        matches = List.copyOf(matches);
    }
}
