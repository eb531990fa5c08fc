package io.retryspool.storage;

import io.retryspool.QueueState;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link MetaStore#claim(ClaimRequest)} takes: up to {@code limit} messages in one of {@code states}
 * whose next retry is at or before {@code now}, by priority (highest first) then next retry (earliest first).
 *
 * <p>Claiming a message from INCOMING or DEFERRED counts a delivery attempt (its {@code attempts} grow by one in
 * the claim itself), so that an attempt whose worker dies is counted too; a claim from BOUNCE counts none.
 *
 * @param states the states to claim from (INCOMING, DEFERRED and/or BOUNCE)
 * @param now the current time: messages whose next retry is at or before it are due
 * @param limit the most messages to claim
 * @param owner the instance that will hold the leases
 * @param lease how long the leases last unless renewed, from the store's clock (see {@link MetaStore})
 * @param destinations how messages with a destination are scheduled: limits, fairness and suspension (see
 *                     {@link MetaStore#claim})
 */
public record ClaimRequest(Set<QueueState> states, Instant now, int limit, String owner, Duration lease,
                           DestinationPolicy destinations) {

    /**
     * Creates a request under the {@link DestinationPolicy#DEFAULTS default destination policy}.
     *
     * @param states the states to claim from
     * @param now the current time
     * @param limit the most messages to claim
     * @param owner the instance that will hold the leases
     * @param lease how long the leases last unless renewed
     */
    public ClaimRequest(Set<QueueState> states, Instant now, int limit, String owner, Duration lease) {
        this(states, now, limit, owner, lease, DestinationPolicy.DEFAULTS);
    }

    /** Creates a request, checking its components. */
    public ClaimRequest {
        Objects.requireNonNull(states, "states");
        if (states.isEmpty()) {
            throw new IllegalArgumentException("states: at least one state is required");
        }
        if (states.contains(QueueState.ACTIVE) || states.contains(QueueState.HOLD) || states.contains(QueueState.ARCHIVED)) {
            throw new IllegalArgumentException("states: only INCOMING, DEFERRED and BOUNCE can be claimed, was " + states);
        }
        states = Set.copyOf(EnumSet.copyOf(states));
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(lease, "lease");
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("lease: must be positive, was " + lease);
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit: must be at least 1, was " + limit);
        }
        Objects.requireNonNull(destinations, "destinations");
    }
}
