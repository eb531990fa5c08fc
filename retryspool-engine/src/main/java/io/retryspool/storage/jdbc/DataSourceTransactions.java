package io.retryspool.storage.jdbc;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Transactions on the spool's DataSource that join the caller's transaction whenever it holds a connection of that
 * DataSource, whichever transaction manager runs it: {@code DataSourceTransactionManager}, {@code JdbcClient} under
 * {@code @Transactional}, or {@code JpaTransactionManager} with Hibernate, which binds the connection of the
 * DataSource it was given without marking a JDBC transaction active (so a {@code DataSourceTransactionManager} of
 * the spool's own would see none, begin one and commit it early). The work then simply runs on that connection,
 * and the caller's commit or rollback decides for it; the spool never begins, commits or rolls back a transaction it
 * did not start.
 *
 * <p>When the caller's transaction holds no connection of this DataSource (it runs on another database), the work
 * runs in a transaction of its own, which commits independently of the caller's; this is said once at WARN.
 */
final class DataSourceTransactions {

    private static final Logger log = LoggerFactory.getLogger(DataSourceTransactions.class);

    private final DataSource dataSource;
    private final TransactionTemplate own;
    private final AtomicBoolean toldOfSeparateTransactions = new AtomicBoolean();

    /**
     * Creates the transactions.
     *
     * @param dataSource the DataSource
     * @param isolation the isolation level of the spool's own transactions, as a {@link TransactionDefinition}
     *                  constant; the caller's transactions keep theirs
     */
    DataSourceTransactions(DataSource dataSource, int isolation) {
        this.dataSource = dataSource;
        this.own = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.own.setIsolationLevel(isolation);
    }

    /**
     * Whether the calling thread is inside a transaction that holds a connection of this DataSource: work runs in
     * it and commits or rolls back with it.
     */
    boolean joinsCallerTransaction() {
        return TransactionSynchronizationManager.isActualTransactionActive()
                && TransactionSynchronizationManager.getResource(dataSource) != null;
    }

    /** Runs work in the caller's transaction when it holds this DataSource's connection, else in one of its own. */
    <T> T execute(Supplier<T> work) {
        if (joinsCallerTransaction()) {
            return work.get();
        }
        if (TransactionSynchronizationManager.isActualTransactionActive()
                && toldOfSeparateTransactions.compareAndSet(false, true)) {
            log.warn("RetrySpool was called inside a transaction that holds no connection of its DataSource (the"
                    + " transaction runs on another database): its writes are committed in a transaction of their own"
                    + " and do not roll back with the caller's. Give RetrySpool the DataSource your transaction manager"
                    + " uses to make enqueues part of your transactions.");
        }
        return own.execute(status -> work.get());
    }
}
