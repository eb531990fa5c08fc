package io.retryspool.benchmarks;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PacerTests {

    @Test
    void sendsAreDueOnAFixedScheduleFromTheStart() {
        long start = System.nanoTime() - 1_000_000_000L;
        Pacer pacer = new Pacer(1_000, start);

        assertThat(pacer.nextDueNanos()).isEqualTo(start);
        for (int i = 0; i < 3; i++) {
            pacer.awaitNext();
        }

        assertThat(pacer.nextDueNanos()).isEqualTo(start + 3_000_000);
    }

    @Test
    void aLoopThatFellBehindSendsAtOnceUntilItCaughtUp() {
        Pacer pacer = new Pacer(1_000, System.nanoTime() - 50_000_000L);
        long before = System.nanoTime();

        for (int i = 0; i < 40; i++) {
            pacer.awaitNext();
        }

        assertThat(System.nanoTime() - before).isLessThan(30_000_000L);
    }

    @Test
    void aRateMustBePositive() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Pacer(0, 0)).withMessageContaining("ratePerSecond");
    }
}
