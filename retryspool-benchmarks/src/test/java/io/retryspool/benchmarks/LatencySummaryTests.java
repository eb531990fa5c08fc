package io.retryspool.benchmarks;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class LatencySummaryTests {

    @Test
    void percentilesOfOneToHundredAreTheNearestRanks() {
        long[] samples = new long[100];
        for (int i = 0; i < samples.length; i++) {
            samples[samples.length - 1 - i] = (i + 1) * 1_000_000L;
        }

        LatencySummary summary = LatencySummary.of(samples);

        assertThat(summary.count()).isEqualTo(100);
        assertThat(summary.p50Millis()).isEqualTo(50.0);
        assertThat(summary.p99Millis()).isEqualTo(99.0);
        assertThat(summary.maxMillis()).isEqualTo(100.0);
    }

    @Test
    void aSingleSampleIsEveryPercentile() {
        LatencySummary summary = LatencySummary.of(new long[] {2_500_000});

        assertThat(summary.p50Nanos()).isEqualTo(2_500_000);
        assertThat(summary.p99Nanos()).isEqualTo(2_500_000);
        assertThat(summary.maxNanos()).isEqualTo(2_500_000);
    }

    @Test
    void p99OfFewSamplesIsTheLargestAndTheMedianRoundsUp() {
        LatencySummary summary = LatencySummary.of(new long[] {30, 10, 20});

        assertThat(summary.p50Nanos()).isEqualTo(20);
        assertThat(summary.p99Nanos()).isEqualTo(30);
    }

    @Test
    void anOutlierAboveTheLastPercentMovesOnlyTheMax() {
        long[] samples = new long[1000];
        java.util.Arrays.fill(samples, 1_000_000);
        samples[0] = 900_000_000;

        LatencySummary summary = LatencySummary.of(samples);

        assertThat(summary.p99Millis()).isEqualTo(1.0);
        assertThat(summary.maxMillis()).isEqualTo(900.0);
    }

    @Test
    void theSamplesAreNotReordered() {
        long[] samples = {3, 1, 2};

        LatencySummary.of(samples);

        assertThat(samples).containsExactly(3, 1, 2);
    }

    @Test
    void noSamplesIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> LatencySummary.of(new long[0]))
                .withMessageContaining("samplesNanos");
    }
}
