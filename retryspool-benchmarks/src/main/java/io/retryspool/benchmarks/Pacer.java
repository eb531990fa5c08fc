package io.retryspool.benchmarks;

import java.util.concurrent.locks.LockSupport;

/**
 * Paces a loop at a fixed rate against a fixed schedule: the i-th send is due at {@code start + i / rate}.
 * It parks until shortly before a send is due and spins the rest, so sends leave within microseconds of their
 * time. A loop that falls behind sends at once until it has caught up, so the offered load over the run stays
 * the one asked for (no coordinated omission from slowing down).
 */
final class Pacer {

    private static final long SPIN_NANOS = 100_000;

    private final long startNanos;
    private final double intervalNanos;
    private long sent;

    Pacer(double ratePerSecond, long startNanos) {
        if (!(ratePerSecond > 0)) {
            throw new IllegalArgumentException("ratePerSecond: must be positive, got " + ratePerSecond);
        }
        this.intervalNanos = 1e9 / ratePerSecond;
        this.startNanos = startNanos;
    }

    /** When the next send is due, on the {@link System#nanoTime()} scale. */
    long nextDueNanos() {
        return startNanos + Math.round(sent * intervalNanos);
    }

    /** Waits until the next send is due and counts it. */
    void awaitNext() {
        long due = nextDueNanos();
        long now;
        while ((now = System.nanoTime()) - due < 0) {
            long left = due - now;
            if (left > 2 * SPIN_NANOS) {
                LockSupport.parkNanos(left - SPIN_NANOS);
            } else {
                Thread.onSpinWait();
            }
        }
        sent++;
    }
}
