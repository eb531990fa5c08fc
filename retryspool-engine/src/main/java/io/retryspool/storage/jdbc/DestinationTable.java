package io.retryspool.storage.jdbc;

import io.retryspool.DestinationStatus;
import io.retryspool.QueueState;
import io.retryspool.storage.DestinationPolicy;
import io.retryspool.storage.DestinationResult;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The statements of the destinations table ({@link JdbcTables#destinationTable()}), one row per destination a message
 * was ever enqueued for: creating the rows an enqueue needs (in the enqueue's transaction, passing over rows that
 * exist), locking the rows of destinations with due messages for a claim ({@code FOR UPDATE SKIP LOCKED} where the
 * database has it), counting their running attempts, writing back rate buckets, and folding attempt results into the
 * destinations' health. Every method runs inside the caller's transaction.
 */
final class DestinationTable {

    private final JdbcTemplate jdbc;
    private final JdbcDialect dialect;
    private final String table;
    private final String messages;
    private final String insert;
    private final String lockForResult;
    private final String updateStatus;
    private final String resetIfUnhealthy;
    private final String writeTokens;

    DestinationTable(JdbcTemplate jdbc, JdbcDialect dialect, String table, String messages) {
        this.jdbc = jdbc;
        this.dialect = dialect;
        this.table = table;
        this.messages = messages;
        this.insert = dialect.insertUnlessConflict(table, dialect.destinationColumns(), dialect.destinationValues());
        this.lockForResult = "SELECT name, failures, suspensions, suspended_until FROM " + table + " WHERE "
                + dialect.destinationKey() + dialect.forUpdate();
        this.updateStatus = "UPDATE " + table + " SET failures = ?, suspensions = ?, suspended_until = ? WHERE "
                + dialect.destinationKey();
        this.resetIfUnhealthy = "UPDATE " + table + " SET failures = 0, suspensions = 0, suspended_until = NULL WHERE "
                + dialect.destinationKey() + " AND (failures <> 0 OR suspensions <> 0)";
        this.writeTokens = "UPDATE " + table + " SET tokens = ?, refilled_at = ? WHERE " + dialect.destinationKey();
    }

    String table() {
        return table;
    }

    /**
     * The distinct destinations of some messages, in name order (so that concurrent enqueues create rows in the same
     * order and never deadlock); empty when none has a destination.
     */
    static List<String> distinct(Collection<String> destinations) {
        TreeSet<String> names = new TreeSet<>();
        for (String destination : destinations) {
            if (destination != null) {
                names.add(destination);
            }
        }
        return List.copyOf(names);
    }

    /** Creates the rows of destinations that have none yet; the names as {@link #distinct} gives them. */
    void ensure(JdbcAccess access, List<String> names) {
        if (names.isEmpty()) {
            return;
        }
        List<String> missing = names;
        if (dialect.readsDestinationsBeforeInsert()) {
            String in = String.join(", ", java.util.Collections.nCopies(names.size(), "?"));
            java.util.Set<String> existing = new java.util.HashSet<>(jdbc.queryForList("SELECT name FROM " + table
                    + " WHERE name IN (" + in + ")", String.class, names.toArray()));
            missing = names.stream().filter(name -> !existing.contains(name)).toList();
            if (missing.isEmpty()) {
                return;
            }
        }
        List<Object[]> rows = new ArrayList<>(missing.size());
        for (String name : missing) {
            rows.add(dialect.destinationKeyArgs(name));
        }
        access.batchUpdate(insert, rows);
    }

    /** A destination row locked for a claim: its status, its rate bucket and the store's clock when it was read. */
    record Candidate(DestinationStatus status, @Nullable Double tokens, @Nullable Instant refilledAt, Instant clock) {
        String name() {
            return status.name();
        }
    }

    /**
     * Locks up to {@code limit} rows of destinations that are not paused at {@code now} and have a message due, in name
     * order after {@code cursor} (from the first when it is null), passing over rows other claims hold.
     */
    List<Candidate> lockDue(@Nullable String cursor, boolean after, Instant now, int limit) {
        List<Object> args = new ArrayList<>();
        String query = lockDueStatement(cursor, after, now, limit, args);
        return jdbc.query(query, candidateMapper(), args.toArray());
    }

    /**
     * Tells whether any destination that is not paused has a due message, locked by another claim or not: a plain read,
     * for when {@link #lockDue} found none.
     */
    boolean anyDue(Instant now) {
        List<Object> args = new ArrayList<>();
        String query = dueStatement(null, true, now, 1, args, false);
        return !jdbc.query(query, candidateMapper(), args.toArray()).isEmpty();
    }

    /** The statement of {@link #lockDue}, its arguments appended to {@code args}; for tests that EXPLAIN it too. */
    String lockDueStatement(@Nullable String cursor, boolean after, Instant now, int limit, List<Object> args) {
        return dueStatement(cursor, after, now, limit, args, true);
    }

    private String dueStatement(@Nullable String cursor, boolean after, Instant now, int limit, List<Object> args,
                                boolean lock) {
        args.addAll(dialect.leaseClockArgs(now));
        StringBuilder query = new StringBuilder("SELECT d.name, d.failures, d.suspensions, d.suspended_until, d.tokens,"
                + " d.refilled_at, " + dialect.leaseClock() + " AS clock FROM " + table + " d WHERE ");
        if (cursor != null) {
            query.append(after ? dialect.destinationAfter(cursor, args) : dialect.destinationUpTo(cursor, args))
                    .append(" AND ");
        }
        query.append("(d.suspended_until IS NULL OR d.suspended_until <= ?) AND ")
                .append(dialect.destinedDueExists(messages))
                .append(" ORDER BY ").append(dialect.destinationOrder()).append(" LIMIT ?")
                .append(lock ? dialect.skipLocked() : "");
        args.add(dialect.time(now));
        args.add(dialect.time(now));
        args.add(limit);
        return query.toString();
    }

    /** The statement of {@link #running} for some destinations; for tests that EXPLAIN it. */
    String runningStatement(int destinations) {
        String in = String.join(", ", java.util.Collections.nCopies(destinations, "?"));
        return "SELECT destination, COUNT(*) AS running FROM " + messages + " WHERE destination IN (" + in + ")"
                + " AND destination IS NOT NULL AND lease_until IS NOT NULL AND lease_until >= " + dialect.leaseClock()
                + " AND claimed_from <> " + QueueState.BOUNCE.code() + " GROUP BY " + dialect.destinationGroup();
    }

    private RowMapper<Candidate> candidateMapper() {
        return (rs, n) -> {
            double tokens = rs.getDouble("tokens");
            Double bucket = rs.wasNull() ? null : tokens;
            return new Candidate(status(rs), bucket, dialect.readTime(rs, "refilled_at"),
                    Objects.requireNonNull(dialect.readTime(rs, "clock")));
        };
    }

    private DestinationStatus status(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new DestinationStatus(rs.getString("name"), rs.getInt("failures"), rs.getInt("suspensions"),
                dialect.readTime(rs, "suspended_until"));
    }

    /**
     * Counts the running delivery attempts of some destinations (a live lease recorded, claimed from INCOMING or
     * DEFERRED), read after their rows were locked, so that every claim another client committed while holding them
     * is seen. A lease that expired no longer counts: its worker stopped renewing it (and a message an operator moved
     * out of ACTIVE is not settled by the lease reaper, so its expired lease would otherwise count for ever). Runs of
     * the bounce handlers are not deliveries to the destination.
     */
    Map<String, Integer> running(List<String> names, Instant now) {
        Map<String, Integer> running = new HashMap<>();
        if (names.isEmpty()) {
            return running;
        }
        jdbc.query(runningStatement(names.size()),
                rs -> {
                    String name = rs.getString("destination");
                    if (names.contains(name)) { // exact: a padding collation groups 'a ' apart, but names it
                        running.merge(name, rs.getInt("running"), Integer::sum);
                    }
                }, runningArgs(names, now));
        return running;
    }

    /** The arguments of {@link #runningStatement}: the names, then the lease clock's. */
    Object[] runningArgs(List<String> names, Instant now) {
        List<Object> args = new ArrayList<>(names);
        args.addAll(dialect.leaseClockArgs(now));
        return args.toArray();
    }

    /** Writes a destination's rate bucket after a claim. */
    void writeTokens(String name, double tokens, Instant refilledAt) {
        List<Object> args = new ArrayList<>(List.of(tokens, dialect.time(refilledAt)));
        args.addAll(List.of(dialect.destinationKeyArgs(name)));
        jdbc.update(writeTokens, args.toArray());
    }

    /**
     * Folds results into the destinations' statuses, destination by destination in name order, each under its row's
     * lock; a destination whose results are all successes is reset only if it is not healthy already (a conditional
     * UPDATE that matches no row writes nothing).
     */
    void record(JdbcAccess access, List<DestinationResult> results, DestinationPolicy policy, Instant now) {
        Map<String, List<Boolean>> byDestination = new LinkedHashMap<>();
        for (DestinationResult result : results) {
            byDestination.computeIfAbsent(result.destination(), name -> new ArrayList<>()).add(result.success());
        }
        List<String> names = new ArrayList<>(byDestination.keySet());
        names.sort(Comparator.naturalOrder());
        for (String name : names) {
            List<Boolean> outcomes = Objects.requireNonNull(byDestination.get(name));
            if (!outcomes.contains(Boolean.FALSE)) {
                jdbc.update(resetIfUnhealthy, dialect.destinationKeyArgs(name));
                continue;
            }
            DestinationStatus before = lockStatus(name);
            if (before == null) {
                ensure(access, List.of(name));
                before = Objects.requireNonNull(lockStatus(name));
            }
            DestinationStatus after = before;
            for (boolean success : outcomes) {
                after = policy.after(after, success, now);
            }
            if (!after.equals(before)) {
                List<Object> args = new ArrayList<>();
                args.add(after.failures());
                args.add(after.suspensions());
                args.add(dialect.time(after.suspendedUntil()));
                args.addAll(List.of(dialect.destinationKeyArgs(name)));
                jdbc.update(updateStatus, args.toArray());
            }
        }
    }

    private @Nullable DestinationStatus lockStatus(String name) {
        return jdbc.query(lockForResult, (rs, n) -> status(rs), dialect.destinationKeyArgs(name)).stream()
                .filter(status -> status.name().equals(name)).findFirst().orElse(null);
    }

    /** The suspended destinations, by name (in Java's order of strings, the same on every database). */
    List<DestinationStatus> suspended() {
        List<DestinationStatus> suspended = new ArrayList<>(jdbc.query("SELECT name, failures, suspensions,"
                + " suspended_until FROM " + table + " WHERE suspensions > 0", (rs, n) -> status(rs)));
        suspended.sort(Comparator.comparing(DestinationStatus::name));
        return suspended;
    }

    /** Makes a destination healthy; answers whether it was suspended. */
    boolean resume(String name) {
        DestinationStatus status = lockStatus(name);
        if (status == null || (status.failures() == 0 && status.suspensions() == 0)) {
            return false;
        }
        jdbc.update(resetIfUnhealthy, dialect.destinationKeyArgs(name));
        return status.suspended();
    }
}
