package io.retryspool.internal;

import io.retryspool.checks.Arguments;
import io.retryspool.ListOptions;
import io.retryspool.Message;
import io.retryspool.MessageFilter;
import io.retryspool.Page;
import io.retryspool.QueueState;
import io.retryspool.RetrySpool;
import io.retryspool.SortField;
import io.retryspool.storage.ListCursor;
import io.retryspool.storage.MessageSelection;
import io.retryspool.storage.MetaStore;
import io.retryspool.storage.SelectionKey;
import io.retryspool.storage.SelectionPage;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The filtered listing behind {@link RetrySpool#list(MessageFilter, ListOptions)}: the filter is resolved into the
 * {@link MessageSelection} of its state, as the bulk verbs resolve it, and a page is one
 * {@link MetaStore#listMatching} read of {@code limit + 1} matches (the one past the page tells that more follow)
 * examining at most {@link RetrySpool#LIST_EXAMINED_PER_ITEM} times {@code limit} rows. Cursors are
 * {@link ListCursor}s of the {@link SortField#CREATED} ascending order, the order the selection is walked in.
 */
final class FilteredListing {

    private final MetaStore metaStore;
    private final long exactCountLimit;

    FilteredListing(MetaStore metaStore, long exactCountLimit) {
        this.metaStore = metaStore;
        this.exactCountLimit = exactCountLimit;
    }

    /** Reads one page of the filter's messages at {@code now} (the time its age is measured from). */
    Page<Message> list(MessageFilter filter, ListOptions options, Instant now) {
        Arguments.requireNonNull("filter", filter);
        Arguments.requireNonNull("options", options);
        QueueState state = filter.state().orElseThrow(() -> new IllegalArgumentException("filter: a listing needs a"
                + " state, but " + filter + " names none; add MessageFilter.Builder.state(...)"));
        if (options.offset() > 0) {
            throw new IllegalArgumentException("options: a filtered listing pages by cursor (after) only, not by"
                    + " offset (" + options.offset() + ")");
        }
        if (options.sortBy() != SortField.CREATED || options.descending()) {
            throw new IllegalArgumentException("options: a filtered listing is ordered by CREATED ascending (oldest"
                    + " first) only, not by " + options.sortBy()
                    + (options.descending() ? " descending" : " ascending"));
        }
        SelectionKey after = null;
        if (options.after() != null) {
            ListCursor cursor = ListCursor.decode(options);
            after = new SelectionKey(Instant.EPOCH.plus(cursor.sortValue(), ChronoUnit.MICROS), cursor.id());
        }
        MessageSelection selection = BulkActions.selection(filter, state, now);
        int limit = options.limit();
        SelectionPage read = metaStore.listMatching(selection, after, limit + 1,
                RetrySpool.LIST_EXAMINED_PER_ITEM * limit);
        List<Message> items = read.matches().stream().limit(limit).map(Message::of).toList();
        SelectionKey next = read.matches().size() > limit
                ? SelectionKey.of(read.matches().get(limit - 1)) : read.next();
        Page<Message> page = new Page<>(items, Page.UNKNOWN_TOTAL, next != null, next == null ? null : cursor(next));
        return selection.headers().isEmpty() && selection.errorContains() == null && selection.destination() == null
                ? page.withTotal(metaStore.countMatching(selection, exactCountLimit)) : page;
    }

    private static String cursor(SelectionKey key) {
        return new ListCursor(SortField.CREATED, false, ListCursor.epochMicros(key.created()), key.id()).encode();
    }
}
