package io.retryspool.benchmarks;

import io.retryspool.storage.jdbc.JdbcTables;
import io.retryspool.storage.jdbc.RetrySpoolSchema;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The console scenario's table: ARCHIVED and DEFERRED rows ({@link ConsoleFill}) in a schema whose tables the spool's
 * own migrations created ({@link RetrySpoolSchema#migrate}). A data set of at least {@value #KEEP_FROM_ROWS} rows takes
 * up to minutes to fill, so it lives in a schema named after its counts ({@code bench_console_<archived>_<deferred>})
 * that the run does not drop, with a marker table recording what was filled, by which fill format, at which migration
 * version and when. The next run reuses it when the marker matches, the migrations had nothing to apply, the fill is
 * less than {@link #REUSE_FOR} old and no row has left ARCHIVED or DEFERRED; otherwise it empties the schema and fills
 * it again. Smaller data sets go in a throwaway schema, dropped when this is closed.
 */
final class ConsoleDataset implements AutoCloseable {

    /** Data sets of at least this many rows are kept for the next run. */
    static final long KEEP_FROM_ROWS = 1_000_000;

    /**
     * How long a kept data set is reused: the DEFERRED rows' ages grow with it, and the backlog's younger buckets
     * empty out.
     */
    static final Duration REUSE_FOR = Duration.ofDays(1);

    /** Changes whenever {@link ConsoleFill} fills differently, so that older data is not reused. */
    static final int FILL_FORMAT = 1;

    private static final String MARKER = "bench_console_fill";
    private static final String HISTORY = JdbcTables.defaults().historyTable();

    private final PostgresSchemas.Schema schema;
    private final DataSource dataSource;
    private final int archived;
    private final int deferred;
    private final String origin;

    private ConsoleDataset(PostgresSchemas.Schema schema, DataSource dataSource, int archived, int deferred,
            String origin) {
        this.schema = schema;
        this.dataSource = dataSource;
        this.archived = archived;
        this.deferred = deferred;
        this.origin = origin;
    }

    /**
     * Reuses or fills the data set of these counts.
     *
     * @param context the run, for its PostgreSQL and its console
     * @param archived ARCHIVED rows
     * @param deferred DEFERRED rows
     * @return the data set; close it when done
     * @throws SQLException if the database fails
     */
    static ConsoleDataset prepare(BenchmarkContext context, int archived, int deferred) throws SQLException {
        return prepare(context, archived, deferred, (long) archived + deferred >= KEEP_FROM_ROWS);
    }

    /**
     * Reuses or fills the data set of these counts, kept or not as asked.
     *
     * @param context the run, for its PostgreSQL and its console
     * @param archived ARCHIVED rows
     * @param deferred DEFERRED rows
     * @param keep whether the data set lives in the schema named after its counts, for the next run
     * @return the data set; close it when done
     * @throws SQLException if the database fails
     */
    static ConsoleDataset prepare(BenchmarkContext context, int archived, int deferred, boolean keep)
            throws SQLException {
        PostgresSchemas.Schema schema = keep
                ? context.postgres().reusable(String.format(Locale.ROOT, "bench_console_%d_%d", archived, deferred))
                : context.newSchema();
        try {
            DataSource dataSource = schema.pool("console-data", 2);
            if (keep) {
                String refusal = whyNotReuse(dataSource, archived, deferred);
                if (refusal == null) {
                    String origin = "kept, reused: " + filledAt(dataSource);
                    context.log("reusing schema %s (%s)", schema.name(), origin);
                    return new ConsoleDataset(schema, dataSource, archived, deferred, origin);
                }
                context.log("filling schema %s: %s", schema.name(), refusal);
                schema.empty();
            }
            RetrySpoolSchema.migrate(dataSource);
            String version = migrationVersion(dataSource);
            Instant fillTime = Instant.now();
            long start = System.nanoTime();
            ConsoleFill.fill(dataSource, archived, deferred, fillTime, line -> context.log("fill: %s", line));
            double seconds = (System.nanoTime() - start) / 1e9;
            if (keep) {
                writeMarker(dataSource, archived, deferred, version, fillTime, seconds);
            }
            String origin = String.format(Locale.ROOT, "%s, filled in %.1f s at migration version %s",
                    keep ? "kept for the next run" : "throwaway, dropped at the end", seconds, version);
            context.log("filled %,d ARCHIVED + %,d DEFERRED rows into schema %s (%s)", archived, deferred,
                    schema.name(), origin);
            return new ConsoleDataset(schema, dataSource, archived, deferred, origin);
        } catch (SQLException | RuntimeException e) {
            schema.close();
            throw e;
        }
    }

    /** A JDBC URL whose connections use the data set's schema. */
    String jdbcUrl() {
        return schema.jdbcUrl();
    }

    /** ARCHIVED rows. */
    int archived() {
        return archived;
    }

    /** DEFERRED rows. */
    int deferred() {
        return deferred;
    }

    /** The counts, the schema and whether the data was filled now or reused, in words. */
    String describe() {
        return String.format(Locale.ROOT, "%,d ARCHIVED + %,d DEFERRED rows without bodies in schema %s (%s)",
                archived, deferred, schema.name(), origin);
    }

    /**
     * Checks that no row has left ARCHIVED or DEFERRED, as none may while the data set is only read; if one has, the
     * marker is removed, so that the next run fills the data set again.
     *
     * @throws IllegalStateException if a row has moved
     * @throws SQLException if the database fails
     */
    void checkUntouched() throws SQLException {
        if (moved(dataSource)) {
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("DROP TABLE IF EXISTS " + MARKER);
            }
            throw new IllegalStateException("rows of " + schema.name() + "." + ConsoleFill.TABLE + " left ARCHIVED or"
                    + " DEFERRED while only dry runs were sent; the next run fills the data set again");
        }
    }

    @Override
    public void close() {
        schema.close();
    }

    /**
     * Why the kept data set cannot be reused, or null when it can. Applies the engine's migrations when the marker
     * matches, since the spool would apply them at start-up.
     */
    private static @Nullable String whyNotReuse(DataSource dataSource, int archived, int deferred) throws SQLException {
        String version;
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            try (ResultSet exists = statement.executeQuery("SELECT to_regclass('" + MARKER + "') IS NOT NULL")) {
                exists.next();
                if (!exists.getBoolean(1)) {
                    return "no marker of a finished fill";
                }
            }
            try (ResultSet marker = statement.executeQuery("SELECT archived, deferred, migration_version, fill_format,"
                    + " filled_at FROM " + MARKER)) {
                if (!marker.next()) {
                    return "no marker of a finished fill";
                }
                if (marker.getLong("archived") != archived || marker.getLong("deferred") != deferred
                        || marker.getInt("fill_format") != FILL_FORMAT) {
                    return String.format(Locale.ROOT, "its marker says %,d ARCHIVED + %,d DEFERRED, fill format %d",
                            marker.getLong("archived"), marker.getLong("deferred"), marker.getInt("fill_format"));
                }
                Duration age = Duration.between(marker.getObject("filled_at", OffsetDateTime.class).toInstant(),
                        Instant.now());
                if (age.compareTo(REUSE_FOR) > 0) {
                    return String.format(Locale.ROOT, "filled %.1f h ago, more than %d h", age.toMinutes() / 60.0,
                            REUSE_FOR.toHours());
                }
                version = marker.getString("migration_version");
            }
        }
        int applied = RetrySpoolSchema.migrate(dataSource);
        String current = migrationVersion(dataSource);
        if (applied > 0 || !version.equals(current)) {
            return "filled at migration version " + version + ", the schema is at version " + current + " now ("
                    + applied + " migration(s) applied just now)";
        }
        return moved(dataSource) ? "rows have left ARCHIVED or DEFERRED" : null;
    }

    /** Whether a row is in a state other than ARCHIVED and DEFERRED (read through the index on the state). */
    private static boolean moved(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet moved = statement.executeQuery("SELECT EXISTS (SELECT 1 FROM " + ConsoleFill.TABLE
                        + " WHERE state IN (0, 1, 3, 4))")) {
            moved.next();
            return moved.getBoolean(1);
        }
    }

    private static String filledAt(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet marker = statement.executeQuery("SELECT filled_at, fill_seconds FROM " + MARKER)) {
            marker.next();
            Instant filledAt = marker.getObject("filled_at", OffsetDateTime.class).toInstant();
            return String.format(Locale.ROOT, "filled at %s, %.1f h ago, in %.1f s", filledAt,
                    Duration.between(filledAt, Instant.now()).toMinutes() / 60.0, marker.getDouble("fill_seconds"));
        }
    }

    private static String migrationVersion(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet version = statement.executeQuery("SELECT version FROM " + HISTORY
                        + " WHERE success AND version IS NOT NULL ORDER BY installed_rank DESC LIMIT 1")) {
            return version.next() ? version.getString(1) : "none";
        }
    }

    private static void writeMarker(DataSource dataSource, int archived, int deferred, String version,
            Instant fillTime, double seconds) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE " + MARKER + " (archived BIGINT NOT NULL, deferred BIGINT NOT NULL, "
                        + "migration_version TEXT NOT NULL, fill_format INTEGER NOT NULL, filled_at TIMESTAMPTZ NOT NULL,"
                        + " fill_seconds DOUBLE PRECISION NOT NULL)");
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + MARKER
                    + " (archived, deferred, migration_version, fill_format, filled_at, fill_seconds)"
                    + " VALUES (?, ?, ?, ?, ?, ?)")) {
                insert.setLong(1, archived);
                insert.setLong(2, deferred);
                insert.setString(3, version);
                insert.setInt(4, FILL_FORMAT);
                insert.setObject(5, OffsetDateTime.ofInstant(fillTime, ZoneOffset.UTC));
                insert.setDouble(6, seconds);
                insert.executeUpdate();
            }
        }
    }
}
