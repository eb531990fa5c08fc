package io.retryspool.boot.autoconfigure.operations;

import io.retryspool.DestinationStatus;

import java.time.Instant;

/**
 * Where a destination stands, as the {@code retryspool} endpoint and the dashboard show it: {@link #PAUSED} while its
 * suspension lasts, {@link #PROBING} after it until an attempt succeeds, {@link #HEALTHY} otherwise.
 */
public enum DestinationState {

    /** Suspended, and the pause has not ended: none of its messages are attempted. */
    PAUSED,
    /** Suspended, the pause has ended: one probe message is attempted at a time until one succeeds. */
    PROBING,
    /** Not suspended: its messages are attempted within its limits. */
    HEALTHY;

    /**
     * Tells where a destination stands at a time.
     *
     * @param status its status
     * @param now the time, the spool's clock
     * @return {@link #PAUSED}, {@link #PROBING} or {@link #HEALTHY}
     */
    public static DestinationState of(DestinationStatus status, Instant now) {
        if (status.pausedAt(now)) {
            return PAUSED;
        }
        return status.probingAt(now) ? PROBING : HEALTHY;
    }
}
