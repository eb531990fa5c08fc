package io.retryspool.storage.jdbc;

import io.retryspool.StorageException;
import io.retryspool.StoreUnavailableException;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionException;

import javax.sql.DataSource;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One DataSource as the stores use it: a JdbcTemplate, transactions that join a caller's transaction holding a
 * connection of the DataSource (whatever its transaction manager), the detected dialect, and the translation of
 * Spring's data-access exceptions into {@link StorageException}s that say what was being done (a
 * {@link StoreUnavailableException} when no connection could be had, so nothing was written).
 * Transactions take {@link WriteTurns} on SQLite.
 */
final class JdbcAccess {

    final DataSource dataSource;
    final JdbcTemplate jdbc;
    final DataSourceTransactions transactions;
    final JdbcDialect dialect;
    private final WriteTurns writeTurns;
    private final @Nullable CompiledStatements compiledStatements;

    JdbcAccess(DataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
        this.dialect = JdbcDialect.detect(dataSource);
        this.transactions = new DataSourceTransactions(dataSource, dialect.ownTransactionIsolation());
        this.writeTurns = WriteTurns.of(dataSource, dialect);
        this.compiledStatements = dialect.compilesEveryStatement() ? new CompiledStatements() : null;
    }

    /**
     * Runs one statement for each row, as one JDBC batch; on a database whose driver compiles every statement
     * anew, the compiled statement is kept for the connection and reused.
     */
    int[] batchUpdate(String sql, List<Object[]> rows) {
        return compiledStatements == null ? jdbc.batchUpdate(sql, rows) : compiledStatements.batchUpdate(jdbc, sql, rows);
    }

    /** Runs work in a transaction (joining an active one) and translates failures. */
    <T> T inTransaction(String what, Supplier<T> work) {
        return writeTurns.run(() -> run(what, () -> transactions.execute(work)));
    }

    /**
     * Runs reads whose plans the database must not compile to machine code ({@link JdbcDialect#planCompilationParameter}),
     * and translates failures. Where the database compiles plans, the reads run in one transaction with compiling
     * turned off until its end: the spool's own, or the caller's when it holds a connection of this DataSource, where
     * the setting is put back afterwards. Elsewhere they run as {@link #run} runs them.
     */
    <T> T withoutPlanCompilation(String what, Supplier<T> work) {
        String parameter = dialect.planCompilationParameter();
        if (parameter == null) {
            return run(what, work);
        }
        return run(what, () -> {
            if (!transactions.joinsCallerTransaction()) {
                return transactions.execute(() -> {
                    setForTransaction(parameter, "off");
                    return work.get();
                });
            }
            String previous = Objects.requireNonNull(jdbc.queryForObject("SELECT current_setting(?)", String.class,
                    parameter));
            setForTransaction(parameter, "off");
            T result = work.get();
            // after a failure PostgreSQL's transaction is aborted: it takes no statement, and rolls the setting back
            setForTransaction(parameter, previous);
            return result;
        });
    }

    private void setForTransaction(String parameter, String value) {
        jdbc.queryForObject("SELECT set_config(?, ?, true)", String.class, parameter, value);
    }

    /** Runs work without a transaction of its own and translates failures. */
    <T> T run(String what, Supplier<T> work) {
        try {
            return work.get();
        } catch (CannotGetJdbcConnectionException | CannotCreateTransactionException e) {
            throw new StoreUnavailableException("could not " + what + " (" + dialect.name() + "): no connection: "
                    + e.getMostSpecificCause().getMessage(), e);
        } catch (DataAccessException | TransactionException e) {
            throw new StorageException("could not " + what + " (" + dialect.name() + "): " + e.getMostSpecificCause().getMessage(), e);
        }
    }
}
