package io.retryspool.storage.jdbc;

import io.retryspool.QueueState;

import java.util.EnumSet;
import java.util.Set;

/**
 * The claimable states, in the two groups that each have their own partial index: messages due for
 * delivery (INCOMING, DEFERRED) and messages due for the bounce handlers (BOUNCE). The condition text must
 * match the partial indexes' predicates in the migrations.
 */
enum StateGroup {
    DELIVERABLE("state IN (0, 2)", "_deliverable", EnumSet.of(QueueState.INCOMING, QueueState.DEFERRED)),
    BOUNCE("state = 4", "_bounce", EnumSet.of(QueueState.BOUNCE));

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
