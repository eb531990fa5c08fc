package io.retryspool.benchmarks;

import io.retryspool.storage.jdbc.JdbcTables;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Fills the console scenario's table with set-based SQL ({@code INSERT ... SELECT ... FROM generate_series}), a
 * million rows per statement, into {@value JdbcTables#DEFAULT_META_TABLE} as the spool's own migrations created it,
 * then runs {@code VACUUM (ANALYZE)} on it. Filling through the spool's API would take far longer at ten million rows.
 *
 * <p>The rows look like a spool's: ids in the layout of the spool's time-ordered UUIDs (the creation time's
 * milliseconds first, then a number unique to the row, so the same fill always gives the same ids), headers
 * {@code {"tenant":"t0".."t99","type":"invoice"|...}} as the spool writes them, priority 5 for 90% of the rows (8 and
 * 2 for the rest), size 0 and no body ({@code retryspool_data} stays empty: none of the measured requests reads a
 * body). ARCHIVED rows were created over the last 30 days and archived as {@code DELIVERED} seconds later, 90% at the
 * first attempt. DEFERRED rows were created over the last 2 days, have made 1 to 9 attempts, failed with errors such
 * as {@code connection refused: host h17}, and are due from 10 minutes before to 60 minutes after the fill (about a
 * seventh were due when it ended). Young rows are denser than old ones, so every age bucket of the backlog holds
 * DEFERRED rows.
 */
final class ConsoleFill {

    /** Rows per INSERT statement. */
    static final int CHUNK = 1_000_000;

    static final String TABLE = JdbcTables.DEFAULT_META_TABLE;

    private static final long ARCHIVED_SPAN_SECONDS = 30L * 24 * 3600;
    private static final long DEFERRED_SPAN_SECONDS = 2L * 24 * 3600;

    private static final String COLUMNS = "id, state, attempts, max_attempts, next_retry, created, updated, last_error, "
            + "size, priority, headers, archived_as";

    /** An id in the spool's UUID layout from the creation time ({@code h}, hex ms), a hash {@code r} and {@code n}. */
    private static final String ID = "substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-7' || substr(r, 1, 3) || '-' "
            + "|| substr('89ab', (1 + n % 4)::int, 1) || substr(r, 4, 3) || '-' || lpad(to_hex(n), 12, '0')";

    private static final String PRIORITY = "CASE i % 20 WHEN 0 THEN 8 WHEN 1 THEN 2 ELSE 5 END";

    private static final String HEADERS = "CAST('{\"tenant\":\"t' || i % 100 || '\",\"type\":\"' || "
            + "(ARRAY['invoice', 'receipt', 'reminder', 'notice'])[(1 + (i / 100) % 4)::int] || '\"}' AS json)";

    private static final String ERROR = "(ARRAY['connection refused: host h', 'read timed out after 30 s: host h', "
            + "'HTTP 503 Service Unavailable from host h'])[(1 + i % 3)::int] || i % 50";

    private ConsoleFill() {
    }

    /**
     * Inserts the rows and analyses the table.
     *
     * @param dataSource connections on the schema; autocommit
     * @param archived ARCHIVED rows
     * @param deferred DEFERRED rows
     * @param fillTime the "now" the rows' times are relative to
     * @param progress receives a line after each statement
     * @throws SQLException if a statement fails
     */
    static void fill(DataSource dataSource, int archived, int deferred, Instant fillTime, Consumer<String> progress)
            throws SQLException {
        long start = System.nanoTime();
        try (Connection connection = dataSource.getConnection()) {
            String archivedRows = "INSERT INTO " + TABLE + " (" + COLUMNS + ") SELECT " + ID + ", 5, "
                    + "CASE WHEN i % 10 = 0 THEN (2 + i % 3)::int ELSE 1 END, 10, created, created, "
                    + "created + make_interval(secs => 1 + i % 30), NULL, 0, " + PRIORITY + ", " + HEADERS
                    + ", 'DELIVERED' FROM " + rows(ARCHIVED_SPAN_SECONDS);
            String deferredRows = "INSERT INTO " + TABLE + " (" + COLUMNS + ") SELECT " + ID + ", 2, "
                    + "(1 + i % 9)::int, 10, fill_time + make_interval(secs => (i * 7919) % 4200 - 600), created, "
                    + "created + (fill_time - created) / 2, " + ERROR + ", 0, " + PRIORITY + ", " + HEADERS
                    + ", NULL FROM " + rows(DEFERRED_SPAN_SECONDS);
            insert(connection, archivedRows, "ARCHIVED", 0, archived, fillTime, progress, start);
            insert(connection, deferredRows, "DEFERRED", archived, deferred, fillTime, progress, start);
            try (Statement statement = connection.createStatement()) {
                statement.execute("VACUUM (ANALYZE) " + TABLE);
            }
            progress.accept(String.format(Locale.ROOT, "VACUUM (ANALYZE) done (%.1f s)", seconds(start)));
        }
    }

    /**
     * The rows of one state, numbered {@code i} from 1 in creation order, {@code n} = {@code i} plus the rows of the
     * states filled before (unique across the table), created over the {@code span} before the fill time. The age of
     * a row is the span times the square of its rank from the youngest over the count, so that the young ages are
     * dense, as in a backlog that deliveries thin out with age. Parameters: the rows before, the state's row count
     * (twice), the fill time, the first and last {@code i}.
     */
    private static String rows(long spanSeconds) {
        return "(SELECT i, n, fill_time, created, lpad(to_hex(floor(extract(epoch FROM created) * 1000)::bigint), 12, "
                + "'0') AS h, md5(n::text) AS r FROM (SELECT i, ? + i AS n, fill_time, fill_time - make_interval(secs => "
                + spanSeconds + " * power((? - i + 1)::float8 / ?, 2)) AS created FROM (SELECT CAST(? AS timestamptz) "
                + "AS fill_time) AS fill, generate_series(CAST(? AS bigint), CAST(? AS bigint)) AS i) AS numbered) AS keyed";
    }

    private static void insert(Connection connection, String sql, String state, long before, int count,
            Instant fillTime, Consumer<String> progress, long start) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            for (long first = 1; first <= count; first += CHUNK) {
                long last = Math.min(count, first + CHUNK - 1);
                insert.setLong(1, before);
                insert.setLong(2, count);
                insert.setLong(3, count);
                insert.setObject(4, OffsetDateTime.ofInstant(fillTime, ZoneOffset.UTC));
                insert.setLong(5, first);
                insert.setLong(6, last);
                insert.executeUpdate();
                progress.accept(String.format(Locale.ROOT, "%s: %,d of %,d rows (%.1f s)", state, last, count,
                        seconds(start)));
            }
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
