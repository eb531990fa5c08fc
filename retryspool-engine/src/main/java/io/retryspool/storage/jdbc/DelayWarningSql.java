package io.retryspool.storage.jdbc;

import io.retryspool.MessageMetadata;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The statement that claims delay warnings on one metadata table: it marks the oldest messages still undelivered
 * and not yet warned about ({@code delay_warned_at} set to the warning's time) and returns them, reading them
 * through the partial index {@code <table>_delay_warning}, whose predicate {@link #WARNABLE} must match. That index
 * is created by {@link #createIndex} the first time a store claims delay warnings, not by a migration: maintaining it
 * costs every enqueue and state change, and delay warnings are off by default. PostgreSQL picks the rows {@code FOR UPDATE SKIP LOCKED}, so instances claiming at once never wait for
 * each other nor return a row twice; SQLite runs the one statement under its single write lock. MariaDB/MySQL have
 * no partial indexes: there the index is on the generated column {@code delay_warnable} (the creation time of a
 * warnable row, else NULL), whose rows are locked {@code FOR UPDATE SKIP LOCKED}, then marked and read back by id.
 * Parameters: the latest overdue creation time, the limit, the warning's time.
 */
final class DelayWarningSql {

    /** The rows a delay warning may still be issued for: not warned about, INCOMING, ACTIVE, DEFERRED or HOLD. */
    static final String WARNABLE = "delay_warned_at IS NULL AND state IN (0, 1, 2, 3)";
    /** MariaDB's and MySQL's error code for an index name that is taken. */
    private static final int DUPLICATE_KEY_NAME = 1061;

    /** The statement claiming delay warnings (on MariaDB/MySQL, where a {@link RowChange} does it, null). */
    final @Nullable String claim;
    /**
     * Creates the partial index unless it exists; on PostgreSQL {@code CONCURRENTLY}, so that writers are not blocked
     * while it is built on a big table (run it outside a transaction). On MariaDB/MySQL a plain {@code CREATE INDEX}
     * (built online, writers not blocked) that {@link #createIndexOnce} runs only when the catalog lacks the index.
     */
    final String createIndex;

    private final JdbcDialect dialect;
    private final String table;
    private final String indexName;

    DelayWarningSql(String table, JdbcDialect dialect) {
        this.dialect = dialect;
        this.table = table;
        indexName = index(table);
        String overdue = "SELECT id FROM " + table + indexHint(table, dialect) + " WHERE " + WARNABLE
                + " AND created <= ? ORDER BY created LIMIT ?";
        if (dialect instanceof MariaDbDialect) {
            createIndex = "CREATE INDEX " + index(table) + " ON " + table + " (delay_warnable)";
            claim = null;
        } else {
            createIndex = "CREATE INDEX " + (dialect instanceof PostgresDialect ? "CONCURRENTLY " : "")
                    + "IF NOT EXISTS " + index(table) + " ON " + table + " (created) WHERE " + WARNABLE;
            claim = dialect instanceof PostgresDialect
                    ? "WITH picked AS (" + overdue + " FOR UPDATE SKIP LOCKED) UPDATE " + table
                            + " t SET delay_warned_at = ?"
                            + " FROM picked WHERE t.id = picked.id RETURNING t." + MetaSql.COLUMNS.replace(", ", ", t.")
                    : "WITH picked AS (" + overdue + ") UPDATE " + table + " SET delay_warned_at = ?"
                            + " WHERE id IN (SELECT id FROM picked) RETURNING " + MetaSql.COLUMNS;
        }
    }

    /**
     * Claims the delay warnings of up to {@code limit} messages created at or before {@code createdBefore}, in the
     * caller's transaction, and returns their metadata (in no particular order).
     */
    List<MessageMetadata> claim(JdbcTemplate jdbc, RowMapper<MessageMetadata> mapper, Object createdBefore, int limit,
                                Object now) {
        if (claim != null) {
            return jdbc.query(claim, mapper, createdBefore, limit, now);
        }
        return dialect.changeReturning(jdbc, claimChange(createdBefore, limit, now), mapper);
    }

    /** The claim on MariaDB/MySQL: the overdue rows of the index on {@code delay_warnable}, skipping locked ones. */
    RowChange claimChange(Object createdBefore, int limit, Object now) {
        return new RowChange(table, "delay_warned_at = ?", List.of(now), "delay_warnable <= ?",
                "ORDER BY delay_warnable LIMIT ?", true, List.of(createdBefore, limit), MetaSql.COLUMNS);
    }

    /**
     * Creates the partial index on this connection unless it exists. On PostgreSQL only the instance that gets the
     * index's advisory lock builds it ({@code CREATE INDEX CONCURRENTLY} waits for every open transaction, so two
     * instances building it at once would deadlock); another instance goes on without it and tries again on its next
     * claim. Run outside a transaction.
     *
     * @param connection a connection in auto-commit mode
     * @return true when the index exists (or was built) now; false when another instance is building it
     * @throws SQLException if the statement fails
     */
    Boolean createIndexOnce(Connection connection) throws SQLException {
        if (dialect instanceof MariaDbDialect) {
            return createIndexUnlessPresent(connection);
        }
        try (Statement statement = connection.createStatement()) {
            if (!(dialect instanceof PostgresDialect)) {
                statement.execute(createIndex);
                return true;
            }
            String key = "hashtext('" + indexName + "')";
            try (ResultSet locked = statement.executeQuery("SELECT pg_try_advisory_lock(" + key + ")")) {
                if (!locked.next() || !locked.getBoolean(1)) {
                    return false;
                }
            }
            try {
                statement.execute(createIndex);
                return true;
            } finally {
                statement.execute("SELECT pg_advisory_unlock(" + key + ")");
            }
        }
    }

    /**
     * Creates the index on MariaDB/MySQL unless the catalog lists it (MySQL has no {@code CREATE INDEX IF NOT EXISTS});
     * another instance that created it meanwhile makes the statement fail with "duplicate key name", which is success.
     */
    private boolean createIndexUnlessPresent(Connection connection) throws SQLException {
        try (PreparedStatement present = connection.prepareStatement("SELECT COUNT(*)"
                + " FROM information_schema.statistics"
                + " WHERE table_schema = DATABASE() AND table_name = ? AND index_name = ?")) {
            present.setString(1, table);
            present.setString(2, indexName);
            try (ResultSet rs = present.executeQuery()) {
                if (rs.next() && rs.getInt(1) > 0) {
                    return true;
                }
            }
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute(createIndex);
        } catch (SQLException e) {
            if (e.getErrorCode() != DUPLICATE_KEY_NAME) {
                throw e;
            }
        }
        return true;
    }

    /** The partial index's name on a metadata table. */
    static String index(String table) {
        return table + "_delay_warning";
    }

    /** SQLite is told the index: without table statistics its planner may otherwise pick the state index. */
    private static String indexHint(String table, JdbcDialect dialect) {
        return dialect instanceof SqliteDialect ? " INDEXED BY " + index(table) : "";
    }
}
