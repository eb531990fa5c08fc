package io.retryspool.storage.jdbc;

import org.jspecify.annotations.Nullable;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import javax.sql.DataSource;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Runs the write transactions of the stores on one DataSource. On SQLite, two things happen before each:
 *
 * <ul>
 *   <li>Write transactions of this process take turns. SQLite has one writer; when several threads start
 *   write transactions at once, the losers sleep in SQLite's busy handler for milliseconds. Taking turns on a
 *   lock first means SQLite never sees them compete. Transactions nested in one already active on the thread
 *   run as they are.</li>
 *   <li>The database file is checked to still be the one the connections opened ({@link DatabaseFileGuard}):
 *   a file deleted or replaced while the spool runs fails the write with a {@code StorageException} naming
 *   the path, instead of taking messages into a file that is gone.</li>
 * </ul>
 *
 * <p>Both are kept per DataSource, so that every store on it shares them and the file's identity is the one
 * seen when the first store opened it. On PostgreSQL nothing is done.
 */
final class WriteTurns {

    private static final Map<DataSource, SqliteFile> FILES = Collections.synchronizedMap(new WeakHashMap<>());

    private final DataSource dataSource;
    private final @Nullable SqliteFile sqlite;

    private WriteTurns(DataSource dataSource, @Nullable SqliteFile sqlite) {
        this.dataSource = dataSource;
        this.sqlite = sqlite;
    }

    static WriteTurns of(DataSource dataSource, JdbcDialect dialect) {
        return new WriteTurns(dataSource, dialect instanceof SqliteDialect
                ? FILES.computeIfAbsent(dataSource, ignored -> new SqliteFile(new ReentrantLock(), DatabaseFileGuard.of(dataSource)))
                : null);
    }

    <T> T run(Supplier<T> transaction) {
        if (sqlite == null) {
            return transaction.get();
        }
        if (TransactionSynchronizationManager.isActualTransactionActive()
                && TransactionSynchronizationManager.getResource(dataSource) != null) {
            sqlite.check(); // inside a transaction on this database, which already has or will take the write lock
            return transaction.get();
        }
        sqlite.lock.lock();
        try {
            sqlite.check();
            return transaction.get();
        } finally {
            sqlite.lock.unlock();
        }
    }

    /** What the writers of one SQLite DataSource share; {@code guard} is null for a database without a file. */
    private record SqliteFile(ReentrantLock lock, @Nullable DatabaseFileGuard guard) {

        void check() {
            if (guard != null) {
                guard.check();
            }
        }
    }
}
