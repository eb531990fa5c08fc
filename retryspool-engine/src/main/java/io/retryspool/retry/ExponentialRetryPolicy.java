package io.retryspool.retry;

import io.retryspool.handler.PermanentException;
import io.retryspool.checks.Arguments;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * A ladder of growing intervals: after the n-th failed attempt the message waits the n-th interval;
 * once the ladder is climbed, the last interval repeats. {@link #defaults()} is Postfix-like:
 * 15m, 30m, 1h, 2h, 4h, 8h, 16h, 24h, then every 24h. Optionally each wait is spread by a random
 * jitter so that messages that failed together do not retry together, and the policy may carry its
 * own maximum number of attempts. Immutable.
 */
public final class ExponentialRetryPolicy implements RetryPolicy {

    private static final List<Duration> DEFAULT_INTERVALS = List.of(
            Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(2),
            Duration.ofHours(4), Duration.ofHours(8), Duration.ofHours(16), Duration.ofHours(24));

    private final List<Duration> intervals;
    private final double jitter;
    private final @Nullable Integer maxAttempts;

    private ExponentialRetryPolicy(List<Duration> intervals, double jitter, @Nullable Integer maxAttempts) {
        this.intervals = intervals;
        this.jitter = jitter;
        this.maxAttempts = maxAttempts;
    }

    /**
     * Returns the Postfix-like default ladder: 15m, 30m, 1h, 2h, 4h, 8h, 16h, 24h, then 24h.
     *
     * @return the default policy
     */
    public static ExponentialRetryPolicy defaults() {
        return new ExponentialRetryPolicy(DEFAULT_INTERVALS, 0, null);
    }

    /**
     * Returns a policy with the given ladder.
     *
     * @param intervals one or more positive intervals; the last one repeats
     * @return the policy
     * @throws IllegalArgumentException if none is given or one is not positive
     */
    public static ExponentialRetryPolicy ofIntervals(Duration... intervals) {
        return ofIntervals(intervals == null ? null : Arrays.asList(intervals));
    }

    /**
     * Returns a policy with the given ladder.
     *
     * @param intervals one or more positive intervals; the last one repeats
     * @return the policy
     * @throws IllegalArgumentException if none is given or one is not positive
     */
    public static ExponentialRetryPolicy ofIntervals(@Nullable List<Duration> intervals) {
        if (intervals == null || intervals.isEmpty()) {
            throw new IllegalArgumentException("intervals: at least one interval is required");
        }
        for (int i = 0; i < intervals.size(); i++) {
            Arguments.requirePositive("intervals[" + i + "]", intervals.get(i));
        }
        return new ExponentialRetryPolicy(List.copyOf(intervals), 0, null);
    }

    /**
     * Returns a copy whose waits are spread randomly by up to this fraction either way
     * (0.1 turns a 10-minute wait into one between 9 and 11 minutes).
     *
     * @param fraction 0 (no jitter) up to but excluding 1
     * @return the changed copy
     */
    public ExponentialRetryPolicy withJitter(double fraction) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException("jitter: must be at least 0 and below 1, was " + fraction);
        }
        return new ExponentialRetryPolicy(intervals, fraction, maxAttempts);
    }

    /**
     * Returns a copy that allows this many attempts whatever the message's own maximum says.
     *
     * @param maxAttempts at least 1
     * @return the changed copy
     */
    public ExponentialRetryPolicy withMaxAttempts(int maxAttempts) {
        return new ExponentialRetryPolicy(intervals, jitter, Arguments.requirePositive("maxAttempts", maxAttempts));
    }

    /**
     * Returns the ladder.
     *
     * @return the intervals
     */
    public List<Duration> intervals() {
        return intervals;
    }

    /**
     * Returns the jitter fraction.
     *
     * @return 0 when waits are exact
     */
    public double jitter() {
        return jitter;
    }

    /**
     * Returns the policy's own maximum number of attempts.
     *
     * @return the maximum, or null when the message's own maximum applies
     */
    public @Nullable Integer maxAttempts() {
        return maxAttempts;
    }

    /**
     * Returns the wait before the next attempt, before jitter.
     *
     * @param attempts the attempts made so far (values below 1 count as 1)
     * @return the interval on the ladder
     */
    public Duration intervalAfter(int attempts) {
        int index = Math.min(Math.max(attempts, 1), intervals.size()) - 1;
        return intervals.get(index);
    }

    @Override
    public Instant nextRetry(int attempts, Throwable error, Instant now) {
        Duration wait = intervalAfter(attempts);
        if (jitter > 0) {
            double factor = 1 + ThreadLocalRandom.current().nextDouble(-jitter, jitter);
            wait = Duration.ofNanos((long) (wait.toNanos() * factor));
        }
        return now.plus(wait);
    }

    @Override
    public boolean shouldRetry(int attempts, int maxAttempts, Throwable error) {
        int limit = this.maxAttempts != null ? this.maxAttempts : maxAttempts;
        return !(error instanceof PermanentException) && attempts < limit;
    }

    @Override
    public String toString() {
        return "ExponentialRetryPolicy" + intervals + (jitter > 0 ? " jitter " + jitter : "")
                + (maxAttempts != null ? " maxAttempts " + maxAttempts : "");
    }
}
