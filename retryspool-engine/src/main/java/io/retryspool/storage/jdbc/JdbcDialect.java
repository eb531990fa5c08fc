package io.retryspool.storage.jdbc;

import io.retryspool.StorageException;
import io.retryspool.storage.Claim;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

import javax.sql.DataSource;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.springframework.lang.Contract;

/**
 * What differs between the supported databases: how times are stored, how JSON is bound, which migrations
 * apply, and how due messages are claimed. Everything else is shared SQL.
 */
abstract sealed class JdbcDialect permits PostgresDialect, SqliteDialect, MariaDbDialect {

    /**
     * Detects the dialect from the connection's metadata.
     *
     * @throws StorageException if the database is none of those {@link JdbcDatabase#SUPPORTED}
     */
    static JdbcDialect detect(DataSource dataSource) {
        JdbcDatabase database = JdbcDatabase.of(dataSource);
        database.unsupportedReason().ifPresent(reason -> {
            throw new StorageException(reason);
        });
        if (database.isPostgres()) {
            return new PostgresDialect();
        }
        return database.isSqlite() ? new SqliteDialect() : new MariaDbDialect();
    }

    /** The database's name for messages. */
    abstract String name();

    /** The folder under {@code db/retryspool/} holding this database's migrations. */
    abstract String migrationFolder();

    /** The value to bind for a time. */
    @Contract("!null -> !null")
    abstract @Nullable Object time(@Nullable Instant instant);

    /** Reads a time column; null stays null. */
    abstract @Nullable Instant readTime(ResultSet rs, String column) throws SQLException;

    /**
     * The expression for the lease clock's current time; takes {@link #leaseClockArgs}. On a database server shared
     * by many instances this is the server's clock, so that instances whose clocks disagree agree on leases.
     */
    abstract String leaseClock();

    /** The arguments of {@link #leaseClock()}. */
    abstract List<Object> leaseClockArgs(Instant now);

    /** The expression for a lease deadline {@code lease} from the lease clock's now; takes {@link #leaseDeadlineArgs}. */
    abstract String leaseDeadline();

    /** The arguments of {@link #leaseDeadline()}. */
    abstract List<Object> leaseDeadlineArgs(Instant now, Duration lease);

    /** The parameter expression for a JSON value bound as a string. */
    abstract String jsonParameter();

    /**
     * Whether {@link #claim} takes a state group's messages in one statement, atomic on its own, so a claim needs
     * no transaction around it (one round trip less); otherwise it runs in a write transaction.
     */
    abstract boolean claimIsOneStatement();

    /** Whether the driver compiles every prepared statement anew, so that reusing one per connection pays. */
    abstract boolean compilesEveryStatement();

    /**
     * The run-time parameter that, set to {@code off}, stops the database from compiling plans to machine code, or
     * null on a database that never does. PostgreSQL ({@code jit}) compiles a plan whose estimated cost passes
     * {@code jit_above_cost}, again at every execution: for a statement that loops over the rows of a small table
     * (one index probe per destination, say) the estimate grows with those rows while the work stays small, and
     * compiling then costs many times the work.
     */
    @Nullable String planCompilationParameter() {
        return null;
    }

    /**
     * The isolation level of the transactions the spool begins itself, as a {@code TransactionDefinition} constant:
     * here the DataSource's default.
     */
    int ownTransactionIsolation() {
        return org.springframework.transaction.TransactionDefinition.ISOLATION_DEFAULT;
    }

    /**
     * The longest metadata table name whose derived names (indexes, tables, the migration history) the database
     * accepts: {@link JdbcTables}' own limit.
     */
    int longestMetaTableName() {
        return JdbcTables.LONGEST_NAME;
    }

    /** What to append to a SELECT that reads a row before updating it in the same transaction. */
    abstract String forUpdate();

    /**
     * What to append to the SELECT that finds the message holding an idempotency key after an insert found it taken:
     * nothing where each statement reads the latest committed rows (or fails where its snapshot is older).
     */
    String latestCommitted() {
        return "";
    }

    /** What to append to a SELECT that locks the rows it reads, passing over rows other transactions have locked. */
    String skipLocked() {
        return forUpdate().isEmpty() ? "" : forUpdate() + " SKIP LOCKED";
    }

