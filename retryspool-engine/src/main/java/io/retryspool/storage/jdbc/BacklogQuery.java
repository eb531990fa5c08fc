package io.retryspool.storage.jdbc;

import io.retryspool.BacklogShape;
import io.retryspool.QueueState;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.util.stream.Collectors;

/**
 * The backlog shape's one statement: the rows of the queue's states counted by state and age bucket. The bucket
 * boundaries are creation times computed in Java from one {@code now} and bound as parameters (no date arithmetic in
 * SQL, the same on every dialect's time type); the {@code state IN (…)} condition lets the index on
 * {@code (state, created, id)} serve the count without reading ARCHIVED rows.
 */
final class BacklogQuery {

    private BacklogQuery() {
    }

    /**
     * The statement for a table; its parameters are {@link #arguments}. A row of age at most a bucket's upper bound
     * was created at or after {@code now} minus that bound, so each {@code WHEN} takes the youngest bucket whose lower
     * creation time the row reaches.
     */
    static String statement(String table) {
        StringBuilder bucket = new StringBuilder("CASE");
        for (int index = 0; index < BacklogShape.UPPER_BOUNDS.size(); index++) {
            bucket.append(" WHEN created >= ? THEN ").append(index);
        }
        bucket.append(" ELSE ").append(BacklogShape.BUCKETS - 1).append(" END");
        String states = BacklogShape.STATES.stream().map(state -> Integer.toString(state.code()))
                .collect(Collectors.joining(", "));
        return "SELECT state, " + bucket + " AS bucket, COUNT(*) AS n FROM " + table
                + " WHERE state IN (" + states + ") GROUP BY state, bucket";
    }

    /** The parameters of {@link #statement}: the earliest creation time of each bounded bucket, youngest first. */
    static Object[] arguments(JdbcDialect dialect, Instant now) {
        return BacklogShape.UPPER_BOUNDS.stream().map(bound -> dialect.time(now.minus(bound))).toArray();
    }

    /** Runs the statement and gathers its rows into a shape taken at {@code now}. */
    static BacklogShape read(JdbcTemplate jdbc, String table, JdbcDialect dialect, Instant now) {
        BacklogShape.Builder shape = BacklogShape.builder(now);
        jdbc.query(statement(table), rs -> {
            shape.add(QueueState.fromCode(rs.getInt("state")), rs.getInt("bucket"), rs.getLong("n"));
        }, arguments(dialect, now));
        return shape.build();
    }
}
