package io.retryspool.storage.jdbc;

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
import java.util.OptionalLong;

/**
 * Counts of the metadata table's rows whose cost is bounded by a limit: a count reads at most {@code limit + 1} rows
 * ({@code SELECT COUNT(*) FROM (SELECT 1 … LIMIT limit + 1)}, an index-only scan of the index on
 * {@code (state, created, id)}); a count that reaches the limit is the dialect's estimate instead
 * ({@link JdbcDialect#estimateRows}), never less than the rows read, or, on a database without estimates, the exact
 * count after all. {@link Long#MAX_VALUE} as the limit asks for exact counts.
 */
final class LimitedCounts {

    private final JdbcTemplate jdbc;
    private final String table;
    private final JdbcDialect dialect;

    LimitedCounts(JdbcTemplate jdbc, String table, JdbcDialect dialect) {
        this.jdbc = jdbc;
        this.table = table;
        this.dialect = dialect;
    }

    /** Counts every state's rows, in one statement while they stay within the limit. */
    QueueCounts byState(long limit) {
        Map<QueueState, Count> counts = new EnumMap<>(QueueState.class);
        if (limit == Long.MAX_VALUE) {
            for (QueueState state : QueueState.values()) {
                counts.put(state, Count.ZERO);
            }
            jdbc.query("SELECT state, COUNT(*) AS n FROM " + table + " GROUP BY state",
                    rs -> {
                        counts.put(QueueState.fromCode(rs.getInt("state")), Count.exact(rs.getLong("n")));
                    });
            return new QueueCounts(counts);
        }
        List<String> parts = new ArrayList<>();
        List<Object> args = new ArrayList<>();
        for (QueueState state : QueueState.values()) {
            parts.add("SELECT " + state.code() + " AS state, COUNT(*) AS n FROM (SELECT 1 FROM " + table
                    + " WHERE state = " + state.code() + " LIMIT ?) s" + state.code());
            args.add(limit + 1);
        }
        jdbc.query(String.join(" UNION ALL ", parts), rs -> {
            counts.put(QueueState.fromCode(rs.getInt("state")), Count.exact(rs.getLong("n")));
        }, args.toArray());
        counts.replaceAll((state, count) -> count.value() > limit
                ? beyondLimit("state = ?", List.of(state.code()), count.value()) : count);
        return new QueueCounts(counts);
    }

    /** Counts one state's rows. */
    Count inState(QueueState state, long limit) {
        return rows("state = ?", List.of(state.code()), limit);
    }

    /**
     * Counts one state's rows created in {@code [from, before)}; a null bound is open.
     */
    Count inRange(QueueState state, @Nullable Instant from, @Nullable Instant before, long limit) {
        List<Object> args = new ArrayList<>(List.of(state.code()));
        return rows("state = ?" + range(from, before, args), args, limit);
    }

    /** The conditions on {@code created} for {@code [from, before)}, each with its leading " AND ". */
    String range(@Nullable Instant from, @Nullable Instant before, List<Object> args) {
        StringBuilder sql = new StringBuilder();
        if (from != null) {
            sql.append(" AND created >= ?");
            args.add(dialect.time(from));
        }
        if (before != null) {
            sql.append(" AND created < ?");
            args.add(dialect.time(before));
        }
        return sql.toString();
    }

    /**
     * The planner's estimate of the rows meeting a condition, or empty on a database without estimates.
     */
    OptionalLong estimate(String condition, List<Object> args) {
        return dialect.estimateRows(jdbc, "SELECT 1 FROM " + table + " WHERE " + condition, args.toArray());
    }

    /** Counts the rows meeting a condition on the indexed columns, exactly up to the limit. */
    private Count rows(String condition, List<Object> args, long limit) {
        if (limit == Long.MAX_VALUE) {
            return Count.exact(exact(condition, args));
        }
        List<Object> capped = new ArrayList<>(args);
        capped.add(limit + 1);
        Long read = Objects.requireNonNull(jdbc.queryForObject("SELECT COUNT(*) FROM (SELECT 1 FROM " + table
                + " WHERE " + condition + " LIMIT ?) c", Long.class, capped.toArray()));
        return read <= limit ? Count.exact(read) : beyondLimit(condition, args, read);
    }

    private Count beyondLimit(String condition, List<Object> args, long read) {
        OptionalLong estimate = estimate(condition, args);
        return estimate.isPresent() ? Count.estimate(Math.max(read, estimate.getAsLong()))
                : Count.exact(exact(condition, args));
    }

    private long exact(String condition, List<Object> args) {
        return Objects.requireNonNull(jdbc.queryForObject("SELECT COUNT(*) FROM " + table + " WHERE " + condition,
                Long.class, args.toArray()));
    }
}
