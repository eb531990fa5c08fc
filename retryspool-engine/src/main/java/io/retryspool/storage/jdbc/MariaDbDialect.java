package io.retryspool.storage.jdbc;

import io.retryspool.storage.Claim;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.transaction.TransactionDefinition;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/**
 * MariaDB 10.6+ and MySQL 8.0.1+ (the versions with {@code FOR UPDATE SKIP LOCKED}).
 *
 * <p><b>Times</b> are {@code DATETIME(6)} columns holding UTC, bound and read as {@link LocalDateTime} in UTC. A
 * {@code DATETIME} is never converted by the session's {@code time_zone} (a {@code TIMESTAMP} would be, and ends in
 * 2038), keeps microseconds as the other databases do, stays readable in any SQL client, and compares directly with
 * the lease clock {@code UTC_TIMESTAMP(6)}, the server's clock as on PostgreSQL. <b>Headers</b> are a {@code JSON}
 * column (text on MariaDB); a header criterion is {@code JSON_CONTAINS(headers, JSON_OBJECT(name, value))}, which
 * needs no JSON path built from the header's name. The tables use the binary collation {@code utf8mb4_bin}: ids,
 * idempotency keys and header values compare exactly, and the error criterion folds ASCII letters only (26
 * {@code REPLACE}s), as on the other databases. That collation pads with spaces, so the destination criterion
 * compares lengths as well ({@link #destinationEquals}), and so does the unique index on idempotency keys (migration
 * V7 adds the key's length to it).
 *
 * <p><b>The claim.</b> Neither database has partial indexes nor (MySQL) {@code UPDATE … RETURNING}. A stored generated
 * column {@code claim_group} is 1 for INCOMING and DEFERRED rows, 2 for BOUNCE rows and NULL otherwise, and the index on
 * {@code (claim_group, priority, next_retry)} holds the claimable rows of each group together. The claim finds the
 * group's priorities from the highest down, one index probe each ({@code SELECT MAX(priority) … AND priority < ?}), and
 * per priority takes {@code SELECT id … AND priority = ? AND next_retry <= ? ORDER BY next_retry LIMIT ? FOR UPDATE SKIP LOCKED}:
 * an index range of due rows only, never waiting for rows another instance is claiming. One statement ordered by
 * {@code priority DESC, next_retry} would need a descending index part, which MariaDB ignores before 10.8 (it would
 * sort every claimable row). An UPDATE of the locked ids then counts the attempt and sets the lease, and a SELECT
 * reads them back, all in the claim's transaction. Other changes that answer rows ({@link #changeReturning}) lock
 * their rows the same way, then change and read them by id.
 *
 * <p>Counts are exact: InnoDB's row estimates are too coarse to show, and without them there is nothing to scale a
 * sample by. Nothing is pushed to waiting instances: they find new messages by polling.
 */
final class MariaDbDialect extends JdbcDialect {

    /** The code of each group in the generated column {@code claim_group} (see the V1 migration). */
    private static int groupCode(StateGroup group) {
        return switch (group) {
            case DELIVERABLE -> 1;
            case BOUNCE -> 2;
        };
    }

    @Override
    String name() {
        return "MariaDB/MySQL";
    }

    @Override
    String migrationFolder() {
        return "mariadb";
    }

