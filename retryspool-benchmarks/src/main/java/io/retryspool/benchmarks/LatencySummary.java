package io.retryspool.benchmarks;

import java.util.Arrays;

/**
 * Percentiles of a set of latency samples, by the nearest-rank method: the p-th percentile is the smallest
 * sample that at least p percent of the samples are less than or equal to. No interpolation, so every
 * reported figure is a latency that was actually observed.
 *
 * @param count the number of samples
 * @param p50Nanos the median
 * @param p99Nanos the 99th percentile
 * @param maxNanos the largest sample
 */
public record LatencySummary(int count, long p50Nanos, long p99Nanos, long maxNanos) {

    private static final double NANOS_PER_MILLI = 1_000_000.0;

    /**
     * Summarises samples; the array is not changed.
     *
     * @param samplesNanos the samples, in nanoseconds; at least one
     * @return the summary
     * @throws IllegalArgumentException if there are no samples
     */
    public static LatencySummary of(long[] samplesNanos) {
        if (samplesNanos == null || samplesNanos.length == 0) {
            throw new IllegalArgumentException("samplesNanos: need at least one sample");
        }
        long[] sorted = samplesNanos.clone();
        Arrays.sort(sorted);
        return new LatencySummary(sorted.length, percentile(sorted, 50), percentile(sorted, 99), sorted[sorted.length - 1]);
    }

    /**
     * Returns a percentile of sorted samples by nearest rank.
     *
     * @param sorted the samples, ascending; at least one
     * @param percent between 0 (exclusive) and 100 (inclusive)
     * @return the sample at rank ceil(percent / 100 * n)
     */
    static long percentile(long[] sorted, double percent) {
        if (!(percent > 0 && percent <= 100)) {
            throw new IllegalArgumentException("percent: must be in (0, 100], got " + percent);
        }
        int rank = (int) Math.ceil(percent * sorted.length / 100.0);
        return sorted[Math.max(rank, 1) - 1];
    }

    /**
     * Returns the median in milliseconds.
     *
     * @return p50 in ms
     */
    public double p50Millis() {
        return p50Nanos / NANOS_PER_MILLI;
    }

    /**
     * Returns the 99th percentile in milliseconds.
     *
     * @return p99 in ms
     */
    public double p99Millis() {
        return p99Nanos / NANOS_PER_MILLI;
    }

    /**
     * Returns the largest sample in milliseconds.
     *
     * @return max in ms
     */
    public double maxMillis() {
        return maxNanos / NANOS_PER_MILLI;
    }
}
