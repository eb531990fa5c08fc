package io.retryspool.storage.jdbc;

import io.retryspool.storage.Claim;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * SQLite 3.35+: times as INTEGER epoch milliseconds, headers as TEXT JSON. SQLite has a single writer, so
 * a claim runs inside the caller's write transaction (which {@link SqliteDataSources} starts with
 * {@code BEGIN IMMEDIATE}): it walks the distinct priorities from the highest down, takes the due ids of
 * each from the group's partial index until the batch is full, and moves them with one
 * {@code UPDATE ... RETURNING} that checks again that each row is still in a claimable state and due (so a
 * transaction that did not really hold the write lock can never claim a row twice) and counts the attempt. The
 * statements name the partial index ({@code INDEXED BY}): without table statistics SQLite's planner may otherwise
 * pick the state index and sort every waiting row.
 */
final class SqliteDialect extends JdbcDialect {

    @Override
    String name() {
        return "SQLite";
    }

    @Override
    String migrationFolder() {
        return "sqlite";
    }

    @Override
    @Nullable Object time(@Nullable Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }

    @Override
    @Nullable Instant readTime(ResultSet rs, String column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    /** The spool's clock: an SQLite file is used by the processes of one host. */
    @Override
    String leaseClock() {
        return "?";
    }

    @Override
    List<Object> leaseClockArgs(Instant now) {
        return List.of(now.toEpochMilli());
    }

    @Override
    String leaseDeadline() {
        return "(? + ?)";
    }

    @Override
    List<Object> leaseDeadlineArgs(Instant now, Duration lease) {
        return List.of(now.toEpochMilli(), lease.toMillis());
    }

    @Override
    String jsonParameter() {
        return "?";
    }

    @Override
    String headerEquals() {
        return "EXISTS (SELECT 1 FROM json_each(headers) WHERE json_each.key = ? AND json_each.value = ?)";
    }

    /** {@code instr} in SQLite's {@code lower}, which folds ASCII letters only. */
    @Override
    String errorContains() {
        return "instr(lower(last_error), ?) > 0";
    }

    @Override
    boolean compilesEveryStatement() {
        return true; // sqlite-jdbc has no statement cache
    }

    @Override
    boolean claimIsOneStatement() {
        return false;
    }

    @Override
    String forUpdate() {
        return "";
    }

    @Override
    List<Claim> claim(JdbcTemplate jdbc, MetaSql sql, StateGroup group, String stateFilter, Instant now, int limit,
                      String owner, Duration lease, String tokenPrefix) {
        List<Integer> priorities = jdbc.queryForList(levelsStatement(sql.table, group), Integer.class);
        String dueOfPriority = dueOfPriorityStatement(sql.table, group, stateFilter);
        List<String> ids = new ArrayList<>();
        for (int priority : priorities) {
            ids.addAll(jdbc.queryForList(dueOfPriority, String.class, priority, time(now), limit - ids.size()));
            if (ids.size() >= limit) {
                break;
            }
        }
        return ids.isEmpty() ? List.of() : claimIds(jdbc, sql, ids, now, owner, lease, tokenPrefix);
    }

    /**
     * One {@code UPDATE ... RETURNING} that checks again that each row is still claimable for delivery or bounce and due
     * (so that a transaction that did not really hold the write lock can never claim a row twice).
     */
    @Override
    List<Claim> claimIds(JdbcTemplate jdbc, MetaSql sql, List<String> ids, Instant now, String owner, Duration lease,
                         String tokenPrefix) {
        String placeholders = String.join(", ", Collections.nCopies(ids.size(), "?"));
        List<Object> args = new ArrayList<>();
        args.add(owner);
        args.addAll(leaseDeadlineArgs(now, lease));
        args.add(tokenPrefix);
        args.add(time(now));
        args.addAll(ids);
        args.add(time(now));
        // the re-check's columns carry a unary + so that SQLite finds the rows by id, not through an index on them
        return jdbc.query("UPDATE " + sql.table + " SET " + sql.claimSet + " WHERE id IN (" + placeholders + ")"
                + " AND +state IN (0, 2, 4) AND +next_retry <= ?"
                + " RETURNING " + MetaSql.CLAIM_COLUMNS, sql.claimMapper(), args.toArray());
    }

    /** Names the destinations' partial index, as {@link #claimableFrom} does for the groups. */
    @Override
    String destinedDueExists(String table) {
        return "EXISTS (SELECT 1 FROM " + table + " m INDEXED BY " + table + "_dest_due WHERE m.state IN (0, 2)"
                + " AND m.destination IS NOT NULL AND m.destination = d.name AND m.next_retry <= ?)";
    }

    @Override
    String oldestDestinedDueStatement(String table, String destinationTable) {
        return super.oldestDestinedDueStatement(table + " INDEXED BY " + table + "_dest_due", destinationTable);
    }

    @Override
    String destinedLevelStatement(String table) {
        return super.destinedLevelStatement(table + " INDEXED BY " + table + "_dest_due");
    }

    @Override
    String destinedDueStatement(String table, String stateFilter) {
        return super.destinedDueStatement(table + " INDEXED BY " + table + "_dest_due", stateFilter);
    }

    /** Names the partial index: without statistics the planner may pick the state index and sort. */
    @Override
    String claimableFrom(String table, StateGroup group) {
        return table + " INDEXED BY " + group.index(table);
    }

    /** The due ids of one priority, earliest first. */
    String dueOfPriorityStatement(String table, StateGroup group, String stateFilter) {
        return "SELECT id FROM " + claimableFrom(table, group) + " WHERE " + group.condition() + stateFilter
                + " AND priority = ? AND next_retry <= ? ORDER BY next_retry LIMIT ?";
    }
}
