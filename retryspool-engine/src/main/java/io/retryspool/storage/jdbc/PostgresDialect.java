package io.retryspool.storage.jdbc;

import io.retryspool.storage.Claim;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PostgreSQL 12+: TIMESTAMPTZ times, JSON headers, and a claim that is one statement per batch.
 *
 * <p>The claim walks the priorities that exist among claimable rows from the highest down (a recursive
 * "loose index scan", one index probe per distinct priority) and, per priority, takes the due rows in
 * {@code next_retry} order with {@code FOR UPDATE SKIP LOCKED} from the group's partial index. So it reads
 * only due rows, never waits for rows another instance is claiming, and stops as soon as the batch is full. The
 * same statement counts the delivery attempt and sets the lease on the server's clock ({@code now()}).
 */
final class PostgresDialect extends JdbcDialect {

    /** The first (top node's) row estimate of a JSON plan. */
    private static final Pattern PLAN_ROWS = Pattern.compile("\"Plan Rows\":\\s*([0-9.eE+]+)");

    @Override
    String name() {
        return "PostgreSQL";
    }

    @Override
    String migrationFolder() {
        return "postgresql";
    }

    @Override
    Object time(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    @Override
    Instant readTime(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /**
     * The top plan node's row estimate from {@code EXPLAIN (FORMAT JSON)}: PostgreSQL's statistics of the table (as
     * of its last analyze, scaled to its current size), at the cost of planning the query.
     */
    @Override
    OptionalLong estimateRows(JdbcTemplate jdbc, String query, Object... args) {
        String plan = jdbc.queryForObject("EXPLAIN (FORMAT JSON) " + query, String.class, args);
        Matcher rows = PLAN_ROWS.matcher(plan == null ? "" : plan);
        return rows.find() ? OptionalLong.of(Math.round(Double.parseDouble(rows.group(1)))) : OptionalLong.empty();
    }

    /** {@code TABLESAMPLE SYSTEM}: whole pages at random, with a fixed seed so that a repeated sample is stable. */
    @Override
    String sampleOf(String table, double percent) {
        return table + " TABLESAMPLE SYSTEM (" + String.format(java.util.Locale.ROOT, "%.6f", percent)
                + ") REPEATABLE (1)";
    }

    /** The server's clock: every instance sees the same leases whatever its own clock says. */
    @Override
    String leaseClock() {
        return "now()";
    }

    @Override
    List<Object> leaseClockArgs(Instant now) {
        return List.of();
    }

    @Override
    String leaseDeadline() {
        return "now() + CAST(? AS interval)";
    }

    /** The lease as an ISO-8601 duration, which PostgreSQL reads as an interval. */
    @Override
    List<Object> leaseDeadlineArgs(Instant now, Duration lease) {
        return List.of(lease.toString());
    }

    @Override
    String jsonParameter() {
        return "CAST(? AS json)";
    }

    @Override
    String headerEquals() {
        return "headers ->> CAST(? AS text) = ?";
    }

    /** {@code ILIKE} under the "C" collation, which folds ASCII letters only; {@code %}, {@code _} and {@code \} escaped. */
    @Override
    String errorContains() {
        return "last_error COLLATE \"C\" ILIKE ? ESCAPE '\\'";
    }

    @Override
    Object errorContainsArgument(String foldedText) {
        return "%" + foldedText.replaceAll("([\\\\%_])", "\\\\$1") + "%";
    }

    @Override
    boolean compilesEveryStatement() {
        return false; // pgjdbc prepares a statement on the server after a few uses and keeps it
    }

    @Override
    boolean claimIsOneStatement() {
        return true;
    }

    @Override
    String forUpdate() {
        return " FOR UPDATE";
    }

    @Override
    List<Claim> claim(JdbcTemplate jdbc, MetaSql sql, StateGroup group, String stateFilter, Instant now, int limit,
                      String owner, Duration lease, String tokenPrefix) {
        String statement = claimStatement(sql.table, group, stateFilter);
        return jdbc.query(statement, sql.claimMapper(),
                time(now), limit, limit, owner, lease.toString(), tokenPrefix, time(now));
    }

    /** The claim statement; public to the package so tests can EXPLAIN it. */
    static String claimStatement(String table, StateGroup group, String stateFilter) {
        String condition = group.condition();
        return "WITH RECURSIVE levels(priority) AS ("
                + " (SELECT priority FROM " + table + " WHERE " + condition + " ORDER BY priority DESC LIMIT 1)"
                + " UNION ALL"
                + " SELECT (SELECT m.priority FROM " + table + " m WHERE m." + condition
                + " AND m.priority < levels.priority ORDER BY m.priority DESC LIMIT 1)"
                + " FROM levels WHERE levels.priority IS NOT NULL"
                + "), picked AS ("
                + " SELECT c.id FROM levels CROSS JOIN LATERAL ("
                + " SELECT id FROM " + table + " WHERE " + condition + stateFilter
                + " AND priority = levels.priority AND next_retry <= ?"
                + " ORDER BY next_retry LIMIT ? FOR UPDATE SKIP LOCKED) c"
                + " LIMIT ?"
                + ") UPDATE " + table + " t SET state = 1, attempts = t.attempts + CASE WHEN t.state = 4 THEN 0 ELSE 1 END,"
                + " claimed_from = t.state, lease_owner = ?, lease_until = now() + CAST(? AS interval),"
                + " claim_token = ? || t.id, updated = ?"
                + " FROM picked WHERE t.id = picked.id"
                + " RETURNING t." + MetaSql.CLAIM_COLUMNS.replace(", ", ", t.");
    }
}
