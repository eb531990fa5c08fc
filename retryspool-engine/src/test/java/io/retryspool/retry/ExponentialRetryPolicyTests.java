package io.retryspool.retry;

import io.retryspool.handler.PermanentException;
import io.retryspool.handler.RetryableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ExponentialRetryPolicyTests {

    private static final Instant NOW = Instant.parse("2024-03-01T10:00:00Z");
    private static final Exception FAILURE = new IOException("connection refused");

    @Test
    void defaultsArePostfixLike() {
        assertThat(ExponentialRetryPolicy.defaults().intervals()).containsExactly(
                Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(2),
                Duration.ofHours(4), Duration.ofHours(8), Duration.ofHours(16), Duration.ofHours(24));
    }

    @Test
    void defaultsHaveNoJitterAndNoOwnMaximum() {
        ExponentialRetryPolicy policy = ExponentialRetryPolicy.defaults();

        assertThat(policy.jitter()).isZero();
        assertThat(policy.maxAttempts()).isNull();
    }

    @ParameterizedTest
    @CsvSource({
            "1, PT15M",
            "2, PT30M",
            "3, PT1H",
            "4, PT2H",
            "5, PT4H",
            "6, PT8H",
            "7, PT16H",
            "8, PT24H"})
    void attemptNWaitsTheNthInterval(int attempts, Duration expected) {
        ExponentialRetryPolicy policy = ExponentialRetryPolicy.defaults();

        assertThat(policy.intervalAfter(attempts)).isEqualTo(expected);
        assertThat(policy.nextRetry(attempts, FAILURE, NOW)).isEqualTo(NOW.plus(expected));
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 9, 20, 1000, Integer.MAX_VALUE})
    void theLastIntervalRepeatsOnceTheLadderIsClimbed(int attempts) {
        ExponentialRetryPolicy policy = ExponentialRetryPolicy.defaults();

        assertThat(policy.nextRetry(attempts, FAILURE, NOW)).isEqualTo(NOW.plus(Duration.ofHours(24)));
    }

    @Test
    void attemptsBelowOneCountAsTheFirst() {
        ExponentialRetryPolicy policy = ExponentialRetryPolicy.defaults();

        assertThat(policy.nextRetry(0, FAILURE, NOW)).isEqualTo(NOW.plus(Duration.ofMinutes(15)));
        assertThat(policy.nextRetry(-3, FAILURE, NOW)).isEqualTo(NOW.plus(Duration.ofMinutes(15)));
    }

    @Test
    void nextRetryIsNowPlusTheInterval() {
        ExponentialRetryPolicy policy = ExponentialRetryPolicy.ofIntervals(Duration.ofSeconds(7), Duration.ofSeconds(11));
        Instant otherNow = Instant.parse("2030-12-31T23:59:59.123456789Z");

        assertThat(policy.nextRetry(1, FAILURE, otherNow)).isEqualTo(otherNow.plusSeconds(7));
        assertThat(policy.nextRetry(2, FAILURE, otherNow)).isEqualTo(otherNow.plusSeconds(11));
        assertThat(policy.nextRetry(3, FAILURE, otherNow)).isEqualTo(otherNow.plusSeconds(11));
    }

    @Test
    void customLadderIsKeptInOrder() {
        ExponentialRetryPolicy policy = ExponentialRetryPolicy.ofIntervals(
                List.of(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(3)));

        assertThat(policy.intervals()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(3));
        assertThat(policy.intervalAfter(2)).isEqualTo(Duration.ofSeconds(5));
    }

    // --- ofIntervals validation ---

    @Test
    void ofIntervalsWithoutIntervalsIsRejectedNamingIntervals() {
        assertThatIllegalArgumentException().isThrownBy(ExponentialRetryPolicy::ofIntervals)
                .withMessageStartingWith("intervals");
        assertThatIllegalArgumentException().isThrownBy(() -> ExponentialRetryPolicy.ofIntervals(List.of()))
                .withMessageStartingWith("intervals");
        assertThatIllegalArgumentException().isThrownBy(() -> ExponentialRetryPolicy.ofIntervals((List<Duration>) null))
                .withMessageStartingWith("intervals");
        assertThatIllegalArgumentException().isThrownBy(() -> ExponentialRetryPolicy.ofIntervals((Duration[]) null))
                .withMessageStartingWith("intervals");
    }

    @Test
    void zeroIntervalIsRejectedNamingItsIndex() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ExponentialRetryPolicy.ofIntervals(Duration.ofMinutes(1), Duration.ZERO))
                .withMessageStartingWith("intervals[1]");
    }

    @Test
    void negativeIntervalIsRejectedNamingItsIndex() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ExponentialRetryPolicy.ofIntervals(Duration.ofMinutes(-5), Duration.ofMinutes(1)))
                .withMessageStartingWith("intervals[0]");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ExponentialRetryPolicy.ofIntervals(
                        Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMillis(-1)))
                .withMessageStartingWith("intervals[2]");
    }

    @Test
    void nullIntervalInAListIsRejectedNamingItsIndex() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ExponentialRetryPolicy.ofIntervals(Arrays.asList(Duration.ofMinutes(1), null)))
                .withMessageStartingWith("intervals[1]");
    }

    @Test
    void nullIntervalInVarargsIsRejectedNamingItsIndex() {
        // DESIGN.md §3: bad arguments give IllegalArgumentException naming the argument.
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ExponentialRetryPolicy.ofIntervals(Duration.ofMinutes(1), null))
                .withMessageStartingWith("intervals[1]");
    }

    @Test
    void ofIntervalsCopiesTheGivenList() {
        List<Duration> source = new java.util.ArrayList<>(List.of(Duration.ofSeconds(1)));
        ExponentialRetryPolicy policy = ExponentialRetryPolicy.ofIntervals(source);

        source.add(Duration.ofSeconds(2));

        assertThat(policy.intervals()).containsExactly(Duration.ofSeconds(1));
    }

    // --- jitter ---

    @Test
    void jitteredWaitsStayWithinTheFractionEitherWayAndVary() {
        Duration interval = Duration.ofMinutes(10);
        double jitter = 0.1;
        ExponentialRetryPolicy policy = ExponentialRetryPolicy.ofIntervals(interval).withJitter(jitter);
        Instant lowest = NOW.plus(Duration.ofMinutes(9));
        Instant highest = NOW.plus(Duration.ofMinutes(11));
        Set<Instant> seen = new HashSet<>();

        for (int i = 0; i < 2_000; i++) {
            Instant next = policy.nextRetry(1, FAILURE, NOW);
            assertThat(next).isBetween(lowest, highest);
            seen.add(next);
        }

        assertThat(seen).hasSizeGreaterThan(1);
    }

    @Test
    void jitterAppliesToTheRepeatedLastInterval() {
        ExponentialRetryPolicy policy = ExponentialRetryPolicy.defaults().withJitter(0.5);
        Set<Instant> seen = new HashSet<>();

        for (int i = 0; i < 1_000; i++) {
            Instant next = policy.nextRetry(20, FAILURE, NOW);
            assertThat(next).isBetween(NOW.plus(Duration.ofHours(12)), NOW.plus(Duration.ofHours(36)));
            seen.add(next);
        }

        assertThat(seen).hasSizeGreaterThan(1);
    }

    @Test
    void withJitterReturnsACopyAndLeavesTheOriginalExact() {
        ExponentialRetryPolicy original = ExponentialRetryPolicy.defaults();

        ExponentialRetryPolicy jittered = original.withJitter(0.2);

        assertThat(jittered.jitter()).isEqualTo(0.2);
        assertThat(jittered.intervals()).isEqualTo(original.intervals());
        assertThat(original.jitter()).isZero();
        assertThat(original.nextRetry(1, FAILURE, NOW)).isEqualTo(NOW.plus(Duration.ofMinutes(15)));
    }

    @Test
    void zeroJitterIsAllowedAndExact() {
        ExponentialRetryPolicy policy = ExponentialRetryPolicy.defaults().withJitter(0);

        assertThat(policy.nextRetry(3, FAILURE, NOW)).isEqualTo(NOW.plus(Duration.ofHours(1)));
    }

    @ParameterizedTest
    @ValueSource(doubles = {1.0, -0.1, 1.5, Double.NaN, Double.POSITIVE_INFINITY})
    void jitterOutsideZeroToOneIsRejectedNamingJitter(double fraction) {
        assertThatIllegalArgumentException().isThrownBy(() -> ExponentialRetryPolicy.defaults().withJitter(fraction))
                .withMessageStartingWith("jitter");
    }

    // --- shouldRetry ---

    @Test
    void retriesWhileAttemptsAreBelowTheMaximum() {
        ExponentialRetryPolicy policy = ExponentialRetryPolicy.defaults();

        assertThat(policy.shouldRetry(1, 3, FAILURE)).isTrue();
        assertThat(policy.shouldRetry(2, 3, FAILURE)).isTrue();
    }

    @Test
    void doesNotRetryOnceAttemptsReachTheMaximum() {
        ExponentialRetryPolicy policy = ExponentialRetryPolicy.defaults();

        assertThat(policy.shouldRetry(3, 3, FAILURE)).isFalse();
        assertThat(policy.shouldRetry(4, 3, FAILURE)).isFalse();
    }

    @Test
    void doesNotRetryAPermanentException() {
        ExponentialRetryPolicy policy = ExponentialRetryPolicy.defaults();

        assertThat(policy.shouldRetry(1, 10, new PermanentException("bad address"))).isFalse();
    }

    @Test
    void retriesARetryableException() {
        assertThat(ExponentialRetryPolicy.defaults().shouldRetry(1, 10, new RetryableException("later"))).isTrue();
    }

    @Test
    void withMaxAttemptsOverridesTheMessagesMaximum() {
        ExponentialRetryPolicy policy = ExponentialRetryPolicy.defaults().withMaxAttempts(2);

        assertThat(policy.maxAttempts()).isEqualTo(2);
        assertThat(policy.shouldRetry(1, 10, FAILURE)).isTrue();
        assertThat(policy.shouldRetry(2, 10, FAILURE)).isFalse();
    }

    @Test
    void aHigherPolicyMaximumAllowsMoreAttemptsThanTheMessagesMaximum() {
        ExponentialRetryPolicy policy = ExponentialRetryPolicy.defaults().withMaxAttempts(6);

        assertThat(policy.shouldRetry(5, 3, FAILURE)).isTrue();
        assertThat(policy.shouldRetry(6, 3, FAILURE)).isFalse();
    }

    @Test
    void withMaxAttemptsStillBouncesPermanentExceptions() {
        assertThat(ExponentialRetryPolicy.defaults().withMaxAttempts(100)
                .shouldRetry(1, 100, new PermanentException("no"))).isFalse();
    }

    @Test
    void withMaxAttemptsKeepsLadderAndJitter() {
        ExponentialRetryPolicy policy = ExponentialRetryPolicy.ofIntervals(Duration.ofSeconds(3)).withJitter(0.25)
                .withMaxAttempts(4);

        assertThat(policy.intervals()).containsExactly(Duration.ofSeconds(3));
        assertThat(policy.jitter()).isEqualTo(0.25);
        assertThat(policy.withJitter(0.1).maxAttempts()).isEqualTo(4);
    }

    @Test
    void withMaxAttemptsBelowOneIsRejectedNamingMaxAttempts() {
        assertThatIllegalArgumentException().isThrownBy(() -> ExponentialRetryPolicy.defaults().withMaxAttempts(0))
                .withMessageStartingWith("maxAttempts");
    }
}
