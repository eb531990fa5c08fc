package io.retryspool.retry;

import io.retryspool.handler.PermanentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class FixedRetryPolicyTests {

    private static final Instant NOW = Instant.parse("2024-03-01T10:00:00Z");
    private static final Exception FAILURE = new IOException("timeout");

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 8, 9, 20, 1000})
    void everyAttemptWaitsTheSameInterval(int attempts) {
        FixedRetryPolicy policy = FixedRetryPolicy.of(Duration.ofMinutes(5));

        assertThat(policy.nextRetry(attempts, FAILURE, NOW)).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
    }

    @Test
    void nextRetryIsNowPlusTheInterval() {
        FixedRetryPolicy policy = FixedRetryPolicy.of(Duration.ofMillis(1500));
        Instant otherNow = Instant.parse("2031-06-15T08:30:00.000000001Z");

        assertThat(policy.interval()).isEqualTo(Duration.ofMillis(1500));
        assertThat(policy.nextRetry(1, FAILURE, otherNow)).isEqualTo(otherNow.plusMillis(1500));
    }

    @Test
    void zeroIntervalIsRejectedNamingInterval() {
        assertThatIllegalArgumentException().isThrownBy(() -> FixedRetryPolicy.of(Duration.ZERO))
                .withMessageStartingWith("interval");
    }

    @Test
    void negativeIntervalIsRejectedNamingInterval() {
        assertThatIllegalArgumentException().isThrownBy(() -> FixedRetryPolicy.of(Duration.ofSeconds(-1)))
                .withMessageStartingWith("interval");
    }

    @Test
    void nullIntervalIsRejectedNamingInterval() {
        assertThatIllegalArgumentException().isThrownBy(() -> FixedRetryPolicy.of(null))
                .withMessageStartingWith("interval");
    }

    @Test
    void retriesWhileAttemptsAreBelowTheMaximum() {
        FixedRetryPolicy policy = FixedRetryPolicy.of(Duration.ofMinutes(1));

        assertThat(policy.shouldRetry(1, 3, FAILURE)).isTrue();
        assertThat(policy.shouldRetry(2, 3, FAILURE)).isTrue();
    }

    @Test
    void doesNotRetryOnceAttemptsReachTheMaximum() {
        FixedRetryPolicy policy = FixedRetryPolicy.of(Duration.ofMinutes(1));

        assertThat(policy.shouldRetry(3, 3, FAILURE)).isFalse();
        assertThat(policy.shouldRetry(4, 3, FAILURE)).isFalse();
    }

    @Test
    void doesNotRetryAPermanentException() {
        assertThat(FixedRetryPolicy.of(Duration.ofMinutes(1)).shouldRetry(1, 10, new PermanentException("no")))
                .isFalse();
    }

    @Test
    void withMaxAttemptsOverridesTheMessagesMaximum() {
        FixedRetryPolicy policy = FixedRetryPolicy.of(Duration.ofMinutes(1)).withMaxAttempts(2);

        assertThat(policy.shouldRetry(1, 10, FAILURE)).isTrue();
        assertThat(policy.shouldRetry(2, 10, FAILURE)).isFalse();
        assertThat(policy.shouldRetry(4, 3, FAILURE)).isFalse();
    }

    @Test
    void aHigherPolicyMaximumAllowsMoreAttemptsThanTheMessagesMaximum() {
        FixedRetryPolicy policy = FixedRetryPolicy.of(Duration.ofMinutes(1)).withMaxAttempts(6);

        assertThat(policy.shouldRetry(5, 3, FAILURE)).isTrue();
        assertThat(policy.shouldRetry(6, 3, FAILURE)).isFalse();
    }

    @Test
    void withMaxAttemptsStillBouncesPermanentExceptions() {
        assertThat(FixedRetryPolicy.of(Duration.ofMinutes(1)).withMaxAttempts(50)
                .shouldRetry(1, 50, new PermanentException("no"))).isFalse();
    }

    @Test
    void withMaxAttemptsReturnsACopyKeepingTheInterval() {
        FixedRetryPolicy original = FixedRetryPolicy.of(Duration.ofMinutes(1));

        FixedRetryPolicy limited = original.withMaxAttempts(1);

        assertThat(limited.interval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(limited.shouldRetry(1, 10, FAILURE)).isFalse();
        assertThat(original.shouldRetry(1, 10, FAILURE)).isTrue();
    }

    @Test
    void withMaxAttemptsBelowOneIsRejectedNamingMaxAttempts() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> FixedRetryPolicy.of(Duration.ofMinutes(1)).withMaxAttempts(0))
                .withMessageStartingWith("maxAttempts");
    }
}
