package io.retryspool.builder;

import io.retryspool.RetrySpool;
import io.retryspool.storage.DestinationPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The builder's destination settings: defaults, what they build, and bad values refused naming the setting. */
class RetrySpoolBuilderTests {

    @Test
    void aSpoolThatSetsNothingSchedulesDestinationsByTheDefaultPolicy() {
        assertThat(RetrySpool.builder().destinationPolicy()).isEqualTo(DestinationPolicy.DEFAULTS);
        assertThat(DestinationPolicy.DEFAULTS.defaultConcurrency()).isEqualTo(20);
        assertThat(DestinationPolicy.DEFAULTS.failureThreshold()).isEqualTo(5);
        assertThat(DestinationPolicy.DEFAULTS.suspend()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void destinationSettingsBuildThePolicyTheSpoolSchedulesBy() {
        RetrySpoolBuilder builder = RetrySpool.builder()
                .destinationConcurrency(7)
                .destinationConcurrency("mx.example.com", 2)
                .destinationConcurrency("unlimited.example.com", 0)
                .destinationRate("mx.example.com", 2.5)
                .destinationFailureThreshold(3)
                .destinationSuspend(Duration.ofSeconds(30));

        assertThat(builder.destinationPolicy()).isEqualTo(new DestinationPolicy(7,
                Map.of("mx.example.com", 2, "unlimited.example.com", 0), Map.of("mx.example.com", 2.5), 3,
                Duration.ofSeconds(30)));
    }

    @Test
    void theLastSettingForADestinationWins() {
        RetrySpoolBuilder builder = RetrySpool.builder()
                .destinationConcurrency("a", 2).destinationConcurrency("a", 4)
                .destinationRate("a", 1).destinationRate("a", 0.5);

        assertThat(builder.destinationPolicy().concurrencyOf("a")).isEqualTo(4);
        assertThat(builder.destinationPolicy().rateOf("a")).hasValue(0.5);
    }

    @Test
    void zeroConcurrencyMeansNoLimit() {
        assertThat(RetrySpool.builder().destinationConcurrency(0).destinationPolicy().concurrencyOf("any"))
                .isZero();
    }

    @Test
    void badConcurrencyIsRefusedNamingTheSetting() {
        assertThatIllegalArgumentException().isThrownBy(() -> RetrySpool.builder().destinationConcurrency(-1))
                .withMessage("destinationConcurrency: must be 0 (no limit) or more, was -1");
        assertThatIllegalArgumentException().isThrownBy(() -> RetrySpool.builder().destinationConcurrency("a", -2))
                .withMessage("destinationConcurrency of a: must be 0 (no limit) or more, was -2");
    }

    @Test
    void anInstanceIdLongerThanTheLeaseOwnerColumnIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> RetrySpool.builder().instanceId("i".repeat(256)))
                .withMessage("instanceId: must have at most 255 characters, has 256");
        assertThatIllegalArgumentException().isThrownBy(() -> RetrySpool.builder().instanceId(" "))
                .withMessage("instanceId: must not be null or blank");
        RetrySpool.builder().instanceId("i".repeat(255));
    }

    @Test
    void badDestinationNamesAreRefusedNamingTheSetting() {
        assertThatIllegalArgumentException().isThrownBy(() -> RetrySpool.builder().destinationConcurrency(null, 1))
                .withMessage("destinationConcurrency: the destination's name must not be null");
        assertThatIllegalArgumentException().isThrownBy(() -> RetrySpool.builder().destinationConcurrency(" ", 1))
                .withMessage("destinationConcurrency: must not be blank");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RetrySpool.builder().destinationConcurrency("x".repeat(256), 1))
                .withMessageStartingWith("destinationConcurrency: must have at most 255 characters");
        assertThatIllegalArgumentException().isThrownBy(() -> RetrySpool.builder().destinationRate("", 1))
                .withMessage("destinationRate: must not be blank");
        assertThatIllegalArgumentException().isThrownBy(() -> RetrySpool.builder().destinationRate("a\0b", 1))
                .withMessageStartingWith("destinationRate: must not contain NUL");
        assertThatIllegalArgumentException().isThrownBy(() -> RetrySpool.builder().destinationRate(null, 1))
                .withMessage("destinationRate: the destination's name must not be null");
    }

    @Test
    void aRateMustBePositiveAndFinite() {
        for (double rate : new double[]{0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatIllegalArgumentException().isThrownBy(() -> RetrySpool.builder().destinationRate("a", rate))
                    .withMessageStartingWith("destinationRate of a: must be a positive, finite number of attempts"
                            + " per second, was ");
        }
    }

    @Test
    void theFailureThresholdIsAtLeastOneAndTheSuspensionPositive() {
        assertThatIllegalArgumentException().isThrownBy(() -> RetrySpool.builder().destinationFailureThreshold(0))
                .withMessage("destinationFailureThreshold: must be at least 1, was 0");
        assertThatIllegalArgumentException().isThrownBy(() -> RetrySpool.builder().destinationSuspend(Duration.ZERO))
                .withMessage("destinationSuspend: must be positive, was PT0S");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RetrySpool.builder().destinationSuspend(Duration.ofSeconds(-1)))
                .withMessageStartingWith("destinationSuspend: must be positive");
        assertThatIllegalArgumentException().isThrownBy(() -> RetrySpool.builder().destinationSuspend(null))
                .withMessageStartingWith("destinationSuspend:");
    }
}
