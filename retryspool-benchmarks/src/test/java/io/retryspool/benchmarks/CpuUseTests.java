package io.retryspool.benchmarks;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

class CpuUseTests {

    @Test
    void theCostIsGivenPerOperationWithTheMachinesBusyAndStolenShares() {
        CpuUse use = new CpuUse(0.5, 1.0, new CpuUse.MachineTime(1.5, 0.4, 0.1));

        assertThat(use.describe(100_000, "message"))
                .isEqualTo("CPU per message: JVM 5.0 µs, PostgreSQL 10.0 µs; processors 75% busy, 5% stolen");
        assertThat(use.busyShare()).isEqualTo(0.75);
    }

    @Test
    void whatCouldNotBeReadIsNamedInsteadOfGuessed() {
        CpuUse use = new CpuUse(0.02, null, null);

        assertThat(use.describe(1_000, "enqueue")).isEqualTo("CPU per enqueue: JVM 20.0 µs, PostgreSQL not seen on "
                + "this machine; processors unknown (no /proc/stat)");
        assertThat(use.busyShare()).isZero();
    }

    @Test
    void aReadingCountsTheCpuTimeThisJvmSpentAfterIt() {
        CpuUse.Reading reading = CpuUse.read();
        long spinUntil = System.nanoTime() + 300_000_000L;
        long sum = 0;
        while (System.nanoTime() < spinUntil) {
            sum += Long.numberOfTrailingZeros(sum + System.nanoTime());
        }
        CpuUse use = reading.since();

        assertThat(sum).isPositive();
        assertThat(use.jvmSeconds()).isGreaterThan(0.2);
        assumeThat(System.getProperty("os.name")).as("/proc is read on Linux only").isEqualTo("Linux");
        assertThat(use.machine()).isNotNull();
        assertThat(use.machine().busy()).isGreaterThan(0.2);
    }
}