    /**
     * The statement inserting a row unless it conflicts with one already stored (same id or idempotency key); a
     * conflicting row counts as no row inserted.
     *
     * @param table the table
     * @param columns the column list
     * @param values the value list (parameters and expressions)
     */
    String insertUnlessConflict(String table, String columns, String values) {
        return "INSERT INTO " + table + " (" + columns + ") VALUES (" + values + ") ON CONFLICT DO NOTHING";
    }

    /**
     * Runs a statement of {@link #insertUnlessConflict} for each row and answers, per row, how many it inserted (0 for
     * a conflicting one): here as one JDBC batch.
     */
    int[] insertRows(JdbcAccess access, String insert, List<Object[]> rows) {
        return access.batchUpdate(insert, rows);
    }

    /**
     * The statement inserting a row, or, when a row with its key exists, adding its counters to that row's. The
     * parameters are the key columns' values, then the counters'.
     *
     * @param table the table
     * @param key the key columns (the primary key)
     * @param counters the counter columns
     */
    String upsertAdding(String table, List<String> key, List<String> counters) {
        return "INSERT INTO " + table + " AS a (" + String.join(", ", key) + ", " + String.join(", ", counters) + ")"
                + " VALUES (" + String.join(", ", java.util.Collections.nCopies(key.size() + counters.size(), "?"))
                + ") ON CONFLICT (" + String.join(", ", key) + ") DO UPDATE SET "
                + counters.stream().map(c -> c + " = a." + c + " + excluded." + c)
                        .collect(java.util.stream.Collectors.joining(", "));
    }

    /**
     * The keyset condition "after {@code (created, id)}" in {@code (created, id)} order, its arguments appended to
     * {@code args}: here the row comparison {@code (created, id) > (?, ?)}, a range of the index on
     * {@code (state, created, id)}.
     */
    String createdIdAfter(Object created, String id, List<Object> args) {
        args.add(created);
        args.add(id);
        return "(created, id) > (?, ?)";
    }

    /** The expression joining two string expressions. */
    String concat(String left, String right) {
        return left + " || " + right;
    }

    /** The condition selecting a state group's rows, in the terms of the index the claim reads them through. */
    String claimable(StateGroup group) {
        return group.condition();
    }

    /** The condition that the JSON {@code headers} hold a header; its parameters are the name, then the value. */
    abstract String headerEquals();

    /**
     * The condition that {@code last_error} contains a text, ASCII letters compared in either case; its one parameter
     * is {@link #errorContainsArgument}.
     */
    abstract String errorContains();

    /** The parameter of {@link #errorContains()} for a text whose ASCII letters are lower case. */
    Object errorContainsArgument(String foldedText) {
        return foldedText;
    }

    /** The condition that {@code destination} is exactly the given one; its parameters are appended to {@code args}. */
    String destinationEquals(String destination, List<Object> args) {
        args.add(destination);
        return "destination = ?";
    }

    /**
     * Runs a change inside the caller's transaction and answers the changed rows' columns: here as one statement
     * ending in {@code RETURNING}.
     *
     * @param jdbc the template
     * @param change the change
     * @param mapper maps a row of {@link RowChange#returning()}
     * @param <T> what a row maps to
     * @return the changed rows, in no particular order
     */
    <T> List<T> changeReturning(JdbcTemplate jdbc, RowChange change, RowMapper<T> mapper) {
        return jdbc.query(change.returningStatement(skipLocked()), mapper, change.returningArgs());
    }

    /**
     * The planner's estimate of how many rows a query returns, read without running it; empty when the database
     * keeps no statistics to estimate from (then counts are exact, however many rows they read).
     *
     * @param jdbc the template
     * @param query a SELECT
     * @param args its arguments
     */
    OptionalLong estimateRows(JdbcTemplate jdbc, String query, Object... args) {
        return OptionalLong.empty();
    }

    /**
     * The FROM item that reads about {@code percent} of a table's rows, chosen at random but the same from one call to
     * the next while the table does not change; the whole table on a database that cannot sample (where nothing
     * estimates, see {@link #estimateRows}, and so nothing samples).
     */
    String sampleOf(String table, double percent) {
        return table;
    }

    /** The FROM item that reads a state group's rows through the index for the claim. */
    String claimableFrom(String table, StateGroup group) {
        return table;
    }

