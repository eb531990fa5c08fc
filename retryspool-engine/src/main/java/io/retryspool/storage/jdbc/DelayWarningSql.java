package io.retryspool.storage.jdbc;

/**
 * The statement that claims delay warnings on one metadata table: it marks the oldest messages still undelivered
 * and not yet warned about ({@code delay_warned_at} set to the warning's time) and returns them, reading them
 * through the partial index {@code <table>_delay_warning} (migration V4), whose predicate {@link #WARNABLE} must
 * match. PostgreSQL picks the rows {@code FOR UPDATE SKIP LOCKED}, so instances claiming at once never wait for
 * each other nor return a row twice; SQLite runs the one statement under its single write lock. Parameters: the
 * latest overdue creation time, the limit, the warning's time.
 */
final class DelayWarningSql {

    /** The rows a delay warning may still be issued for: not warned about, INCOMING, ACTIVE, DEFERRED or HOLD. */
    static final String WARNABLE = "delay_warned_at IS NULL AND state IN (0, 1, 2, 3)";

    final String claim;

    DelayWarningSql(String table, JdbcDialect dialect) {
        String overdue = "SELECT id FROM " + table + indexHint(table, dialect) + " WHERE " + WARNABLE
                + " AND created <= ? ORDER BY created LIMIT ?";
        claim = dialect instanceof PostgresDialect
                ? "WITH picked AS (" + overdue + " FOR UPDATE SKIP LOCKED) UPDATE " + table + " t SET delay_warned_at = ?"
                        + " FROM picked WHERE t.id = picked.id RETURNING t." + MetaSql.COLUMNS.replace(", ", ", t.")
                : "WITH picked AS (" + overdue + ") UPDATE " + table + " SET delay_warned_at = ?"
                        + " WHERE id IN (SELECT id FROM picked) RETURNING " + MetaSql.COLUMNS;
    }

    /** The partial index's name on a metadata table, as migration V4 creates it. */
    static String index(String table) {
        return table + "_delay_warning";
    }

    /** SQLite is told the index: without table statistics its planner may otherwise pick the state index. */
    private static String indexHint(String table, JdbcDialect dialect) {
        return dialect instanceof SqliteDialect ? " INDEXED BY " + index(table) : "";
    }
}
