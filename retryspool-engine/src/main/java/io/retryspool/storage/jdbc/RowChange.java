package io.retryspool.storage.jdbc;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An UPDATE or DELETE of the rows meeting a condition that answers columns of the rows it changed. A dialect runs it
 * ({@link JdbcDialect#changeReturning}): as one statement with {@code RETURNING} where the database has it, else by
 * locking the rows first and then changing and reading them by id in the caller's transaction.
 *
 * @param table the table
 * @param set the SET list of an UPDATE, or null for a DELETE
 * @param setArgs the arguments of {@code set}
 * @param where the condition the rows must meet
 * @param orderAndLimit null to change every row meeting {@code where}; else the {@code ORDER BY … LIMIT ?} choosing
 *                      which of them, its arguments last in {@code whereArgs}
 * @param skipLocked whether rows another transaction has locked are passed over (only with {@code orderAndLimit})
 * @param whereArgs the arguments of {@code where} and {@code orderAndLimit}
 * @param returning the columns answered
 */
record RowChange(String table, @Nullable String set, List<Object> setArgs, String where, @Nullable String orderAndLimit,
                 boolean skipLocked, List<Object> whereArgs, String returning) {

    RowChange {
        setArgs = List.copyOf(setArgs);
        whereArgs = List.copyOf(whereArgs);
        if (skipLocked && orderAndLimit == null) {
            throw new IllegalArgumentException("skipLocked: only a limited change passes over locked rows");
        }
    }

    /** An UPDATE of every row meeting {@code where}. */
    static RowChange update(String table, String set, List<Object> setArgs, String where, List<Object> whereArgs,
                            String returning) {
        return new RowChange(table, set, setArgs, where, null, false, whereArgs, returning);
    }

    /** A DELETE of every row meeting {@code where}. */
    static RowChange delete(String table, String where, List<Object> whereArgs, String returning) {
        return new RowChange(table, null, List.of(), where, null, false, whereArgs, returning);
    }

    /** Whether this is a DELETE. */
    boolean deletes() {
        return set == null;
    }

    /** The change as one statement ending in {@code RETURNING}, the limited rows picked by a subquery. */
    String returningStatement(String lockClause) {
        String rows = orderAndLimit == null ? where
                : "id IN (SELECT id FROM " + table + " WHERE " + where + " " + orderAndLimit
                        + (skipLocked ? lockClause : "") + ")";
        return head() + " WHERE " + rows + " RETURNING " + returning;
    }

    /** The arguments of {@link #returningStatement}. */
    Object[] returningArgs() {
        List<Object> args = new ArrayList<>(setArgs);
        args.addAll(whereArgs);
        return args.toArray();
    }

    /** {@code UPDATE table SET …} or {@code DELETE FROM table}. */
    String head() {
        return deletes() ? "DELETE FROM " + table : "UPDATE " + table + " SET " + set;
    }
}
