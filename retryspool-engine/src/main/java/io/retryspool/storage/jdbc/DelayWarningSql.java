package io.retryspool.storage.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The statement that claims delay warnings on one metadata table: it marks the oldest messages still undelivered
 * and not yet warned about ({@code delay_warned_at} set to the warning's time) and returns them, reading them
 * through the partial index {@code <table>_delay_warning}, whose predicate {@link #WARNABLE} must match. That index
 * is created by {@link #createIndex} the first time a store claims delay warnings, not by a migration: maintaining it
 * costs every enqueue and state change, and delay warnings are off by default. PostgreSQL picks the rows {@code FOR UPDATE SKIP LOCKED}, so instances claiming at once never wait for
 * each other nor return a row twice; SQLite runs the one statement under its single write lock. Parameters: the
 * latest overdue creation time, the limit, the warning's time.
 */
final class DelayWarningSql {

    /** The rows a delay warning may still be issued for: not warned about, INCOMING, ACTIVE, DEFERRED or HOLD. */
    static final String WARNABLE = "delay_warned_at IS NULL AND state IN (0, 1, 2, 3)";

    final String claim;
    /**
     * Creates the partial index unless it exists; on PostgreSQL {@code CONCURRENTLY}, so that writers are not blocked
     * while it is built on a big table (run it outside a transaction).
     */
    final String createIndex;

    private final boolean postgres;
    private final String indexName;

    DelayWarningSql(String table, JdbcDialect dialect) {
        postgres = dialect instanceof PostgresDialect;
        indexName = index(table);
        createIndex = "CREATE INDEX " + (dialect instanceof PostgresDialect ? "CONCURRENTLY " : "") + "IF NOT EXISTS "
                + index(table) + " ON " + table + " (created) WHERE " + WARNABLE;
        String overdue = "SELECT id FROM " + table + indexHint(table, dialect) + " WHERE " + WARNABLE
                + " AND created <= ? ORDER BY created LIMIT ?";
        claim = dialect instanceof PostgresDialect
                ? "WITH picked AS (" + overdue + " FOR UPDATE SKIP LOCKED) UPDATE " + table + " t SET delay_warned_at = ?"
                        + " FROM picked WHERE t.id = picked.id RETURNING t." + MetaSql.COLUMNS.replace(", ", ", t.")
                : "WITH picked AS (" + overdue + ") UPDATE " + table + " SET delay_warned_at = ?"
                        + " WHERE id IN (SELECT id FROM picked) RETURNING " + MetaSql.COLUMNS;
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
        try (Statement statement = connection.createStatement()) {
            if (!postgres) {
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

    /** The partial index's name on a metadata table. */
    static String index(String table) {
        return table + "_delay_warning";
    }

    /** SQLite is told the index: without table statistics its planner may otherwise pick the state index. */
    private static String indexHint(String table, JdbcDialect dialect) {
        return dialect instanceof SqliteDialect ? " INDEXED BY " + index(table) : "";
    }
}
