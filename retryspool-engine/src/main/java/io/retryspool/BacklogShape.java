package io.retryspool;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The shape of the backlog, as Postfix's {@code qshape} shows it: how many messages each queue state holds, split
 * by age into buckets. A message's age is the time since it was enqueued ({@link MessageMetadata#created()}),
 * measured at {@link #takenAt()}. A spike in the young buckets of DEFERRED is a destination failing now; messages
 * creeping into the old buckets are a destination failing for hours.
 *
 * <p>Buckets are given by their upper bounds, {@link #UPPER_BOUNDS} (5m, 10m, 20m, … 1280m), each twice the one
 * before, and a last bucket without bound. Bucket {@code i} holds the messages whose age is greater than the bound
 * of bucket {@code i - 1} and at most its own bound: a message exactly 5 minutes old is in bucket 0 ("5m"), one
 * 5 minutes and a millisecond old is in bucket 1 ("10m"). Messages whose {@code created} lies after
 * {@link #takenAt()} (another instance's clock runs ahead) count as age 0, in bucket 0.
 *
 * <p>The shape covers the queue, {@link #STATES}: INCOMING, ACTIVE, DEFERRED, HOLD and BOUNCE. ARCHIVED is left
 * out: it is the archive, not backlog, and it may hold millions of rows that counting by age would have to read
 * one by one (the queue's states are read through an index on {@code (state, created)} and stay small while the
 * spool keeps up).
 *
 * <p>A count is exact, or an estimate for a state that holds more messages than the spool counts exactly (see
 * {@link Count}): then each of its buckets is counted exactly up to a share of that limit, and the buckets beyond it
 * share the rest of the state's estimated total in proportion to how densely their youngest messages were created
 * ({@link #estimated(QueueState, int)} tells which).
 *
 * <p>Instances are immutable; {@link #builder(Instant)} makes one (stores do, in
 * {@link io.retryspool.storage.MetaStore#backlog(Instant)}).
 */
public final class BacklogShape {

    /** The upper bounds of the age buckets, in order; the last bucket, after these, has no bound. */
    public static final List<Duration> UPPER_BOUNDS = List.of(Duration.ofMinutes(5), Duration.ofMinutes(10),
            Duration.ofMinutes(20), Duration.ofMinutes(40), Duration.ofMinutes(80), Duration.ofMinutes(160),
            Duration.ofMinutes(320), Duration.ofMinutes(640), Duration.ofMinutes(1280));

    /** How many age buckets there are: one per upper bound, and the last without bound. */
    public static final int BUCKETS = UPPER_BOUNDS.size() + 1;

    /**
     * The buckets' labels, in order: each upper bound in minutes ("5m" … "1280m"), then "+Inf" for the last
     * bucket (Prometheus's name for an unbounded bucket). They are the {@code age} tag of the
     * {@code retryspool.backlog} gauge.
     */
    public static final List<String> BUCKET_LABELS = labels();

    /** The states the shape covers: every state of the queue, not ARCHIVED (see the class description). */
    public static final Set<QueueState> STATES = Collections.unmodifiableSet(
            EnumSet.of(QueueState.INCOMING, QueueState.ACTIVE, QueueState.DEFERRED, QueueState.HOLD, QueueState.BOUNCE));

    private final Instant takenAt;
    private final Map<QueueState, long[]> counts;
    private final Map<QueueState, boolean[]> estimates;

    private BacklogShape(Instant takenAt, Map<QueueState, long[]> counts, Map<QueueState, boolean[]> estimates) {
        this.takenAt = takenAt;
        this.counts = counts;
        this.estimates = estimates;
    }

    /**
     * Returns a builder for a shape taken at the given time, all counts zero.
     *
     * @param takenAt the time ages are measured at
     * @return the builder
     * @throws IllegalArgumentException if {@code takenAt} is null
     */
    public static Builder builder(Instant takenAt) {
        return new Builder(takenAt);
    }

    /**
     * Returns the bucket a message of the given age falls into.
     *
     * @param age the time since the message was created; a negative age counts as zero
     * @return the bucket's index, 0 to {@code BUCKETS - 1}
     * @throws IllegalArgumentException if {@code age} is null
     */
    public static int bucketOf(Duration age) {
        if (age == null) {
            throw new IllegalArgumentException("age: must not be null");
        }
        for (int bucket = 0; bucket < UPPER_BOUNDS.size(); bucket++) {
            if (age.compareTo(UPPER_BOUNDS.get(bucket)) <= 0) {
                return bucket;
            }
        }
        return BUCKETS - 1;
    }

    /**
     * Returns when the shape was taken: the time its ages are measured at.
     *
     * @return the time
     */
    public Instant takenAt() {
        return takenAt;
    }

    /**
     * Returns how many messages of one state fall into one age bucket.
     *
     * @param state one of {@link #STATES}
     * @param bucket the bucket's index, 0 to {@code BUCKETS - 1}
     * @return the count
     * @throws IllegalArgumentException if the state is not one of {@link #STATES} or the bucket is out of range
     */
    public long count(QueueState state, int bucket) {
        return countsOf(state)[checkBucket(bucket)];
    }

    /**
     * Returns how many messages one state holds, all ages together.
     *
     * @param state one of {@link #STATES}
     * @return the count
     * @throws IllegalArgumentException if the state is not one of {@link #STATES}
     */
    public long total(QueueState state) {
        return Arrays.stream(countsOf(state)).sum();
    }

    /**
     * Returns one state's counts, bucket by bucket.
     *
     * @param state one of {@link #STATES}
     * @return {@link #BUCKETS} counts, youngest bucket first
     * @throws IllegalArgumentException if the state is not one of {@link #STATES}
     */
    public List<Long> counts(QueueState state) {
        return Arrays.stream(countsOf(state)).boxed().toList();
    }

    /**
     * Returns whether one bucket's count is an estimate.
     *
     * @param state one of {@link #STATES}
     * @param bucket the bucket's index, 0 to {@code BUCKETS - 1}
     * @return true if {@link #count(QueueState, int)} is an estimate
     * @throws IllegalArgumentException if the state is not one of {@link #STATES} or the bucket is out of range
     */
    public boolean estimated(QueueState state, int bucket) {
        return Objects.requireNonNull(estimates.get(checkState(state)))[checkBucket(bucket)];
    }

    /**
     * Returns whether any count of the shape is an estimate.
     *
     * @return true if one is
     */
    public boolean anyEstimated() {
        for (boolean[] row : estimates.values()) {
            for (boolean estimate : row) {
                if (estimate) {
                    return true;
                }
            }
        }
        return false;
    }

    private long[] countsOf(QueueState state) {
        return Objects.requireNonNull(counts.get(checkState(state)));
    }

    /**
     * Shows the shape as a table like {@code qshape}'s: a row per state after a TOTAL row, the column {@code T}
     * with the row's total, then a column per bucket.
     */
    @Override
    public String toString() {
        String[] header = new String[BUCKETS + 2];
        header[0] = "";
        header[1] = "T";
        for (int bucket = 0; bucket < BUCKETS; bucket++) {
            header[bucket + 2] = BUCKET_LABELS.get(bucket);
        }
        long[] totals = new long[BUCKETS];
        for (long[] row : counts.values()) {
            for (int bucket = 0; bucket < BUCKETS; bucket++) {
                totals[bucket] += row[bucket];
            }
        }
        String[][] rows = new String[STATES.size() + 2][];
        rows[0] = header;
        rows[1] = row("TOTAL", totals, new boolean[BUCKETS]);
        int next = 2;
        for (QueueState state : STATES) {
            rows[next++] = row(state.name(), Objects.requireNonNull(counts.get(state)),
                    Objects.requireNonNull(estimates.get(state)));
        }
        int[] widths = new int[header.length];
        for (String[] row : rows) {
            for (int column = 0; column < row.length; column++) {
                widths[column] = Math.max(widths[column], row[column].length());
            }
        }
        StringBuilder table = new StringBuilder("BacklogShape at ").append(takenAt).append('\n');
        for (String[] row : rows) {
            table.append(String.format("%-" + widths[0] + "s", row[0]));
            for (int column = 1; column < row.length; column++) {
                table.append(' ').append(String.format("%" + widths[column] + "s", row[column]));
            }
            table.append('\n');
        }
        return table.toString();
    }

    private static String[] row(String name, long[] buckets, boolean[] estimated) {
        String[] row = new String[BUCKETS + 2];
        row[0] = name;
        boolean anyEstimated = false;
        for (int bucket = 0; bucket < BUCKETS; bucket++) {
            row[bucket + 2] = (estimated[bucket] ? "≈" : "") + buckets[bucket];
            anyEstimated |= estimated[bucket];
        }
        row[1] = (anyEstimated ? "≈" : "") + Arrays.stream(buckets).sum();
        return row;
    }

    @Override
    public boolean equals(@Nullable Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof BacklogShape that) || !takenAt.equals(that.takenAt)) {
            return false;
        }
        for (QueueState state : STATES) {
            if (!Arrays.equals(counts.get(state), that.counts.get(state))
                    || !Arrays.equals(estimates.get(state), that.estimates.get(state))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int hash = takenAt.hashCode();
        for (QueueState state : STATES) {
            hash = 31 * hash + Arrays.hashCode(counts.get(state));
            hash = 31 * hash + Arrays.hashCode(estimates.get(state));
        }
        return hash;
    }

    private static QueueState checkState(QueueState state) {
        if (state == null || !STATES.contains(state)) {
            throw new IllegalArgumentException("state: must be one of " + STATES + " (ARCHIVED is not backlog), was "
                    + state);
        }
        return state;
    }

    private static int checkBucket(int bucket) {
        if (bucket < 0 || bucket >= BUCKETS) {
            throw new IllegalArgumentException("bucket: must be between 0 and " + (BUCKETS - 1) + ", was " + bucket);
        }
        return bucket;
    }

    private static List<String> labels() {
        String[] labels = new String[BUCKETS];
        for (int bucket = 0; bucket < UPPER_BOUNDS.size(); bucket++) {
            labels[bucket] = UPPER_BOUNDS.get(bucket).toMinutes() + "m";
        }
        labels[BUCKETS - 1] = "+Inf";
        return List.of(labels);
    }

    /** Adds up a {@link BacklogShape}'s counts; not thread-safe. */
    public static final class Builder {

        private final Instant takenAt;
        private final Map<QueueState, long[]> counts = new EnumMap<>(QueueState.class);
        private final Map<QueueState, boolean[]> estimates = new EnumMap<>(QueueState.class);

        private Builder(Instant takenAt) {
            if (takenAt == null) {
                throw new IllegalArgumentException("takenAt: must not be null");
            }
            this.takenAt = takenAt;
            for (QueueState state : STATES) {
                counts.put(state, new long[BUCKETS]);
                estimates.put(state, new boolean[BUCKETS]);
            }
        }

        /**
         * Adds messages to one state's bucket.
         *
         * @param state one of {@link BacklogShape#STATES}
         * @param bucket the bucket's index, 0 to {@code BacklogShape.BUCKETS - 1}
         * @param count how many messages; not negative
         * @return this builder
         * @throws IllegalArgumentException if the state is not one of {@link BacklogShape#STATES}, the bucket is out of range
         *                                  or the count is negative
         */
        public Builder add(QueueState state, int bucket, long count) {
            long[] row = Objects.requireNonNull(counts.get(checkState(state)));
            checkBucket(bucket);
            if (count < 0) {
                throw new IllegalArgumentException("count: must not be negative, was " + count);
            }
            row[bucket] += count;
            return this;
        }

        /**
         * Adds an estimated number of messages to one state's bucket, which from then on is an estimate.
         *
         * @param state one of {@link BacklogShape#STATES}
         * @param bucket the bucket's index, 0 to {@code BacklogShape.BUCKETS - 1}
         * @param count the estimated number of messages; not negative
         * @return this builder
         * @throws IllegalArgumentException if the state is not one of {@link BacklogShape#STATES}, the bucket is out of range
         *                                  or the count is negative
         */
        public Builder addEstimate(QueueState state, int bucket, long count) {
            add(state, bucket, count);
            Objects.requireNonNull(estimates.get(state))[bucket] = true;
            return this;
        }

        /**
         * Builds the shape; the builder may go on adding for another one.
         *
         * @return the shape
         */
        public BacklogShape build() {
            Map<QueueState, long[]> copy = new EnumMap<>(QueueState.class);
            Map<QueueState, boolean[]> estimated = new EnumMap<>(QueueState.class);
            counts.forEach((state, row) -> copy.put(state, row.clone()));
            estimates.forEach((state, row) -> estimated.put(state, row.clone()));
            return new BacklogShape(takenAt, copy, estimated);
        }
    }
}
