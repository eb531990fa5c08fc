package io.retryspool;

/**
 * The queue a message is in. The integer {@link #code()} is what the storage tables hold; it is
 * identical to the Go RetrySpool's codes so that tools can read either.
 */
public enum QueueState {

    /** Newly enqueued (or released/requeued); due for delivery once its next retry time has come. */
    INCOMING(0),
    /** Claimed by a worker under a lease and being processed. */
    ACTIVE(1),
    /** Failed temporarily; waiting for its next retry time. */
    DEFERRED(2),
    /** Parked by an operator; never picked up until released. */
    HOLD(3),
    /** Failed permanently; waiting for (or being retried by) the bounce handlers. */
    BOUNCE(4),
    /** Finished and kept for audit. */
    ARCHIVED(5);

    private static final QueueState[] BY_CODE = values();

    private final int code;

    QueueState(int code) {
        this.code = code;
    }

    /**
     * Returns the integer stored for this state.
     *
     * @return the state's code, 0 to 5
     */
    public int code() {
        return code;
    }

    /**
     * Returns the state with the given stored code.
     *
     * @param code a code from 0 to 5
     * @return the state
     * @throws IllegalArgumentException if no state has that code
     */
    public static QueueState fromCode(int code) {
        if (code < 0 || code >= BY_CODE.length) {
            throw new IllegalArgumentException("code: no queue state has code " + code);
        }
        return BY_CODE[code];
    }
}
