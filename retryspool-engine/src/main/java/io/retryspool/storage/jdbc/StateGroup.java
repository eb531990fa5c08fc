package io.retryspool.storage.jdbc;

import io.retryspool.QueueState;

import java.util.EnumSet;
import java.util.Set;

/**
 * The claimable states, in the two groups that each have their own partial index: messages without a destination due
 * for delivery (INCOMING, DEFERRED; those with a destination are claimed per destination, see {@link #DESTINED}) and
 * messages due for the bounce handlers (BOUNCE), with or without a destination. The condition text must match the
 * partial indexes' predicates in the migrations.
 */
enum StateGroup {
    DELIVERABLE("state IN (0, 2) AND destination IS NULL", "_deliverable", EnumSet.of(QueueState.INCOMING, QueueState.DEFERRED)),
    BOUNCE("state = 4", "_bounce", EnumSet.of(QueueState.BOUNCE));

    /**
     * The condition selecting the messages with a destination that are claimable for delivery, as the predicate of the
     * partial index {@code <table>_dest_due} (PostgreSQL, SQLite) says it.
     */
    static final String DESTINED = "state IN (0, 2) AND destination IS NOT NULL";

    private final String condition;
    private final String indexSuffix;
    private final Set<QueueState> states;

    StateGroup(String condition, String indexSuffix, Set<QueueState> states) {
        this.condition = condition;
        this.indexSuffix = indexSuffix;
        this.states = states;
    }

    /** The name of the group's partial index on a metadata table (as the migrations create it). */
    String index(String table) {
        return table + indexSuffix;
    }

    String condition() {
        return condition;
    }

    Set<QueueState> states() {
        return states;
    }
}
