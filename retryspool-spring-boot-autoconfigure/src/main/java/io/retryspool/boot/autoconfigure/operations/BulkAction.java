package io.retryspool.boot.autoconfigure.operations;

import io.retryspool.Count;
import io.retryspool.MessageFilter;
import io.retryspool.QueueState;
import io.retryspool.RetrySpool;
import org.jspecify.annotations.Nullable;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An operator's action on every message matching a filter, as the {@code retryspool} endpoint and the dashboard run
 * it: an {@link OperatorAction} moves messages from the states it allows (never ACTIVE ones) with
 * {@link RetrySpool#moveAll}, {@code delete} deletes messages in any state but ACTIVE with {@link RetrySpool#deleteAll}.
 * A filter with a state narrows the action to that state, which the action must allow.
 */
public final class BulkAction {

    /** The name of the bulk delete. */
    public static final String DELETE = "delete";

    private final @Nullable OperatorAction move;

    private BulkAction(@Nullable OperatorAction move) {
        this.move = move;
    }

    /**
     * Reads an action's name: one of {@link OperatorAction}'s, or {@value #DELETE}.
     *
     * @param action the name
     * @return the action
     * @throws IllegalArgumentException if there is no action of that name
     */
    public static BulkAction parse(@Nullable String action) {
        if (action != null && DELETE.equals(action.trim().toLowerCase(Locale.ROOT))) {
            return new BulkAction(null);
        }
        OperatorAction move = OperatorAction.parse(action);
        if (move == null) {
            throw new IllegalArgumentException("action: unknown action '" + action + "'; expected one of "
                    + OperatorAction.labels() + ", " + DELETE);
        }
        return new BulkAction(move);
    }

    /**
     * Returns the action's name.
     *
     * @return for example {@code "release"} or {@code "delete"}
     */
    public String label() {
        return move == null ? DELETE : move.label();
    }

    /**
     * Returns the states the action acts on when the filter names none.
     *
     * @return the states, never ACTIVE
     */
    public Set<QueueState> states() {
        if (move != null) {
            return move.bulkFrom();
        }
        Set<QueueState> all = EnumSet.allOf(QueueState.class);
        all.remove(QueueState.ACTIVE);
        return Set.copyOf(all);
    }

    /**
     * Counts the matching messages and, unless this is a dry run, acts on them.
     *
     * @param spool the spool
     * @param filter the criteria
     * @param dryRun true to count only
     * @return how many matched, and how many were moved or deleted (0 for a dry run)
     * @throws IllegalArgumentException if the filter names a state the action does not act on
     */
    public Result run(RetrySpool spool, BulkFilter filter, boolean dryRun) {
        Objects.requireNonNull(spool, "spool");
        Objects.requireNonNull(filter, "filter");
        Set<QueueState> allowed = states();
        if (filter.state() != null && !allowed.contains(filter.state())) {
            throw new IllegalArgumentException("state: " + label() + " in bulk acts on " + allowed.stream()
                    .sorted().map(Enum::name).collect(Collectors.joining(", ")) + ", not " + filter.state());
        }
        List<MessageFilter> filters = (filter.state() != null ? EnumSet.of(filter.state()) : EnumSet.copyOf(allowed))
                .stream().map(filter::toFilter).toList();
        Count matched = filters.stream().map(spool::estimateCount).reduce(Count.ZERO, Count::plus);
        long changed = 0;
        if (!dryRun) {
            for (MessageFilter each : filters) {
                changed += move == null ? spool.deleteAll(each) : spool.moveAll(each, move.to());
            }
        }
        return new Result(matched, changed);
    }

    /**
     * What a bulk action did.
     *
     * @param matched how many messages matched in the states the action acts on, an estimate beyond the spool's
     *                exact-count limit ({@link RetrySpool#estimateCount})
     * @param changed how many of them were moved or deleted; 0 for a dry run (a message that changed state meanwhile,
     *                or on which an attempt still runs, is skipped)
     */
    public record Result(Count matched, long changed) {
    }
}