    /** The distinct priorities among a state group's rows, highest first: one index probe per priority. */
    String levelsStatement(String table, StateGroup group) {
        String condition = claimable(group);
        String from = claimableFrom(table, group);
        return "WITH RECURSIVE levels(priority) AS ("
                + " SELECT (SELECT priority FROM " + from + " WHERE " + condition + " ORDER BY priority DESC LIMIT 1)"
                + " UNION ALL"
                + " SELECT (SELECT priority FROM " + from + " WHERE " + condition
                + " AND priority < levels.priority ORDER BY priority DESC LIMIT 1)"
                + " FROM levels WHERE levels.priority IS NOT NULL"
                + ") SELECT priority FROM levels WHERE priority IS NOT NULL";
    }

    /** The distinct priorities among a state group's rows, highest first: runs {@link #levelsStatement}. */
    List<Integer> levels(JdbcTemplate jdbc, String table, StateGroup group) {
        return jdbc.queryForList(levelsStatement(table, group), Integer.class);
    }

    // ---------------------------------------------------------------- destinations

    /** The key columns of a row of the destinations table, as inserted. */
    String destinationColumns() {
        return "name";
    }

    /** The values of {@link #destinationColumns()}, taking {@link #destinationKeyArgs}. */
    String destinationValues() {
        return "?";
    }

    /** The arguments naming one destination, in {@link #destinationValues()} and {@link #destinationKey()}. */
    Object[] destinationKeyArgs(String name) {
        return new Object[] {name};
    }

    /** The condition selecting one row of the destinations table, taking {@link #destinationKeyArgs}. */
    String destinationKey() {
        return "name = ?";
    }

    /**
     * Whether an enqueue reads which destinations exist before it inserts the missing ones: on a database whose
     * {@code INSERT} that passes over an existing row locks it (MariaDB/MySQL share-lock the duplicate key until the
     * enqueue commits, and claims would pass over the destination meanwhile). Here: no, the insert alone.
     */
    boolean readsDestinationsBeforeInsert() {
        return false;
    }

    /** The order of the destinations table's rows by name, as its primary key holds them. */
    String destinationOrder() {
        return "d.name";
    }

    /** The condition "after {@code cursor} in {@link #destinationOrder()}", its arguments appended. */
    String destinationAfter(String cursor, List<Object> args) {
        args.add(cursor);
        return "d.name > ?";
    }

    /** The condition "up to {@code cursor} in {@link #destinationOrder()}", its arguments appended. */
    String destinationUpTo(String cursor, List<Object> args) {
        args.add(cursor);
        return "d.name <= ?";
    }

    /** What a count of messages per destination groups by, so that each destination's exact name is one group. */
    String destinationGroup() {
        return "destination";
    }

    /**
     * The condition that the destination of the destinations table's row {@code d} has a message due for delivery: one
     * parameter, the current time.
     */
    abstract String destinedDueExists(String table);

    /**
     * Whether {@link #claimOfDestinations} counts each destination's running attempts itself and takes no more than its
     * cap less them: then the claim needs no statement of its own for the count. The count must be read after the
     * destination rows were locked, by a later statement of the transaction.
     */
    boolean countsRunningInClaim() {
        return false;
    }

    /**
     * The next priority below a bound among a destination's claimable messages; the parameters are the destination,
     * then the bound.
     */
    String destinedLevelStatement(String table) {
        return "SELECT priority FROM " + table + " WHERE " + StateGroup.DESTINED + " AND destination = ?"
                + " AND priority < ? ORDER BY priority DESC LIMIT 1";
    }

    /**
     * A destination's due messages of one priority, earliest first: parameters the destination's
     * {@link #destinedArgs}, the priority, the time, the limit.
     */
    String destinedDueStatement(String table, String stateFilter) {
        return "SELECT id FROM " + table + " WHERE " + StateGroup.DESTINED + stateFilter + " AND destination = ?"
                + " AND priority = ? AND next_retry <= ? ORDER BY next_retry LIMIT ?" + skipLocked();
    }

    /** The arguments naming a destination in {@link #destinedDueStatement}. */
    List<Object> destinedArgs(String destination) {
        return List.of(destination);
    }

