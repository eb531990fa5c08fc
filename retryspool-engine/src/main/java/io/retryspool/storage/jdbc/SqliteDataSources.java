package io.retryspool.storage.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.SQLExceptionOverride;
import io.retryspool.StorageException;
import io.retryspool.checks.Arguments;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;
import org.sqlite.SQLiteOpenMode;
import org.sqlite.jdbc4.JDBC4Connection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * Builds a pooled DataSource for an SQLite database file, tuned for a spool: WAL journal, synchronous
 * NORMAL, a busy timeout, a page cache, incremental auto-vacuum (set when the file is created), foreign keys
 * on, WAL checkpoints every 10,000 pages instead of 1,000 (fewer, larger checkpoints; the WAL file may grow to
 * about 40 MB), and every transaction started with {@code BEGIN IMMEDIATE} so that concurrent writers queue up
 * on the busy timeout instead of failing with "database is locked". Needs {@code org.xerial:sqlite-jdbc} and
 * HikariCP.
 *
 * <p>A transaction that waited longer than the busy timeout for the lock fails cleanly and stores nothing: its
 * connection is evicted from the pool (see {@link LockTimeoutEviction}), and a commit never waits for the lock
 * (see {@link SpoolConnection}). The file is created here if missing, and the pool's connections never create
 * it: one opened after the file was deleted fails instead of starting an empty database at the same path (the
 * stores refuse writes to a deleted or replaced file, see {@link DatabaseFileGuard}). The file's absolute path
 * is logged at INFO when the pool is created, with whether the file was new.
 */
public final class SqliteDataSources {

