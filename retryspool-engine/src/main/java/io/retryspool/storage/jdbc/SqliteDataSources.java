package io.retryspool.storage.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.StorageException;
import io.retryspool.internal.Arguments;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Builds a pooled DataSource for an SQLite database file, tuned for a spool: WAL journal, synchronous
 * NORMAL, a busy timeout, a page cache, incremental auto-vacuum (set when the file is created), foreign keys
 * on, WAL checkpoints every 10,000 pages instead of 1,000 (fewer, larger checkpoints; the WAL file may grow to
 * about 40 MB), and every transaction started with {@code BEGIN IMMEDIATE} so that concurrent writers queue up
 * on the busy timeout instead of failing with "database is locked". Needs {@code org.xerial:sqlite-jdbc} and
 * HikariCP.
 */
public final class SqliteDataSources {

    private static final int WAL_AUTOCHECKPOINT_PAGES = 10_000;

    private SqliteDataSources() {
    }

    /**
     * The tuning of an SQLite database.
     *
     * @param journalMode journal mode, e.g. WAL
     * @param synchronous synchronous mode, e.g. NORMAL or FULL
     * @param busyTimeout how long a writer waits for the lock
     * @param cacheSize page cache size as SQLite's {@code cache_size} (pages if positive, KiB if negative)
     * @param maximumPoolSize connections in the pool
     */
    public record Options(String journalMode, String synchronous, Duration busyTimeout, int cacheSize, int maximumPoolSize) {

        /** Checks the options. */
        public Options {
            journalMode = SQLiteConfig.JournalMode.valueOf(Arguments.requireNonNull("journalMode", journalMode)
                    .toUpperCase(java.util.Locale.ROOT)).name();
            synchronous = SQLiteConfig.SynchronousMode.valueOf(Arguments.requireNonNull("synchronous", synchronous)
                    .toUpperCase(java.util.Locale.ROOT)).name();
            Arguments.requireNotNegative("busyTimeout", busyTimeout);
            Arguments.requirePositive("maximumPoolSize", maximumPoolSize);
        }

        /**
         * Returns the defaults: WAL, NORMAL, 30 s busy timeout, 2000 pages of cache, 8 connections.
         *
         * @return the defaults
         */
        public static Options defaults() {
            return new Options("WAL", "NORMAL", Duration.ofSeconds(30), 2000, 8);
        }
    }

    /**
     * Creates a pooled DataSource for a database file with the default options; the file and its parent
     * directories are created if missing. Close it when done.
     *
     * @param file the database file
     * @return the pool
     */
    public static HikariDataSource create(Path file) {
        return create(file, Options.defaults());
    }

    /**
     * Creates a pooled DataSource for a database file; the file and its parent directories are created if
     * missing. Close it when done.
     *
     * @param file the database file
     * @param options the tuning
     * @return the pool
     */
    public static HikariDataSource create(Path file, Options options) {
        Arguments.requireNonNull("file", file);
        Arguments.requireNonNull("options", options);
        Path absolute = file.toAbsolutePath();
        try {
            if (absolute.getParent() != null) {
                Files.createDirectories(absolute.getParent());
            }
        } catch (IOException e) {
            throw new StorageException("could not create the directory of SQLite database " + absolute, e);
        }
        createWithIncrementalAutoVacuum(absolute);
        SQLiteConfig config = new SQLiteConfig();
        config.setWalAutocheckpoint(WAL_AUTOCHECKPOINT_PAGES);
        config.setJournalMode(SQLiteConfig.JournalMode.valueOf(options.journalMode()));
        config.setSynchronous(SQLiteConfig.SynchronousMode.valueOf(options.synchronous()));
        config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, options.busyTimeout().toMillis()));
        config.setCacheSize(options.cacheSize());
        config.enforceForeignKeys(true);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        SQLiteDataSource sqlite = new SQLiteDataSource(config);
        sqlite.setUrl("jdbc:sqlite:" + absolute);

        HikariConfig pool = new HikariConfig();
        pool.setDataSource(sqlite);
        pool.setPoolName("retryspool-sqlite");
        pool.setMaximumPoolSize(options.maximumPoolSize());
        return new HikariDataSource(pool);
    }

    /** auto_vacuum can only be chosen before the first page is written, so a new file gets it first. */
    private static void createWithIncrementalAutoVacuum(Path file) {
        try {
            if (Files.exists(file) && Files.size(file) > 0) {
                return;
            }
            try (java.sql.Connection connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
                 java.sql.Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA auto_vacuum = INCREMENTAL");
                statement.execute("CREATE TABLE IF NOT EXISTS retryspool_created (created INTEGER)");
                statement.execute("DROP TABLE retryspool_created");
            }
        } catch (IOException | java.sql.SQLException e) {
            throw new StorageException("could not create the SQLite database " + file, e);
        }
    }
}