    @Override
    @Nullable Object time(@Nullable Instant instant) {
        return instant == null ? null : LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    @Override
    @Nullable Instant readTime(ResultSet rs, String column) throws SQLException {
        LocalDateTime value = rs.getObject(column, LocalDateTime.class);
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }

    /** The server's clock, in UTC: every instance sees the same leases whatever its own clock says. */
    @Override
    String leaseClock() {
        return "UTC_TIMESTAMP(6)";
    }

    @Override
    List<Object> leaseClockArgs(Instant now) {
        return List.of();
    }

    @Override
    String leaseDeadline() {
        return "UTC_TIMESTAMP(6) + INTERVAL ? MICROSECOND";
    }

    @Override
    List<Object> leaseDeadlineArgs(Instant now, Duration lease) {
        return List.of(lease.toNanos() / 1000);
    }

    @Override
    String jsonParameter() {
        return "?";
    }

    @Override
    boolean claimIsOneStatement() {
        return false;
    }

    @Override
    boolean compilesEveryStatement() {
        return false; // the driver sends statements as text unless told to prepare them on the server
    }

    /**
     * READ COMMITTED, as on PostgreSQL: InnoDB's default REPEATABLE READ makes a locking read lock the gaps between
     * the index entries it reads, so a claim would block (and deadlock with) enqueues inserting into the range it
     * read. The caller's transactions keep their own level.
     */
    @Override
    int ownTransactionIsolation() {
        return TransactionDefinition.ISOLATION_READ_COMMITTED;
    }

    /** Identifiers have at most 64 characters here, and the longest derived name adds 18 ({@code _idempotency_exact}). */
    @Override
    int longestMetaTableName() {
        return 46;
    }

    @Override
    String forUpdate() {
        return " FOR UPDATE";
    }

    /**
     * A locking read: inside a caller's transaction, which stays REPEATABLE READ, a plain read sees the transaction's
     * snapshot, older than the message of another transaction whose key made the insert skip this one.
     */
    @Override
    String latestCommitted() {
        return " LOCK IN SHARE MODE";
    }

    /** {@code INSERT IGNORE}: a duplicate id or idempotency key inserts nothing and counts no row. */
    @Override
    String insertUnlessConflict(String table, String columns, String values) {
        return "INSERT IGNORE INTO " + table + " (" + columns + ") VALUES (" + values + ")";
    }

    /**
     * One statement per row: the MariaDB driver sends a batch of INSERTs as one bulk command whose per-row counts are
     * unknown ({@code SUCCESS_NO_INFO}), and a row that {@code INSERT IGNORE} left out must be told from one inserted.
     */
    @Override
    int[] insertRows(JdbcAccess access, String insert, List<Object[]> rows) {
        int[] inserted = new int[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            inserted[i] = access.jdbc.update(insert, rows.get(i));
        }
        return inserted;
    }

    @Override
    String upsertAdding(String table, List<String> key, List<String> counters) {
        return "INSERT INTO " + table + " (" + String.join(", ", key) + ", " + String.join(", ", counters) + ")"
                + " VALUES (" + String.join(", ", Collections.nCopies(key.size() + counters.size(), "?"))
                + ") ON DUPLICATE KEY UPDATE "
                + counters.stream().map(c -> c + " = " + c + " + VALUES(" + c + ")").collect(Collectors.joining(", "));
    }

    /**
     * Spelled out as {@code created > ? OR (created = ? AND id > ?)}: MariaDB's range optimizer does not start an index
     * range at a row comparison (it would read the state's rows from its start up to the key, on every batch).
     */
    @Override
    String createdIdAfter(Object created, String id, List<Object> args) {
        args.add(created);
        args.add(created);
        args.add(id);
        return "(created > ? OR (created = ? AND id > ?))";
    }

    @Override
    String concat(String left, String right) {
        return "CONCAT(" + left + ", " + right + ")";
    }

    /**
     * The group's code in {@code claim_group}; deliverable messages without a destination are read through the index on
     * {@code (destination, claim_group, priority, next_retry)} (V8), bounces through the one on
     * {@code (claim_group, priority, next_retry)}.
     */
    @Override
    String claimable(StateGroup group) {
        return group == StateGroup.DELIVERABLE ? "destination IS NULL AND claim_group = 1"
                : "claim_group = " + groupCode(group);
    }

    /**
     * Deliverable messages without a destination through the index on {@code (destination, claim_group, priority,
     * next_retry)}, named: the optimizer would otherwise read the group's priority in the older index on
     * {@code (claim_group, priority, next_retry)}, filtering out the messages of every destination one by one.
     */
    @Override
    String claimableFrom(String table, StateGroup group) {
        return group == StateGroup.DELIVERABLE ? table + " FORCE INDEX (" + table + "_dest_due)" : table;
    }

    /**
     * The highest priority in a group below a bound: one probe at the end of the bound's range in the claim index
     * ("Select tables optimized away"). A recursive query or a {@code SELECT DISTINCT} would read every claimable row.
     */
    String nextLevelStatement(String table, StateGroup group) {
        return "SELECT MAX(priority) FROM " + claimableFrom(table, group) + " WHERE " + claimable(group)
                + " AND priority < ?";
    }

    /** The group's distinct priorities, highest first, found one probe at a time ({@link #nextLevelStatement}). */
    @Override
    List<Integer> levels(JdbcTemplate jdbc, String table, StateGroup group) {
        List<Integer> levels = new ArrayList<>();
        Integer level = nextLevel(jdbc, table, group, ABOVE_EVERY_PRIORITY);
        while (level != null) {
            levels.add(level);
            level = nextLevel(jdbc, table, group, level);
        }
        return levels;
    }

    private @Nullable Integer nextLevel(JdbcTemplate jdbc, String table, StateGroup group, int below) {
        return jdbc.queryForObject(nextLevelStatement(table, group), Integer.class, below);
    }

    @Override
    String headerEquals() {
        return "JSON_CONTAINS(headers, JSON_OBJECT(?, ?))";
    }

    /**
     * Equality and equal length: {@code utf8mb4_bin} pads with spaces, so that {@code =} alone would find
     * {@code "example.com "} for {@code "example.com"}.
     */
    @Override
    String destinationEquals(String destination, List<Object> args) {
        args.add(destination);
        args.add(destination);
        return "destination = ? AND CHAR_LENGTH(destination) = CHAR_LENGTH(?)";
    }

    /** ASCII letters folded by 26 {@code REPLACE}s under the binary collation ({@code LOWER} folds every letter). */
    @Override
    String errorContains() {
        String folded = "last_error";
        for (char letter = 'A'; letter <= 'Z'; letter++) {
            folded = "REPLACE(" + folded + ", '" + letter + "', '" + Character.toLowerCase(letter) + "')";
        }
        return "LOCATE(?, " + folded + ") > 0";
    }

    /**
     * Locks the rows with {@code SELECT id … FOR UPDATE} (with {@code SKIP LOCKED} if asked), then changes them by id;
     * an UPDATE's rows are read back after it, a DELETE's before it.
     */
    @Override
    <T> List<T> changeReturning(JdbcTemplate jdbc, RowChange change, RowMapper<T> mapper) {
        List<String> ids = jdbc.queryForList(lockStatement(change), String.class, change.whereArgs().toArray());
        if (ids.isEmpty()) {
            return List.of();
        }
        String byIds = " WHERE id IN (" + String.join(", ", Collections.nCopies(ids.size(), "?")) + ")";
        String read = "SELECT " + change.returning() + " FROM " + change.table() + byIds;
        if (change.deletes()) {
            List<T> rows = jdbc.query(read, mapper, ids.toArray());
            jdbc.update(change.head() + byIds, ids.toArray());
            return rows;
        }
        List<Object> args = new ArrayList<>(change.setArgs());
        args.addAll(ids);
        jdbc.update(change.head() + byIds, args.toArray());
        return jdbc.query(read, mapper, ids.toArray());
    }

    /** The SELECT locking a change's rows; its arguments are the change's {@code whereArgs}. */
    String lockStatement(RowChange change) {
        return "SELECT id FROM " + change.table() + " WHERE " + change.where()
                + (change.orderAndLimit() == null ? "" : " " + change.orderAndLimit())
                + (change.skipLocked() ? skipLocked() : forUpdate());
    }

    @Override
    List<Claim> claim(JdbcTemplate jdbc, MetaSql sql, StateGroup group, String stateFilter, Instant now, int limit,
                      String owner, Duration lease, String tokenPrefix) {
        String dueOfPriority = dueOfPriorityStatement(sql.table, group, stateFilter);
        List<String> ids = new ArrayList<>();
        Integer priority = nextLevel(jdbc, sql.table, group, ABOVE_EVERY_PRIORITY);
        while (priority != null && ids.size() < limit) {
            ids.addAll(jdbc.queryForList(dueOfPriority, String.class, priority, time(now), limit - ids.size()));
            priority = nextLevel(jdbc, sql.table, group, priority);
        }
        return ids.isEmpty() ? List.of() : claimIds(jdbc, sql, ids, now, owner, lease, tokenPrefix);
    }

    // ---------------------------------------------------------------- destinations: exact names under a padding collation

    @Override
    String destinationColumns() {
        return "name, name_length";
    }

    @Override
    String destinationValues() {
        return "?, CHAR_LENGTH(?)";
    }

    @Override
    Object[] destinationKeyArgs(String name) {
        return new Object[] {name, name};
    }

    @Override
    String destinationKey() {
        return "name = ? AND name_length = CHAR_LENGTH(?)";
    }

    /** {@code INSERT IGNORE} share-locks a duplicate key until commit: a plain read first, which locks nothing. */
    @Override
    boolean readsDestinationsBeforeInsert() {
        return true;
    }

    @Override
    String destinationOrder() {
        return "d.name, d.name_length";
    }

    @Override
    String destinationAfter(String cursor, List<Object> args) {
        args.add(cursor);
        args.add(cursor);
        args.add(cursor);
        return "(d.name > ? OR (d.name = ? AND d.name_length > CHAR_LENGTH(?)))";
    }

    @Override
    String destinationUpTo(String cursor, List<Object> args) {
        args.add(cursor);
        args.add(cursor);
        args.add(cursor);
        return "(d.name < ? OR (d.name = ? AND d.name_length <= CHAR_LENGTH(?)))";
    }

    @Override
    String destinationGroup() {
        return "destination, CHAR_LENGTH(destination)";
    }

    /** A range of the index on {@code (destination, claim_group, priority, next_retry)}, names compared exactly. */
    @Override
    String destinedDueExists(String table) {
        return "EXISTS (SELECT 1 FROM " + table + " m FORCE INDEX (" + table + "_dest_due)"
                + " WHERE m.destination = d.name AND m.claim_group = 1"
                + " AND m.next_retry <= ? AND CHAR_LENGTH(m.destination) = d.name_length)";
    }

    /**
     * One probe at the end of the destination's range ("Select tables optimized away"); it may find the priority of a
     * name that differs only in trailing spaces, which then yields no due message: a wasted probe, never a wrong claim.
     */
    /** An index-only read of the messages with a destination in the index on {@code (destination, claim_group, ...)}. */
    @Override
    String oldestDestinedDueStatement(String table, String destinationTable) {
        return "SELECT MIN(next_retry) AS next_retry FROM " + table + " WHERE destination IS NOT NULL"
                + " AND claim_group = 1 AND next_retry <= ?";
    }

    @Override
    String destinedLevelStatement(String table) {
        return "SELECT MAX(priority) FROM " + table + " FORCE INDEX (" + table + "_dest_due)"
                + " WHERE destination = ? AND claim_group = 1 AND priority < ?";
    }

    @Override
    String destinedDueStatement(String table, String stateFilter) {
        return "SELECT id FROM " + table + " FORCE INDEX (" + table + "_dest_due)"
                + " WHERE destination = ? AND CHAR_LENGTH(destination) = CHAR_LENGTH(?)"
                + " AND claim_group = 1" + stateFilter + " AND priority = ? AND next_retry <= ?"
                + " ORDER BY next_retry LIMIT ?" + skipLocked();
    }

    @Override
    List<Object> destinedArgs(String destination) {
        return List.of(destination, destination);
    }

    /** The due ids of one priority in a group, earliest first, locked and passing over rows locked by others. */
    String dueOfPriorityStatement(String table, StateGroup group, String stateFilter) {
        return "SELECT id FROM " + claimableFrom(table, group) + " WHERE " + claimable(group) + stateFilter
                + " AND priority = ? AND next_retry <= ? ORDER BY next_retry LIMIT ?" + skipLocked();
    }
}
