package io.retryspool.storage.jdbc;

import io.retryspool.QueueState;
import io.retryspool.storage.MessageSelection;
import io.retryspool.storage.SelectionKey;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowMapper;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The metadata table's statements for the bulk operations on a {@link MessageSelection} and its filtered listing, for
 * one table name and dialect. A batch's window is read through the index on {@code (state, created, id)} alone:
 * equality on the state, the age as a range on {@code created}, and the keyset {@code (created, id) > (?, ?)} where the
 * previous batch ended ({@link JdbcDialect#createdIdAfter}). The write then finds the window's rows by id and
 * applies every criterion, the header, error and destination ones included, so that a row which changed after it was
 * read (claimed, moved, or retried with another error) is skipped, and a selective header or destination criterion
 * never makes the planner trade the index's order for a sort of the whole state. A listing reads its windows the
 * same way, then the matching rows among them by id ({@link #matching}).
 *
 * <p>Header criteria compare the stored JSON object's value for the name, the error criterion folds the case of ASCII
 * letters only, identically on every database ({@link JdbcDialect#headerEquals}, {@link JdbcDialect#errorContains}):
 * so {@code %} and {@code _} in the text are plain characters. The destination criterion compares exactly
 * ({@link JdbcDialect#destinationEquals}). A batch's move or deletion answers the ids it changed
 * ({@link JdbcDialect#changeReturning}).
 */
final class SelectionSql {


    private final String table;
    private final JdbcDialect dialect;

    SelectionSql(String table, JdbcDialect dialect) {
        this.table = table;
        this.dialect = dialect;
    }

    /** A statement with its arguments. */
    record Statement(String sql, Object[] args) {
    }

    /** Counts a selection's rows. */
    Statement count(MessageSelection selection) {
        List<Object> args = new ArrayList<>();
        args.add(selection.state().code());
        String sql = "SELECT COUNT(*) FROM " + table + " WHERE state = ?" + criteria(selection, args);
        return new Statement(sql, args.toArray());
    }

    /**
     * Reads up to {@code limit} rows of the selection's state and age range, oldest first (the index's order), and
     * answers how many were read ({@code examined}) and how many of them meet the other criteria ({@code matched}).
     */
    Statement sample(MessageSelection selection, long limit) {
        List<Object> args = new ArrayList<>();
        String residual = residual(selection, args);
        String matches = residual.isEmpty() ? "1 = 1" : residual.substring(" AND ".length());
        List<Object> inner = new ArrayList<>();
        inner.add(selection.state().code());
        StringBuilder sql = new StringBuilder("SELECT COUNT(*) AS examined, COALESCE(SUM(CASE WHEN " + matches
                + " THEN 1 ELSE 0 END), 0) AS matched FROM (SELECT headers, last_error, destination FROM " + table
                + " WHERE state = ?");
        if (selection.createdBefore() != null) {
            sql.append(" AND created < ?");
            inner.add(dialect.time(selection.createdBefore()));
        }
        sql.append(" ORDER BY created, id LIMIT ?) w");
        inner.add(limit);
        args.addAll(inner);
        return new Statement(sql.toString(), args.toArray());
    }

    /**
     * Reads the keys of a batch's window: up to {@code limit} rows in the selection's state and age after
     * {@code after}, in {@link SelectionKey#ORDER}, whether they meet the other criteria or not. The write that follows
     * applies those criteria, so the window is always read in the index's order, however few of its rows match.
     */
    Statement batch(MessageSelection selection, @Nullable SelectionKey after, int limit) {
        List<Object> args = new ArrayList<>();
        args.add(selection.state().code());
        StringBuilder sql = new StringBuilder("SELECT id, created FROM " + table + " WHERE state = ?");
        if (selection.createdBefore() != null) {
            sql.append(" AND created < ?");
            args.add(dialect.time(selection.createdBefore()));
        }
        if (after != null) {
            sql.append(" AND ").append(dialect.createdIdAfter(dialect.time(after.created()), after.id(), args));
        }
        sql.append(" ORDER BY created, id LIMIT ?");
        args.add(limit);
        return new Statement(sql.toString(), args.toArray());
    }

    /** Maps a row of {@link #batch} to its key. */
    RowMapper<SelectionKey> keyMapper() {
        return (rs, n) -> new SelectionKey(Objects.requireNonNull(dialect.readTime(rs, "created")), rs.getString("id"));
    }

    /**
     * Moves the given rows, each only if it is still in the selection's state, still matches and no attempt on it
     * still runs, as {@link MetaSql#moveToState} does from a state other than ACTIVE; returns the moved ids.
     */
    RowChange move(MessageSelection selection, List<String> ids, QueueState to, Instant updated, @Nullable Instant nextRetry) {
        List<Object> setArgs = new ArrayList<>(List.of(to.code(), dialect.time(updated)));
        StringBuilder set = new StringBuilder("state = ?, updated = ?, archived_as = NULL");
        if (nextRetry != null) {
            set.append(", next_retry = ?");
            setArgs.add(dialect.time(nextRetry));
        }
        if (to == QueueState.INCOMING) {
            set.append(", attempts = 0, lifetime_start = ?");
            setArgs.add(dialect.time(updated));
        }
        set.append(", ").append(MetaSql.DROP_LEASE);
        List<Object> whereArgs = new ArrayList<>();
        String where = byIds(selection, ids, whereArgs) + " AND (lease_until IS NULL OR lease_until < "
                + dialect.leaseClock() + ")";
        whereArgs.addAll(dialect.leaseClockArgs(updated));
        return RowChange.update(table, set.toString(), setArgs, where, whereArgs, "id");
    }

    /**
     * Reads the given rows that are still in the selection's state and meet every criterion, in no particular order: a
     * listing's matches among the keys of a window that {@link #batch} read. Finds the rows by primary key.
     */
    Statement matching(MessageSelection selection, List<String> ids) {
        List<Object> args = new ArrayList<>();
        String where = byIds(selection, ids, args);
        return new Statement("SELECT " + MetaSql.COLUMNS + " FROM " + table + " WHERE " + where, args.toArray());
    }

    /** Deletes the given rows, each only if it is still in the selection's state and still matches; returns their ids. */
    RowChange delete(MessageSelection selection, List<String> ids) {
        List<Object> args = new ArrayList<>();
        return RowChange.delete(table, byIds(selection, ids, args), args, "id");
    }

    /**
     * The condition finding rows by id and repeating the selection's criteria. The state carries a "+ 0" so that
     * the rows are found through the primary key, not through the state's index.
     */
    private String byIds(MessageSelection selection, List<String> ids, List<Object> args) {
        args.addAll(ids);
        args.add(selection.state().code());
        return "id IN (" + String.join(", ", Collections.nCopies(ids.size(), "?")) + ") AND state + 0 = ?"
                + criteria(selection, args);
    }

    /** The criteria other than the state, each starting with " AND ", their arguments appended to {@code args}. */
    private String criteria(MessageSelection selection, List<Object> args) {
        StringBuilder sql = new StringBuilder();
        if (selection.createdBefore() != null) {
            sql.append(" AND created < ?");
            args.add(dialect.time(selection.createdBefore()));
        }
        return sql.append(residual(selection, args)).toString();
    }

    /**
     * The header, error and destination criteria, each starting with " AND ", their arguments appended to
     * {@code args}.
     */
    private String residual(MessageSelection selection, List<Object> args) {
        StringBuilder sql = new StringBuilder();
        selection.headers().forEach((name, value) -> {
            sql.append(" AND ").append(dialect.headerEquals());
            args.add(name);
            args.add(value);
        });
        if (selection.errorContains() != null) {
            sql.append(" AND ").append(dialect.errorContains());
            args.add(dialect.errorContainsArgument(MessageSelection.foldAsciiCase(selection.errorContains())));
        }
        if (selection.destination() != null) {
            sql.append(" AND ").append(dialect.destinationEquals(selection.destination(), args));
        }
        return sql.toString();
    }
}
