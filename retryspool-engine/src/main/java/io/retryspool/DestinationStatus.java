package io.retryspool;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a destination has fared lately, as the spool schedules it (see {@code EnqueueRequest.Builder#destination}): the
 * consecutive failed attempts since its last success, and whether it is suspended. A destination that failed
 * {@code failure-threshold} times in a row is suspended: its messages are not attempted until {@code suspendedUntil};
 * then one probe message is tried at a time, and a success resumes it.
 *
 * @param name the destination's name
 * @param failures consecutive failed delivery attempts since the last success
 * @param suspensions how many times in a row it was suspended without a success since (0: it is not suspended, and
 *                    no probe is due); each suspension lasts twice as long as the one before, up to a maximum
 * @param suspendedUntil when the current suspension ends, or null if it was never suspended since its last success
 */
public record DestinationStatus(String name, int failures, int suspensions, @Nullable Instant suspendedUntil) {

    /** Creates a status, checking its components. */
    public DestinationStatus {
        Objects.requireNonNull(name, "name");
        if (failures < 0 || suspensions < 0) {
            throw new IllegalArgumentException("failures and suspensions must not be negative, were " + failures
                    + " and " + suspensions);
        }
        if ((suspensions == 0) != (suspendedUntil == null)) {
            throw new IllegalArgumentException("a suspended destination has an end of its suspension, and only it: "
                    + suspensions + " suspension(s), until " + suspendedUntil);
        }
    }

    /**
     * Returns the status of a destination that has not failed since its last success.
     *
     * @param name the destination's name
     * @return the status
     */
    public static DestinationStatus healthy(String name) {
        return new DestinationStatus(name, 0, 0, null);
    }

    /**
     * Tells whether the destination's messages are held back at {@code now}: it is suspended and the pause has not
     * ended.
     *
     * @param now the current time
     * @return true while the pause lasts
     */
    public boolean pausedAt(Instant now) {
        return suspendedUntil != null && now.isBefore(suspendedUntil);
    }

    /**
     * Tells whether the destination is on probation at {@code now}: its pause has ended, but no attempt has succeeded
     * since, so only one of its messages is attempted at a time.
     *
     * @param now the current time
     * @return true after the pause, until a success
     */
    public boolean probingAt(Instant now) {
        return suspensions > 0 && !pausedAt(now);
    }

    /**
     * Tells whether the destination is suspended: paused, or on probation after its pause.
     *
     * @return true until an attempt succeeds or an operator resumes it
     */
    public boolean suspended() {
        return suspensions > 0;
    }
}
