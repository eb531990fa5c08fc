package io.retryspool.storage.jdbc;

import io.retryspool.StorageException;
import io.retryspool.StoreUnavailableException;
import io.retryspool.checks.Arguments;
import io.retryspool.storage.StoreTransactions;
import org.springframework.core.NestedRuntimeException;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import javax.sql.DataSource;
import java.util.function.Supplier;

/**
 * Transactions on the DataSource that both {@link JdbcMetaStore} and {@link JdbcDataStore} use, so that an
 * enqueue writes body chunks and metadata in one transaction. A caller's Spring transaction that holds a connection
 * of that DataSource is joined, whichever transaction manager runs it ({@code DataSourceTransactionManager},
 * {@code JpaTransactionManager} with Hibernate, ...): the transactional outbox, where a rollback of the caller's
 * transaction means the message was never enqueued; after-commit actions then wait for the caller's commit. The
 * spool never begins, commits or rolls back a transaction it did not start. A caller's transaction on another
 * database is not joined: the work commits on its own, which is logged once at WARN. When the database cannot begin,
 * commit or roll back the transaction (it is unreachable, the pool is exhausted, SQLite's lock wait timed out), the
 * failure is a {@link StorageException} saying which, with Spring's exception as its cause.
 */
public final class JdbcStoreTransactions implements StoreTransactions {

    private final DataSourceTransactions transactions;
    private final WriteTurns writeTurns;
    private final String database;

    /**
     * Creates transactions on a DataSource.
     *
     * @param dataSource the DataSource both stores use
     */
    public JdbcStoreTransactions(DataSource dataSource) {
        Arguments.requireNonNull("dataSource", dataSource);
        JdbcDialect dialect = JdbcDialect.detect(dataSource);
        this.transactions = new DataSourceTransactions(dataSource, dialect.ownTransactionIsolation());
        this.writeTurns = WriteTurns.of(dataSource, dialect);
        this.database = dialect.name();
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        try {
            return writeTurns.run(() -> transactions.execute(work));
        } catch (CannotCreateTransactionException e) {
            throw new StoreUnavailableException("could not begin a transaction (" + database + "): "
                    + e.getMostSpecificCause().getMessage(), e);
        } catch (TransactionException e) {
            throw failure("commit or roll back a transaction", e);
        } catch (DataAccessException e) {
            throw failure("write in a transaction", e);
        }
    }

    private StorageException failure(String what, NestedRuntimeException e) {
        return new StorageException("could not " + what + " (" + database + "): " + e.getMostSpecificCause().getMessage(), e);
    }

    /** True inside a caller's transaction that holds a connection of this DataSource, whatever its manager. */
    @Override
    public boolean callerTransactionActive() {
        return transactions.joinsCallerTransaction();
    }

    /** Runs the action after the caller's commit when the work joined the caller's transaction, else at once. */
    @Override
    public void afterCommit(Runnable action) {
        if (transactions.joinsCallerTransaction() && TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    action.run();
                }
            });
        } else {
            action.run();
        }
    }
}
