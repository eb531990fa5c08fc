package io.retryspool.retry;

import io.retryspool.handler.PermanentException;
import io.retryspool.checks.Arguments;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The same wait after every failed attempt, optionally with its own maximum number of attempts.
 * Immutable.
 */
public final class FixedRetryPolicy implements RetryPolicy {

    private final Duration interval;
    private final @Nullable Integer maxAttempts;

    private FixedRetryPolicy(Duration interval, @Nullable Integer maxAttempts) {
        this.interval = interval;
        this.maxAttempts = maxAttempts;
    }

    /**
     * Returns a policy that always waits this long.
     *
     * @param interval a positive wait
     * @return the policy
     */
    public static FixedRetryPolicy of(Duration interval) {
        return new FixedRetryPolicy(Arguments.requirePositive("interval", interval), null);
    }

    /**
     * Returns a copy that allows this many attempts whatever the message's own maximum says.
     *
     * @param maxAttempts at least 1
     * @return the changed copy
     */
    public FixedRetryPolicy withMaxAttempts(int maxAttempts) {
        return new FixedRetryPolicy(interval, Arguments.requirePositive("maxAttempts", maxAttempts));
    }

    /**
     * Returns the wait.
     *
     * @return the interval
     */
    public Duration interval() {
        return interval;
    }

    @Override
    public Instant nextRetry(int attempts, Throwable error, Instant now) {
        return now.plus(interval);
    }

    @Override
    public boolean shouldRetry(int attempts, int maxAttempts, Throwable error) {
        int limit = this.maxAttempts != null ? this.maxAttempts : maxAttempts;
        return !(error instanceof PermanentException) && attempts < limit;
    }

    @Override
    public String toString() {
        return "FixedRetryPolicy[" + interval + (maxAttempts != null ? ", maxAttempts " + maxAttempts : "") + "]";
    }
}
