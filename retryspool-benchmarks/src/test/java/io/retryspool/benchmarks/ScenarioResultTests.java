package io.retryspool.benchmarks;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which rows count as failed, so that the run's exit status says so. */
class ScenarioResultTests {

    @Test
    void onlyARowThatCouldNotBeMeasuredIsFailed() {
        ScenarioResult failed = ScenarioResult.failed("console: health", "<= 300 ms", "answered 503");
        ScenarioResult missed = ScenarioResult.of("console: health", "ms max", 412.0).withTarget("<= 300 ms", false)
                .withNote("FAILED: a note that only looks like a failure");

        assertThat(failed.isFailed()).isTrue();
        assertThat(failed.met()).isFalse();
        assertThat(failed.notes()).containsExactly("FAILED: answered 503");
        assertThat(missed.isFailed()).isFalse();
    }
}
