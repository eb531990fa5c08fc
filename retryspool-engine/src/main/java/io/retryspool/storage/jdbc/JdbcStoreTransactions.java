package io.retryspool.storage.jdbc;

import io.retryspool.StorageException;
import io.retryspool.internal.Arguments;
import io.retryspool.storage.StoreTransactions;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.util.function.Supplier;

/**
 * Transactions on the DataSource that both {@link JdbcMetaStore} and {@link JdbcDataStore} use, so that an
 * enqueue writes body chunks and metadata in one transaction. A Spring transaction already active on that
 * DataSource is joined (the transactional outbox: when the caller's transaction rolls back, the message was
 * never enqueued), and after-commit actions then wait for the caller's commit. A transaction that cannot begin or
 * commit (e.g. SQLite's lock wait timed out) fails with a {@link StorageException}.
 */
public final class JdbcStoreTransactions implements StoreTransactions {

    private final TransactionTemplate transactions;
    private final WriteTurns writeTurns;

    /**
     * Creates transactions on a DataSource.
     *
     * @param dataSource the DataSource both stores use
     */
    public JdbcStoreTransactions(DataSource dataSource) {
        Arguments.requireNonNull("dataSource", dataSource);
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.writeTurns = WriteTurns.of(dataSource, JdbcDialect.detect(dataSource));
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        return writeTurns.run(() -> {
            try {
                return transactions.execute(status -> work.get());
            } catch (TransactionException e) {
                throw new StorageException("could not run a transaction on the spool's database: "
                        + e.getMostSpecificCause().getMessage(), e);
            }
        });
    }

    @Override
    public boolean callerTransactionActive() {
        return TransactionSynchronizationManager.isActualTransactionActive();
    }

    @Override
    public void afterCommit(Runnable action) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
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
