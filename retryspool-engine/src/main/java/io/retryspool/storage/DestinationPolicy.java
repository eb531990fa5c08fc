package io.retryspool.storage;

import io.retryspool.DestinationStatus;
import io.retryspool.checks.InputLimits;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * How a spool schedules messages that have a destination, passed with each claim ({@link ClaimRequest}) and each
 * report of results ({@link MetaStore#recordDestinationResults}).
 *
 * <p><b>Concurrency:</b> at most {@link #concurrencyOf} attempts on one destination's messages run at a time, across
 * every client of the store (0: no limit). <b>Rate:</b> a destination with a rate starts at most that many attempts per
 * second on average, in bursts of at most one second's worth (and at least one attempt). <b>Suspension:</b> after
 * {@code failureThreshold} failed attempts in a row a destination is suspended for {@code suspend}; when the pause ends
 * one probe is attempted at a time; a probe that fails suspends it again for twice as long, up to
 * {@link #MAX_SUSPEND} (or {@code suspend} if longer); a success resumes it.
 *
 * @param defaultConcurrency the concurrency limit of destinations without one of their own; 0 for none
 * @param concurrency concurrency limits of named destinations; 0 for none
 * @param rates attempts per second of named destinations; destinations not named have no rate limit
 * @param failureThreshold failed attempts in a row that suspend a destination, at least 1
 * @param suspend how long the first suspension lasts, positive
 */
public record DestinationPolicy(int defaultConcurrency, Map<String, Integer> concurrency, Map<String, Double> rates,
                                int failureThreshold, Duration suspend) {

    /** The longest suspension, unless {@code suspend} itself is longer. */
    public static final Duration MAX_SUSPEND = Duration.ofHours(1);

    /** The default concurrency limit of a destination: 20 attempts at a time. */
    public static final int DEFAULT_CONCURRENCY = 20;

    /** The default number of failed attempts in a row that suspend a destination: 5. */
    public static final int DEFAULT_FAILURE_THRESHOLD = 5;

    /** The default length of a first suspension: 5 minutes. */
    public static final Duration DEFAULT_SUSPEND = Duration.ofMinutes(5);

    /** The policy of a spool that sets none: 20 at a time per destination, no rates, 5 failures suspend for 5m. */
    public static final DestinationPolicy DEFAULTS = new DestinationPolicy(DEFAULT_CONCURRENCY, Map.of(), Map.of(),
            DEFAULT_FAILURE_THRESHOLD, DEFAULT_SUSPEND);

    /** Creates a policy, checking its components. */
    public DestinationPolicy {
        requireConcurrency("defaultConcurrency", defaultConcurrency);
        concurrency = Map.copyOf(Objects.requireNonNull(concurrency, "concurrency"));
        concurrency.forEach((name, limit) -> {
            InputLimits.requireDestination("concurrency", name);
            requireConcurrency("concurrency of " + name, limit);
        });
        rates = Map.copyOf(Objects.requireNonNull(rates, "rates"));
        rates.forEach((name, rate) -> {
            InputLimits.requireDestination("rates", name);
            if (!(rate > 0) || rate.isInfinite()) {
                throw new IllegalArgumentException("rate of " + name + ": must be a positive number of attempts per"
                        + " second, was " + rate);
            }
        });
        if (failureThreshold < 1) {
            throw new IllegalArgumentException("failureThreshold: must be at least 1, was " + failureThreshold);
        }
        Objects.requireNonNull(suspend, "suspend");
        if (suspend.isNegative() || suspend.isZero()) {
            throw new IllegalArgumentException("suspend: must be positive, was " + suspend);
        }
    }

    private static void requireConcurrency(String argument, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException(argument + ": must be 0 (no limit) or more, was " + limit);
        }
    }

    /**
     * Returns a destination's concurrency limit.
     *
     * @param destination the destination
     * @return the most attempts on its messages at a time; 0 for no limit
     */
    public int concurrencyOf(String destination) {
        return concurrency.getOrDefault(destination, defaultConcurrency);
    }

    /**
     * Returns a destination's rate limit.
     *
     * @param destination the destination
     * @return attempts per second, or empty for no rate limit
     */
    public OptionalDouble rateOf(String destination) {
        Double rate = rates.get(destination);
        return rate == null ? OptionalDouble.empty() : OptionalDouble.of(rate);
    }

    /**
     * Returns how many attempts a rate-limited destination may save up: one second's worth, and at least one.
     *
     * @param rate attempts per second
     * @return the most tokens its bucket holds
     */
    public static double burstOf(double rate) {
        return Math.max(1.0, rate);
    }

    /**
     * Returns how long the {@code n}th suspension in a row lasts: {@code suspend}, doubled for each one before it, up
     * to {@link #MAX_SUSPEND} (or {@code suspend} if it is longer).
     *
     * @param n the suspension's number, from 1
     * @return its length
     */
    public Duration pauseOf(int n) {
        Duration cap = suspend.compareTo(MAX_SUSPEND) > 0 ? suspend : MAX_SUSPEND;
        Duration pause = suspend;
        for (int i = 1; i < n && pause.compareTo(cap) < 0; i++) {
            pause = pause.multipliedBy(2);
        }
        return pause.compareTo(cap) > 0 ? cap : pause;
    }

    /**
     * Returns a destination's status after one more result: a success resumes it; a failure while it is paused
     * changes nothing (the attempt started before the pause); a failed probe suspends it again, for twice as long;
     * otherwise a failure adds to its failures in a row, and the {@code failureThreshold}th suspends it.
     *
     * @param status its status before
     * @param success whether the attempt succeeded
     * @param now the time of the result
     * @return its status after
     */
    public DestinationStatus after(DestinationStatus status, boolean success, Instant now) {
        if (success) {
            return DestinationStatus.healthy(status.name());
        }
        if (status.pausedAt(now)) {
            return status;
        }
        int failures = status.failures() + 1;
        if (status.suspended() || failures >= failureThreshold) {
            int suspensions = status.suspensions() + 1;
            return new DestinationStatus(status.name(), failures, suspensions, now.plus(pauseOf(suspensions)));
        }
        return new DestinationStatus(status.name(), failures, 0, null);
    }
}
