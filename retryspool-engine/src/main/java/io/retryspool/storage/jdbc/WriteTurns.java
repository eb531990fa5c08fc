package io.retryspool.storage.jdbc;

import org.springframework.transaction.support.TransactionSynchronizationManager;

import javax.sql.DataSource;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Makes write transactions of this process on one SQLite database take turns. SQLite has one writer; when
 * several threads start write transactions at once, the losers sleep in SQLite's busy handler for
 * milliseconds. Taking turns on a lock first means SQLite never sees them compete. Transactions nested in
 * one already active on the thread run as they are. On PostgreSQL nothing is serialized.
 */
final class WriteTurns {

    private static final Map<DataSource, ReentrantLock> LOCKS = Collections.synchronizedMap(new WeakHashMap<>());

    private final ReentrantLock lock;

    private WriteTurns(ReentrantLock lock) {
        this.lock = lock;
    }

    static WriteTurns of(DataSource dataSource, JdbcDialect dialect) {
        return new WriteTurns(dialect instanceof SqliteDialect
                ? LOCKS.computeIfAbsent(dataSource, ignored -> new ReentrantLock()) : null);
    }

    <T> T run(Supplier<T> transaction) {
        if (lock == null || TransactionSynchronizationManager.isActualTransactionActive()) {
            return transaction.get();
        }
        lock.lock();
        try {
            return transaction.get();
        } finally {
            lock.unlock();
        }
    }
}
