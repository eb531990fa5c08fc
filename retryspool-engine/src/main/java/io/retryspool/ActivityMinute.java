package io.retryspool;

import java.time.Instant;

/**
 * What the spool did in one minute: messages enqueued and delivery attempts by outcome, summed over every instance
 * that shares the store (see {@link RetrySpool#activity(java.time.Duration)}).
 *
 * @param start when the minute began
 * @param enqueued messages enqueued
 * @param delivered delivery attempts that delivered
 * @param deferred delivery attempts deferred for a retry
 * @param bounced delivery attempts that bounced
 */
public record ActivityMinute(Instant start, long enqueued, long delivered, long deferred, long bounced) {

    /**
     * Checks the minute.
     *
     * @throws IllegalArgumentException if {@code start} is null or a count is negative
     */
    public ActivityMinute {
        if (start == null) {
            throw new IllegalArgumentException("start: must not be null");
        }
        if (enqueued < 0 || delivered < 0 || deferred < 0 || bounced < 0) {
            throw new IllegalArgumentException("counts: must not be negative, were " + enqueued + ", " + delivered
                    + ", " + deferred + ", " + bounced);
        }
    }

    /**
     * Returns a minute with nothing in it.
     *
     * @param start when the minute began
     * @return the minute, all counts zero
     */
    public static ActivityMinute empty(Instant start) {
        return new ActivityMinute(start, 0, 0, 0, 0);
    }

    /**
     * Adds another record of the same minute.
     *
     * @param other the counts to add; its start is not checked
     * @return the sums
     */
    public ActivityMinute plus(ActivityMinute other) {
        return new ActivityMinute(start, enqueued + other.enqueued, delivered + other.delivered,
                deferred + other.deferred, bounced + other.bounced);
    }
}