    private static final Logger log = LoggerFactory.getLogger(SqliteDataSources.class);
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
        boolean created = createWithIncrementalAutoVacuum(absolute);
        SQLiteConfig config = new SQLiteConfig();
        config.setWalAutocheckpoint(WAL_AUTOCHECKPOINT_PAGES);
        config.setJournalMode(SQLiteConfig.JournalMode.valueOf(options.journalMode()));
        config.setSynchronous(SQLiteConfig.SynchronousMode.valueOf(options.synchronous()));
        config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, options.busyTimeout().toMillis()));
        config.setCacheSize(options.cacheSize());
        config.enforceForeignKeys(true);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        // the file exists by now; a pooled connection opened after it was deleted must fail, not make a new empty one
        config.resetOpenMode(SQLiteOpenMode.CREATE);
        SQLiteDataSource sqlite = new SpoolConnections(config);
        sqlite.setUrl("jdbc:sqlite:" + absolute);

        HikariConfig pool = new HikariConfig();
        pool.setDataSource(sqlite);
        pool.setPoolName("retryspool-sqlite");
        pool.setMaximumPoolSize(options.maximumPoolSize());
        pool.setExceptionOverride(new LockTimeoutEviction());
        HikariDataSource dataSource = new HikariDataSource(pool);
        log.info("RetrySpool SQLite database {}: {}", absolute, created ? "created a new file" : "opened the existing file");
        return dataSource;
    }

    /**
     * Returns the database file a {@code jdbc:sqlite:} URL names, so that a pool built with {@link #create(Path, Options)}
     * on it gets the spool's tuning.
     *
     * @param url a URL such as {@code jdbc:sqlite:/var/lib/app/spool.db} or {@code jdbc:sqlite:file:spool.db}
     * @return the file, relative paths as given
     * @throws IllegalArgumentException if the URL is not a {@code jdbc:sqlite:} URL, names an in-memory or resource
     *                                  database (no file that several connections could share), or carries parameters
     *                                  (the tuning comes from {@link Options})
     */
    public static Path databaseFile(String url) {
        Arguments.requireNonNull("url", url);
        String prefix = "jdbc:sqlite:";
        if (!url.regionMatches(true, 0, prefix, 0, prefix.length())) {
            throw new IllegalArgumentException("not an SQLite URL (jdbc:sqlite:<file>): " + url);
        }
        String file = url.substring(prefix.length());
        if (file.startsWith("file:")) {
            file = file.substring("file:".length());
        }
        if (file.isBlank() || file.startsWith(":memory:") || file.startsWith(":resource:") || file.contains("mode=memory")) {
            throw new IllegalArgumentException("an SQLite spool needs a database file, not an in-memory or resource "
                    + "database: " + url);
        }
        if (file.contains("?")) {
            throw new IllegalArgumentException("an SQLite URL for the spool names the file only, without parameters "
                    + "(the journal mode, synchronous mode, busy timeout and cache size are options): " + url);
        }
        return Path.of(file);
    }

    /**
     * auto_vacuum can only be chosen before the first page is written, so a new file gets it first.
     *
     * @return whether the database was new (no file, or an empty one)
     */
    private static boolean createWithIncrementalAutoVacuum(Path file) {
        try {
            if (Files.exists(file) && Files.size(file) > 0) {
                return false;
            }
            try (java.sql.Connection connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
                 java.sql.Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA auto_vacuum = INCREMENTAL");
                statement.execute("CREATE TABLE IF NOT EXISTS retryspool_created (created INTEGER)");
                statement.execute("DROP TABLE retryspool_created");
            }
            return true;
        } catch (IOException | java.sql.SQLException e) {
            throw new StorageException("could not create the SQLite database " + file, e);
        }
    }

    /**
     * Evicts a pooled connection when SQLite reports that it could not get a lock in time ({@code SQLITE_BUSY}
     * after the busy timeout, or {@code SQLITE_LOCKED}, with any extended code of the two), and leaves every
     * other error to HikariCP's own rules.
     *
     * <p>Why: sqlite-jdbc's {@code setAutoCommit(false)} turns its auto-commit flag off before it runs
     * {@code BEGIN IMMEDIATE}; when that times out the flag stays off with no transaction open. Back in the
     * pool, such a connection makes every later "transaction" run statement by statement: a failure halfway
     * leaves half the writes stored, and every commit fails with "cannot commit - no transaction is active".
     * Telling such a connection from a sound one is not possible from here, as HikariCP does not say which
     * call failed; so every lock timeout evicts. That costs one new connection per timeout, which is cheap on
     * an SQLite file, and is harmless when the error came from a statement inside a transaction: closing the
     * connection rolls it back, as the failing transaction would have been. Syntax errors, constraint
     * violations and the like keep the connection.
     */
    static final class LockTimeoutEviction implements SQLExceptionOverride {

        @java.lang.Override
        public Override adjudicate(SQLException e) {
            return isLockTimeout(e) ? Override.MUST_EVICT : Override.CONTINUE_EVICT;
        }

        /** Whether SQLite could not get a lock in time; its error code is the primary result code. */
        static boolean isLockTimeout(SQLException e) {
            return e instanceof SQLiteException
                    && (e.getErrorCode() == SQLiteErrorCode.SQLITE_BUSY.code || e.getErrorCode() == SQLiteErrorCode.SQLITE_LOCKED.code);
        }
    }

    /** Makes {@link SpoolConnection}s with the settings and URL of this DataSource. */
    private static final class SpoolConnections extends SQLiteDataSource {

        SpoolConnections(SQLiteConfig config) {
            super(config);
        }

        @java.lang.Override
        public SQLiteConnection getConnection(String username, String password) throws SQLException {
            return new SpoolConnection(getUrl(), getUrl().substring(org.sqlite.JDBC.PREFIX.length()), getConfig().toProperties());
        }
    }

    /**
     * An sqlite-jdbc connection whose commit and rollback cannot fail after the fact. sqlite-jdbc begins the next
     * transaction as soon as one ends: {@code commit()} runs {@code COMMIT}, then {@code BEGIN IMMEDIATE} at
     * once. That second step waits for the write lock while another process holds it, up to the busy timeout,
     * and when it times out {@code commit()} throws although the data was committed: an enqueue would report a
     * failure for a message that is stored (and then be retried into a duplicate, or have its body removed as
     * if nothing had been written). This connection begins the transaction that follows a commit or rollback
     * as {@code DEFERRED}, which takes no lock and cannot wait or fail; a transaction opened with
     * {@code setAutoCommit(false)} still begins {@code IMMEDIATE}. Spring ends every transaction with
     * {@code setAutoCommit(true)}, which closes that empty deferred transaction at once.
     */
    static final class SpoolConnection extends JDBC4Connection {

        private static final String BEGIN_DEFERRED = "begin;";

        private boolean ending;

        SpoolConnection(String url, String fileName, Properties properties) throws SQLException {
            super(url, fileName, properties);
        }

        @java.lang.Override
        public void commit() throws SQLException {
            ending = true;
            try {
                super.commit();
            } finally {
                ending = false;
            }
        }

        @java.lang.Override
        public void rollback() throws SQLException {
            ending = true;
            try {
                super.rollback();
            } finally {
                ending = false;
            }
        }

        @java.lang.Override
        protected String transactionPrefix() {
            return ending ? BEGIN_DEFERRED : super.transactionPrefix();
        }
    }
}
