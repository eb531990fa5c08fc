package io.retryspool.storage.jdbc;

import io.retryspool.storage.Claim;
import org.jspecify.annotations.Nullable;
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
    @Nullable Object time(@Nullable Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    @Override
    @Nullable Instant readTime(ResultSet rs, String column) throws SQLException {
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
    String planCompilationParameter() {
        return "jit";
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

    /**
     * Whether the destination of the destinations table's row {@code d} has a due message: its priorities from the
     * highest down, one probe each of {@code <table>_dest_due}, until one has a message due (one more probe each), so
     * that the messages not due yet are never read. The due probe is a scalar subquery with {@code LIMIT 1}, not an
     * {@code EXISTS}: the planner may turn an {@code EXISTS} into a hash semi-join, and a generic plan made while the
     * table was small did, hashing every due message of the destination on every claim (34 ms at 100,000).
     */
    @Override
    String destinedDueExists(String table) {
        String destined = "m.state IN (0, 2) AND m.destination IS NOT NULL AND m.destination = d.name";
        return "EXISTS (WITH RECURSIVE lv(p) AS ("
                + " (SELECT m.priority FROM " + table + " m WHERE " + destined + " ORDER BY m.priority DESC LIMIT 1)"
                + " UNION ALL"
                + " SELECT (SELECT m.priority FROM " + table + " m WHERE " + destined
                + " AND m.priority < lv.p ORDER BY m.priority DESC LIMIT 1) FROM lv WHERE lv.p IS NOT NULL"
                + ") SELECT 1 FROM lv WHERE (SELECT 1 FROM " + table + " m WHERE " + destined
                + " AND m.priority = lv.p AND m.next_retry <= ? LIMIT 1) IS NOT NULL)";
    }

    /**
     * Per destination of the destinations table, its priorities one probe each and the first due time of each, so
     * that the statement reads a few index entries per destination, not its messages.
     */
    @Override
    String oldestDestinedDueStatement(String table, String destinationTable) {
        String destined = "m.state IN (0, 2) AND m.destination IS NOT NULL AND m.destination = d.name";
        return "SELECT MIN(f.due) AS next_retry FROM " + destinationTable + " d CROSS JOIN LATERAL ("
                + "WITH RECURSIVE lv(p) AS ("
                + " (SELECT m.priority FROM " + table + " m WHERE " + destined + " ORDER BY m.priority DESC LIMIT 1)"
                + " UNION ALL"
                + " SELECT (SELECT m.priority FROM " + table + " m WHERE " + destined
                + " AND m.priority < lv.p ORDER BY m.priority DESC LIMIT 1) FROM lv WHERE lv.p IS NOT NULL"
                + ") SELECT (SELECT m.next_retry FROM " + table + " m WHERE " + destined
                + " AND m.priority = lv.p ORDER BY m.next_retry LIMIT 1) AS due FROM lv WHERE lv.p IS NOT NULL) f"
                + " WHERE f.due <= ?";
    }

    /** The claim statement counts running attempts itself ({@link #destinationClaimStatement}). */
    @Override
    boolean countsRunningInClaim() {
        return true;
    }

    /** One statement for every destination: {@link #destinationClaimStatement}. */
    @Override
    List<Claim> claimOfDestinations(JdbcTemplate jdbc, MetaSql sql, List<String> names, List<Integer> shares,
                                    List<Integer> caps, String stateFilter, Instant now, String owner, Duration lease,
                                    String tokenPrefix) {
        String statement = destinationClaimStatement(sql.table, stateFilter);
        return jdbc.execute((java.sql.Connection connection) -> {
            try (java.sql.PreparedStatement ps = connection.prepareStatement(statement)) {
                ps.setArray(1, connection.createArrayOf("text", names.toArray()));
                ps.setArray(2, connection.createArrayOf("int4", shares.toArray()));
                ps.setArray(3, connection.createArrayOf("int4", caps.toArray()));
                ps.setObject(4, time(now));
                ps.setString(5, owner);
                ps.setString(6, lease.toString());
                ps.setString(7, tokenPrefix);
                ps.setObject(8, time(now));
                List<Claim> claims = new java.util.ArrayList<>();
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    org.springframework.jdbc.core.RowMapper<Claim> mapper = sql.claimMapper();
                    while (rs.next()) {
                        claims.add(mapper.mapRow(rs, claims.size()));
                    }
                }
                return claims;
            }
        });
    }

    /**
     * The claim of several destinations' shares in one statement; public to the package so tests can EXPLAIN it. The
     * parameters: the destinations (text[]), their shares (int[]), their caps (int[], 0 for none), the time, the owner,
     * the lease, the token prefix, the time. A capped destination's share is reduced to its cap less its running
     * attempts (live delivery leases, as {@link DestinationTable} counts them). Per destination, its priorities are found from the highest down (a recursive "loose index scan" of
     * {@code <table>_dest_due}, one probe per priority), and per priority its due messages are taken in due order with
     * {@code FOR UPDATE SKIP LOCKED} until the destination's share is full: a destination's messages not due yet are
     * never read, whatever their priority.
     */
    static String destinationClaimStatement(String table, String stateFilter) {
        String destined = StateGroup.DESTINED;
        // a destination's share, less its running attempts beyond its cap (counted here: this statement's snapshot is
        // taken after the transaction locked the destinations' rows, so it sees every claim committed under them)
        return "WITH RECURSIVE want AS (SELECT w.name, CASE WHEN w.cap = 0 THEN w.share ELSE GREATEST(0, LEAST(w.share,"
                + " w.cap - (SELECT COUNT(*) FROM " + table + " r WHERE r.destination IS NOT NULL"
                + " AND r.destination = w.name AND r.lease_until IS NOT NULL AND r.lease_until >= now()"
                + " AND r.claimed_from <> " + io.retryspool.QueueState.BOUNCE.code() + "))) END AS share"
                + " FROM unnest(?::text[], ?::int[], ?::int[]) AS w(name, share, cap)),"
                + " levels(name, priority) AS ("
                + " SELECT want.name, (SELECT m.priority FROM " + table + " m WHERE m." + destined.replace(
                        "destination IS", "m.destination IS") + " AND m.destination = want.name"
                + " ORDER BY m.priority DESC LIMIT 1) FROM want"
                + " UNION ALL"
                + " SELECT levels.name, (SELECT m.priority FROM " + table + " m WHERE m." + destined.replace(
                        "destination IS", "m.destination IS") + " AND m.destination = levels.name"
                + " AND m.priority < levels.priority ORDER BY m.priority DESC LIMIT 1)"
                + " FROM levels WHERE levels.priority IS NOT NULL"
                + "), picked AS ("
                + " SELECT p.id FROM want CROSS JOIN LATERAL ("
                + " SELECT c.id FROM levels CROSS JOIN LATERAL ("
                + " SELECT id FROM " + table + " WHERE " + destined + stateFilter
                + " AND destination = levels.name AND priority = levels.priority AND next_retry <= ?"
                + " ORDER BY next_retry LIMIT want.share FOR UPDATE SKIP LOCKED) c"
                + " WHERE levels.name = want.name AND levels.priority IS NOT NULL LIMIT want.share) p"
                + ") UPDATE " + table + " t SET state = 1, attempts = t.attempts + 1,"
                + " claimed_from = t.state, lease_owner = ?, lease_until = now() + CAST(? AS interval),"
                + " claim_token = ? || t.id, updated = ?"
                + " FROM picked WHERE t.id = picked.id"
                + " RETURNING t." + MetaSql.CLAIM_COLUMNS.replace(", ", ", t.");
    }
}