    /**
     * The earliest due time at or before a time among the messages with a destination that are claimable for
     * delivery; one parameter, the time. Here: the minimum over the destinations' partial index.
     */
    String oldestDestinedDueStatement(String table, String destinationTable) {
        return "SELECT MIN(next_retry) AS next_retry FROM " + table + " WHERE " + StateGroup.DESTINED
                + " AND next_retry <= ?";
    }

    /** A bound above the highest priority (100, as the migrations' CHECK says). */
    static final int ABOVE_EVERY_PRIORITY = 101;

    /**
     * Claims, for each destination, up to its share of its due messages, by priority then due time, inside the caller's
     * transaction (which holds the destinations' rows locked). Here: the destination's priorities one probe at a time,
     * the due messages of each priority until its share is taken, then {@link #claimIds} once for all.
     *
     * @param names the destinations
     * @param shares the most messages to claim of each
     * @param caps each destination's concurrency limit (0: none), for a dialect that counts running attempts in this
     *             statement ({@link #countsRunningInClaim()}); ignored by the others
     * @return the claimed rows, in any order
     */
    List<Claim> claimOfDestinations(JdbcTemplate jdbc, MetaSql sql, List<String> names, List<Integer> shares,
                                    List<Integer> caps, String stateFilter, Instant now, String owner, Duration lease,
                                    String tokenPrefix) {
        String level = destinedLevelStatement(sql.table);
        String due = destinedDueStatement(sql.table, stateFilter);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            List<Object> named = destinedArgs(names.get(i));
            int wanted = shares.get(i);
            int taken = 0;
            String name = names.get(i);
            Integer priority = nextDestinedLevel(jdbc, level, name, ABOVE_EVERY_PRIORITY);
            while (priority != null && taken < wanted) {
                List<Object> args = new ArrayList<>(named);
                args.add(priority);
                args.add(time(now));
                args.add(wanted - taken);
                List<String> found = jdbc.queryForList(due, String.class, args.toArray());
                ids.addAll(found);
                taken += found.size();
                priority = taken < wanted ? nextDestinedLevel(jdbc, level, name, priority) : null;
            }
        }
        return ids.isEmpty() ? List.of() : claimIds(jdbc, sql, ids, now, owner, lease, tokenPrefix);
    }

    private static @Nullable Integer nextDestinedLevel(JdbcTemplate jdbc, String statement, String name, int below) {
        List<Integer> found = jdbc.queryForList(statement, Integer.class, name, below);
        return found.isEmpty() ? null : found.get(0);
    }

    /**
     * Claims rows already found (and, where the database locks rows, locked) in the caller's transaction: counts the
     * attempt, sets the lease; returns them. Here: an UPDATE of the ids, then a SELECT reading them back.
     */
    List<Claim> claimIds(JdbcTemplate jdbc, MetaSql sql, List<String> ids, Instant now, String owner, Duration lease,
                         String tokenPrefix) {
        List<Object> args = new ArrayList<>();
        args.add(owner);
        args.addAll(leaseDeadlineArgs(now, lease));
        args.add(tokenPrefix);
        args.add(time(now));
        String byIds = " WHERE id IN (" + String.join(", ", java.util.Collections.nCopies(ids.size(), "?")) + ")";
        args.addAll(ids);
        jdbc.update("UPDATE " + sql.table + " SET " + sql.claimSet + byIds, args.toArray());
        return jdbc.query("SELECT " + MetaSql.CLAIM_COLUMNS + " FROM " + sql.table + byIds, sql.claimMapper(),
                ids.toArray());
    }

    /**
     * Claims up to {@code limit} due rows of one state group, as one atomic step inside the caller's
     * transaction, and returns them (in any order).
     *
     * @param jdbc the template
     * @param sql the store's statements
     * @param group the state group
     * @param stateFilter an extra condition narrowing the group to the requested states, or empty
     * @param now the current time
     * @param limit the most rows
     * @param owner the lease owner
     * @param lease the lease length
     * @param tokenPrefix a prefix unique to this claim call; each row's token is the prefix plus its id
     * @return the claimed rows
     */
    abstract List<Claim> claim(JdbcTemplate jdbc, MetaSql sql, StateGroup group, String stateFilter, Instant now,
                                    int limit, String owner, Duration lease, String tokenPrefix);
}
