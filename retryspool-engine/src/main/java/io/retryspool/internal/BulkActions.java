package io.retryspool.internal;

import io.retryspool.checks.Arguments;
import io.retryspool.checks.InputLimits;
import io.retryspool.Count;
import io.retryspool.MessageFilter;
import io.retryspool.QueueState;
import io.retryspool.storage.DataStore;
import io.retryspool.storage.MessageSelection;
import io.retryspool.storage.MetaStore;
import io.retryspool.storage.SelectionBatch;
import io.retryspool.storage.SelectionKey;
import io.retryspool.storage.StoreTransactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * The bulk verbs behind {@link io.retryspool.RetrySpool#count(MessageFilter)}, {@code moveAll} and {@code deleteAll}:
 * a filter is resolved into one {@link MessageSelection} per state it covers, and each selection is walked in
 * batches of at most {@link #BATCH_SIZE} messages, one transaction per batch, by keyset. ACTIVE messages are never
 * selected for a write.
 */
final class BulkActions {

    /** The most messages one batch (one transaction) reads. */
    static final int BATCH_SIZE = 500;

    private static final Logger log = LoggerFactory.getLogger(BulkActions.class);
    private static final Set<QueueState> NOT_ACTIVE = EnumSet.complementOf(EnumSet.of(QueueState.ACTIVE));

    private final MetaStore metaStore;
    private final DataStore dataStore;
    private final StoreTransactions transactions;
    private final int batchSize;

    BulkActions(MetaStore metaStore, DataStore dataStore, StoreTransactions transactions, int batchSize) {
        this.metaStore = metaStore;
        this.dataStore = dataStore;
        this.transactions = transactions;
        this.batchSize = batchSize;
    }

    /**
     * Counts the messages matching the filter in the state it names, or in every state, exactly up to
     * {@code exactLimit} per state ({@link MetaStore#countMatching(MessageSelection, long)}).
     */
    Count count(MessageFilter filter, Instant now, long exactLimit) {
        Arguments.requireNonNull("filter", filter);
        Set<QueueState> states = filter.state().map(EnumSet::of).orElseGet(() -> EnumSet.allOf(QueueState.class));
        Count count = Count.ZERO;
        for (QueueState state : states) {
            count = count.plus(metaStore.countMatching(selection(filter, state, now), exactLimit));
        }
        return count;
    }

    /**
     * Moves the messages matching the filter, except ACTIVE ones and those already in {@code to}.
     *
     * @return how many moved
     */
    long moveAll(MessageFilter filter, QueueState to, Instant now) {
        Set<QueueState> sources = sources(filter);
        Arguments.requireNonNull("to", to);
        if (to == QueueState.ACTIVE) {
            throw new IllegalArgumentException("to: ACTIVE is entered only when a worker claims a message");
        }
        if (filter.state().orElse(null) == to) {
            throw new IllegalArgumentException("to: must differ from the filter's state (" + to + ")");
        }
        sources.remove(to);
        Instant nextRetry = to == QueueState.INCOMING || to == QueueState.BOUNCE ? now : null;
        long moved = 0;
        for (QueueState state : sources) {
            MessageSelection selection = selection(filter, state, now);
            SelectionKey after = null;
            do {
                SelectionBatch batch = metaStore.moveMatching(selection, after, batchSize, to, now, nextRetry);
                moved += batch.changed().size();
                after = batch.next();
            } while (after != null);
        }
        log.debug("Moved {} message(s) matching {} to {}", moved, filter, to);
        return moved;
    }

    /**
     * Deletes the messages matching the filter, except ACTIVE ones, with their bodies.
     *
     * @return how many were deleted
     */
    long deleteAll(MessageFilter filter, Instant now) {
        long deleted = 0;
        for (QueueState state : sources(filter)) {
            MessageSelection selection = selection(filter, state, now);
            SelectionKey after = null;
            do {
                SelectionKey start = after;
                SelectionBatch batch = transactions.inTransaction(() -> {
                    SelectionBatch done = metaStore.deleteMatching(selection, start, batchSize);
                    if (!done.changed().isEmpty()) {
                        dataStore.deleteAll(done.changed());
                    }
                    return done;
                });
                deleted += batch.changed().size();
                after = batch.next();
            } while (after != null);
        }
        log.debug("Deleted {} message(s) matching {}", deleted, filter);
        return deleted;
    }

    /** The states a bulk write covers: the filter's, which must not be ACTIVE, or every state but ACTIVE. */
    private static Set<QueueState> sources(MessageFilter filter) {
        Arguments.requireNonNull("filter", filter);
        if (filter.state().orElse(null) == QueueState.ACTIVE) {
            throw new IllegalArgumentException("filter: names ACTIVE, but messages being delivered are never moved or"
                    + " deleted in bulk; hold or delete them one by one");
        }
        return filter.state().map(EnumSet::of).orElseGet(() -> EnumSet.copyOf(NOT_ACTIVE));
    }

    /**
     * The filter's criteria for one state at {@code now}. An age reaching back before {@link InputLimits#EARLIEST_TIME}
     * (no message is created earlier) is cut there, so that every store can bind the time.
     */
    static MessageSelection selection(MessageFilter filter, QueueState state, Instant now) {
        Instant createdBefore = filter.olderThan()
                .map(age -> age.compareTo(Duration.between(InputLimits.EARLIEST_TIME, now)) >= 0
                        ? InputLimits.EARLIEST_TIME : now.minus(age))
                .orElse(null);
        return new MessageSelection(state, filter.headers(), createdBefore, filter.errorContains().orElse(null),
                filter.destination().orElse(null));
    }
}
