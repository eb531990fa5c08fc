package io.retryspool.boot.autoconfigure.operations;

import io.retryspool.QueueState;
import org.jspecify.annotations.Nullable;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The operator's moves, as the {@code retryspool} endpoint and the dashboard offer them: from which states each may
 * start, and where it leads. {@code hold} parks an INCOMING, DEFERRED or ACTIVE message; {@code release} returns a
 * HOLD message to INCOMING; {@code requeue} makes a HOLD, DEFERRED, BOUNCE or ARCHIVED message INCOMING again;
 * {@code bounce} sends an INCOMING, DEFERRED or HOLD message to BOUNCE.
 */
public enum OperatorAction {

    /** INCOMING, DEFERRED or ACTIVE to HOLD. */
    HOLD(EnumSet.of(QueueState.INCOMING, QueueState.DEFERRED, QueueState.ACTIVE), QueueState.HOLD),
    /** HOLD to INCOMING. */
    RELEASE(EnumSet.of(QueueState.HOLD), QueueState.INCOMING),
    /** HOLD, DEFERRED, BOUNCE or ARCHIVED to INCOMING. */
    REQUEUE(EnumSet.of(QueueState.HOLD, QueueState.DEFERRED, QueueState.BOUNCE, QueueState.ARCHIVED), QueueState.INCOMING),
    /** INCOMING, DEFERRED or HOLD to BOUNCE. */
    BOUNCE(EnumSet.of(QueueState.INCOMING, QueueState.DEFERRED, QueueState.HOLD), QueueState.BOUNCE);

    private final Set<QueueState> from;
    private final QueueState to;

    OperatorAction(Set<QueueState> from, QueueState to) {
        this.from = from;
        this.to = to;
    }

    /**
     * Returns the states a message may be in for this move.
     *
     * @return the states, unmodifiable
     */
    public Set<QueueState> from() {
        return Set.copyOf(from);
    }

    /**
     * Returns the state the move leads to.
     *
     * @return the state
     */
    public QueueState to() {
        return to;
    }

    /**
     * Returns the states a bulk move acts on: those of {@link #from()} but ACTIVE, which bulk moves never touch.
     *
     * @return the states, unmodifiable
     */
    public Set<QueueState> bulkFrom() {
        Set<QueueState> states = EnumSet.copyOf(from);
        states.remove(QueueState.ACTIVE);
        return Set.copyOf(states);
    }

    /**
     * Returns the name requests use.
     *
     * @return for example {@code "release"}
     */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads an action's name, in any case.
     *
     * @param action the name, or null
     * @return the action, or null when there is none of that name
     */
    public static @Nullable OperatorAction parse(@Nullable String action) {
        if (action != null) {
            for (OperatorAction candidate : values()) {
                if (candidate.label().equals(action.trim().toLowerCase(Locale.ROOT))) {
                    return candidate;
                }
            }
        }
        return null;
    }

    /**
     * Lists the actions' names, for error messages.
     *
     * @return {@code "hold, release, requeue, bounce"}
     */
    public static String labels() {
        return Arrays.stream(values()).map(OperatorAction::label).collect(Collectors.joining(", "));
    }
}
