package io.retryspool;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * How many messages each of the six states holds, each count exact or, for a state holding more messages than the
 * spool's exact-count limit, an estimate (see {@link Count}). What {@link RetrySpool#estimateCounts()} returns: cheap
 * at any size, for dashboards, health checks and gauges.
 *
 * @param byState a count for every state
 */
public record QueueCounts(Map<QueueState, Count> byState) {

    /**
     * Checks and copies the counts.
     *
     * @throws IllegalArgumentException if a state is missing or a count is null
     */
    public QueueCounts {
        if (byState == null) {
            throw new IllegalArgumentException("byState: must not be null");
        }
        EnumMap<QueueState, Count> copy = new EnumMap<>(QueueState.class);
        for (QueueState state : QueueState.values()) {
            Count count = byState.get(state);
            if (count == null) {
                throw new IllegalArgumentException("byState: must hold a count for " + state);
            }
            copy.put(state, count);
        }
        byState = Collections.unmodifiableMap(copy);
    }

    /**
     * Returns exact counts.
     *
     * @param counts a count for every state
     * @return the counts, none estimated
     * @throws IllegalArgumentException if a state is missing
     */
    public static QueueCounts exact(Map<QueueState, Long> counts) {
        EnumMap<QueueState, Count> byState = new EnumMap<>(QueueState.class);
        counts.forEach((state, value) -> byState.put(state, Count.exact(value)));
        return new QueueCounts(byState);
    }

    /**
     * Returns one state's count.
     *
     * @param state the state
     * @return its count
     */
    public Count get(QueueState state) {
        return Objects.requireNonNull(byState.get(state));
    }

    /**
     * Returns the counts' values, estimates included, as {@link RetrySpool#counts()} has them.
     *
     * @return a value for every state
     */
    public Map<QueueState, Long> values() {
        EnumMap<QueueState, Long> values = new EnumMap<>(QueueState.class);
        byState.forEach((state, count) -> values.put(state, count.value()));
        return Collections.unmodifiableMap(values);
    }

    /**
     * Returns whether any state's count is an estimate.
     *
     * @return true if one is
     */
    public boolean anyEstimated() {
        return byState.values().stream().anyMatch(Count::estimated);
    }
}
