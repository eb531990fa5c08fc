package io.retryspool.storage.jdbc;

import io.retryspool.BacklogShape;
import io.retryspool.Count;
import io.retryspool.QueueCounts;
import io.retryspool.QueueState;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads the backlog shape. The bucket boundaries are creation times computed in Java from one {@code now} and bound
 * as parameters (no date arithmetic in SQL, the same on every dialect's time type), and every read goes through the
 * index on {@code (state, created, id)}, never through ARCHIVED rows.
 *
 * <p>The states counted exactly ({@link LimitedCounts#byState}: within the limit) are counted by state and bucket in
 * one statement. A state beyond the limit has each bucket counted up to a share of the limit (a tenth); a bucket that
 * reaches its share is estimated: the state's estimated total, less its buckets counted exactly, is shared among such
 * buckets in proportion to their counts in a sample of the table that reads about as many rows as the limit
 * ({@link JdbcDialect#sampleOf}: on PostgreSQL {@code TABLESAMPLE SYSTEM}, whole pages at random).
 */
final class BacklogQuery {

    private final JdbcTemplate jdbc;
    private final String table;
    private final JdbcDialect dialect;
    private final LimitedCounts counts;

    BacklogQuery(JdbcTemplate jdbc, String table, JdbcDialect dialect, LimitedCounts counts) {
        this.jdbc = jdbc;
        this.table = table;
        this.dialect = dialect;
        this.counts = counts;
    }

    /**
     * The statement counting some states by bucket; its parameters are {@link #arguments}. A row of age at most a
     * bucket's upper bound was created at or after {@code now} minus that bound, so each {@code WHEN} takes the
     * youngest bucket whose lower creation time the row reaches.
     */
    static String statement(String table, List<QueueState> states) {
        StringBuilder bucket = new StringBuilder("CASE");
        for (int index = 0; index < BacklogShape.UPPER_BOUNDS.size(); index++) {
            bucket.append(" WHEN created >= ? THEN ").append(index);
        }
        bucket.append(" ELSE ").append(BacklogShape.BUCKETS - 1).append(" END");
        String codes = states.stream().map(state -> Integer.toString(state.code())).collect(Collectors.joining(", "));
        return "SELECT state, " + bucket + " AS bucket, COUNT(*) AS n FROM " + table
                + " WHERE state IN (" + codes + ") GROUP BY state, bucket";
    }

    /** The parameters of {@link #statement}: the earliest creation time of each bounded bucket, youngest first. */
    static Object[] arguments(JdbcDialect dialect, Instant now) {
        return BacklogShape.UPPER_BOUNDS.stream().map(bound -> dialect.time(now.minus(bound))).toArray();
    }

    /** Reads the shape taken at {@code now}, counting exactly up to {@code limit} messages per state. */
    BacklogShape read(Instant now, long limit) {
        BacklogShape.Builder shape = BacklogShape.builder(now);
        QueueCounts totals = counts.byState(limit);
        List<QueueState> exact = new ArrayList<>();
        List<QueueState> estimated = new ArrayList<>();
        for (QueueState state : BacklogShape.STATES) {
            (totals.get(state).estimated() ? estimated : exact).add(state);
        }
        if (!exact.isEmpty()) {
            jdbc.query(statement(table, exact), rs -> {
                shape.add(QueueState.fromCode(rs.getInt("state")), rs.getInt("bucket"), rs.getLong("n"));
            }, arguments(dialect, now));
        }
        if (!estimated.isEmpty()) {
            long rows = totals.byState().values().stream().mapToLong(Count::value).sum();
            Map<QueueState, long[]> sample = sample(estimated, now, Math.min(100, 100.0 * limit / rows));
            long share = Math.max(1, limit / BacklogShape.BUCKETS);
            for (QueueState state : estimated) {
                estimateRow(shape, state, totals.get(state).value(), readCapped(state, now, share),
                        Objects.requireNonNull(sample.get(state)),
                        share);
            }
        }
        return shape.build();
    }

    /**
     * Adds one state's buckets: those read within their share exactly, the others sharing the rest of the state's
     * estimated total in proportion to the sample's counts of them.
     */
    private static void estimateRow(BacklogShape.Builder shape, QueueState state, long total, long[] read,
                                    long[] sampled, long share) {
        long exactSum = 0;
        long sampledSum = 0;
        int capped = 0;
        for (int bucket = 0; bucket < BacklogShape.BUCKETS; bucket++) {
            if (read[bucket] <= share) {
                shape.add(state, bucket, read[bucket]);
                exactSum += read[bucket];
            } else {
                sampledSum += sampled[bucket];
                capped++;
            }
        }
        long remainder = Math.max(0, total - exactSum);
        for (int bucket = 0; bucket < BacklogShape.BUCKETS; bucket++) {
            if (read[bucket] > share) {
                double part = sampledSum > 0 ? (double) sampled[bucket] / sampledSum : 1.0 / capped;
                shape.addEstimate(state, bucket, Math.max(read[bucket], Math.round(remainder * part)));
            }
        }
    }

    /** Each bucket's count, read up to {@code share + 1}: one statement, an index range scan per bucket. */
    private long[] readCapped(QueueState state, Instant now, long share) {
        List<String> parts = new ArrayList<>();
        List<Object> args = new ArrayList<>();
        for (int bucket = 0; bucket < BacklogShape.BUCKETS; bucket++) {
            args.add(state.code());
            String range = counts.range(lowerBound(bucket, now), upperBound(bucket, now), args);
            args.add(share + 1);
            parts.add("SELECT " + bucket + " AS bucket, COUNT(*) AS n FROM (SELECT 1 FROM " + table
                    + " WHERE state = ?" + range + " LIMIT ?) b" + bucket);
        }
        long[] read = new long[BacklogShape.BUCKETS];
        jdbc.query(String.join(" UNION ALL ", parts), rs -> {
            read[rs.getInt("bucket")] = rs.getLong("n");
        }, args.toArray());
        return read;
    }

    /** The given states' rows by bucket in a sample of about {@code percent} of the table. */
    private Map<QueueState, long[]> sample(List<QueueState> states, Instant now, double percent) {
        Map<QueueState, long[]> sample = new EnumMap<>(QueueState.class);
        states.forEach(state -> sample.put(state, new long[BacklogShape.BUCKETS]));
        jdbc.query(statement(dialect.sampleOf(table, percent), states), rs -> {
            Objects.requireNonNull(sample.get(QueueState.fromCode(rs.getInt("state"))))[rs.getInt("bucket")] = rs.getLong("n");
        }, arguments(dialect, now));
        return sample;
    }

    /** The earliest creation time of a bucket's messages, or null for the last bucket. */
    private static @Nullable Instant lowerBound(int bucket, Instant now) {
        return bucket < BacklogShape.UPPER_BOUNDS.size() ? now.minus(BacklogShape.UPPER_BOUNDS.get(bucket)) : null;
    }

    /** The creation time a bucket's messages come before, or null for the first bucket (which takes the future too). */
    private static @Nullable Instant upperBound(int bucket, Instant now) {
        return bucket == 0 ? null : now.minus(BacklogShape.UPPER_BOUNDS.get(bucket - 1));
    }
}
