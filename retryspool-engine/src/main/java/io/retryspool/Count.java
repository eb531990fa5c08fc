package io.retryspool;

/**
 * A count that is exact, or an estimate where counting exactly would read too many rows. Stores count exactly up to
 * the spool's exact-count limit ({@code RetrySpoolBuilder#exactCountLimit}); beyond it a database that can estimate
 * (PostgreSQL, from its planner's statistics) answers with an estimate instead of reading every row. Operators see
 * an estimate as "≈".
 *
 * @param value the count, or the estimate; never negative
 * @param estimated whether {@code value} is an estimate rather than an exact count
 */
public record Count(long value, boolean estimated) {

    /** The exact count zero. */
    public static final Count ZERO = new Count(0, false);

    /**
     * Checks the value.
     *
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public Count {
        if (value < 0) {
            throw new IllegalArgumentException("value: must not be negative, was " + value);
        }
    }

    /**
     * Returns an exact count.
     *
     * @param value the count
     * @return the count
     */
    public static Count exact(long value) {
        return new Count(value, false);
    }

    /**
     * Returns an estimate.
     *
     * @param value the estimated count
     * @return the estimate
     */
    public static Count estimate(long value) {
        return new Count(value, true);
    }

    /**
     * Adds two counts; the sum is an estimate if either part is.
     *
     * @param other the count to add
     * @return the sum
     */
    public Count plus(Count other) {
        return new Count(value + other.value, estimated || other.estimated);
    }

    /** The value, prefixed with "≈" when it is an estimate. */
    @Override
    public String toString() {
        return (estimated ? "≈" : "") + value;
    }
}
