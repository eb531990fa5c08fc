package io.retryspool.storage.jdbc;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.EnqueueRequest;
import io.retryspool.ListOptions;
import io.retryspool.Message;
import io.retryspool.QueueState;
import io.retryspool.RetrySpool;
import io.retryspool.StorageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.support.TransactionTemplate;
import org.sqlite.SQLiteConnection;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Another process holds an SQLite database's write lock for longer than the busy timeout. The writes that
 * time out fail with a {@link StorageException} and store nothing; the pooled connections whose
 * {@code BEGIN IMMEDIATE} timed out are evicted, never reused half-open (sqlite-jdbc leaves such a connection
 * with auto-commit off and no transaction, so later "transactions" on it would run statement by statement);
 * and once the lock is free the spool goes on at once.
 */
class SqliteLockTimeoutTests {

    private static final Duration BUSY_TIMEOUT = Duration.ofMillis(300);
    private static final int POOL_SIZE = 4;
    private static final int ROUNDS = 3;
    private static final long HOLD_MILLIS = 1_500;
    private static final long GAP_MILLIS = 700;
    private static final int PRODUCERS = 4;
    private static final Duration CHILD_WAIT = Duration.ofSeconds(60);
    /** Far below Hikari's 30 minutes max lifetime, after which a broken connection would be retired anyway. */
    private static final Duration RESUME_WAIT = Duration.ofSeconds(5);

    @TempDir
    Path directory;

    @Test
    void writesThatTimeOutOnAnotherProcessesLockStoreNothingAndTheSpoolGoesOnOnceItIsReleased() throws Exception {
        Path file = directory.resolve("spool.db");
        Map<String, String> accepted = new ConcurrentHashMap<>();
        Map<String, String> delivered = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger calls = new AtomicInteger();
        Queue<Throwable> otherFailures = new ConcurrentLinkedQueue<>();
        EngineLogs logs = new EngineLogs();
        try (HikariDataSource pool = SqliteDataSources.create(file, options(BUSY_TIMEOUT, POOL_SIZE));
             RetrySpool spool = RetrySpool.builder()
                     .jdbc(pool)
                     .archiveSuccess(true)
                     .pollInterval(Duration.ofMillis(20))
                     .handler((context, message, body) -> {
                         delivered.put(message.id(), new String(body.readAllBytes(), StandardCharsets.UTF_8));
                         deliveries.computeIfAbsent(message.id(), id -> new AtomicInteger()).incrementAndGet();
                     })
                     .build()) {
            spool.start();
            AtomicBoolean produce = new AtomicBoolean(true);
            CountDownLatch producersDone = new CountDownLatch(PRODUCERS);
            for (int p = 0; p < PRODUCERS; p++) {
                int producer = p;
                Thread thread = new Thread(() -> {
                    try {
                        for (int n = 0; produce.get(); n++) {
                            calls.incrementAndGet();
                            List<String> bodies = new ArrayList<>();
                            try {
                                List<String> ids = switch (n % 3) {
                                    case 0 -> {
                                        bodies.add("producer " + producer + " single " + n);
                                        yield List.of(spool.enqueue(Map.of(), bodies.get(0).getBytes(StandardCharsets.UTF_8)));
                                    }
                                    case 1 -> {
                                        bodies.add("producer " + producer + " streamed " + n);
                                        yield List.of(spool.enqueue(Map.of(),
                                                new ByteArrayInputStream(bodies.get(0).getBytes(StandardCharsets.UTF_8))));
                                    }
                                    default -> {
                                        List<EnqueueRequest> requests = new ArrayList<>();
                                        for (int i = 0; i < 3; i++) {
                                            bodies.add("producer " + producer + " group " + n + " #" + i);
                                            requests.add(EnqueueRequest.builder()
                                                    .body(bodies.get(i).getBytes(StandardCharsets.UTF_8)).build());
                                        }
                                        yield spool.enqueueAll(requests);
                                    }
                                };
                                for (int i = 0; i < ids.size(); i++) {
                                    accepted.put(ids.get(i), bodies.get(i));
                                }
                            } catch (StorageException e) {
                                refused.incrementAndGet();
                            } catch (Throwable e) {
                                otherFailures.add(e);
                            }
                            Thread.sleep(2);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        producersDone.countDown();
                    }
                }, "producer-" + p);
                thread.start();
            }

            try (ChildJvm holder = ChildJvm.start(directory.resolve("lock-holder.log"), "64m", SqliteWriteLockHolderMain.class,
                    file.toString(), Integer.toString(ROUNDS), Long.toString(HOLD_MILLIS), Long.toString(GAP_MILLIS))) {
                assertThat(holder.awaitExit(CHILD_WAIT)).as(holder.describe()).isZero();
                assertThat(holder.outputLines()).as(holder.describe()).contains(SqliteWriteLockHolderMain.DONE);
            }
            long released = System.currentTimeMillis();
            // the lock is free: a message enqueued now must be delivered within seconds
            String afterRelease = spool.enqueue(Map.of(), "after release".getBytes(StandardCharsets.UTF_8));
            accepted.put(afterRelease, "after release");
            await("a message enqueued after the lock was released is delivered").atMost(RESUME_WAIT)
                    .until(() -> delivered.containsKey(afterRelease));
            produce.set(false);
            assertThat(producersDone.await(30, TimeUnit.SECONDS)).as("producers stopped").isTrue();

            assertThat(otherFailures).as("enqueues fail with a StorageException, nothing else").isEmpty();
            assertThat(refused).as("enqueues refused while the lock was held (of %s calls)", calls).hasPositiveValue();
            await("every accepted message delivered").atMost(RESUME_WAIT)
                    .until(() -> delivered.keySet().containsAll(accepted.keySet()));
            Map<String, String> deliveredNotAccepted = new java.util.TreeMap<>(delivered);
            deliveredNotAccepted.keySet().removeAll(accepted.keySet());
            assertThat(deliveredNotAccepted).as("delivered, but the enqueue did not return its id").isEmpty();
            assertThat(delivered).as("each accepted message delivered with its exact body").isEqualTo(accepted);
            assertThat(deliveries).as("each once").allSatisfy((id, times) -> assertThat(times).as(id).hasValue(1));

            // An outcome whose write timed out on the lock is not retried by this engine: its message stays ACTIVE
            // until its lease (5 minutes here) expires and is then delivered again. That is the outcome writer's
            // business, not this test's; it only checks that those are the only messages not archived.
            await("every accepted message archived, or leased where its outcome could not be written").atMost(RESUME_WAIT)
                    .until(() -> spool.counts().get(QueueState.ARCHIVED) + logs.outcomesNotStored().size() == accepted.size());
            assertThat(spool.counts()).as("counts").containsEntry(QueueState.INCOMING, 0L).containsEntry(QueueState.DEFERRED, 0L)
                    .containsEntry(QueueState.BOUNCE, 0L).containsEntry(QueueState.HOLD, 0L)
                    .containsEntry(QueueState.ACTIVE, (long) logs.outcomesNotStored().size());
            assertThat(idsIn(spool, QueueState.ACTIVE)).isEqualTo(logs.outcomesNotStored());
            JdbcTemplate jdbc = new JdbcTemplate(pool);
            assertThat(jdbc.queryForList("SELECT id FROM retryspool_messages", String.class))
                    .as("stored messages: exactly the accepted ones").containsExactlyInAnyOrderElementsOf(accepted.keySet());
            assertThat(jdbc.queryForObject("SELECT COUNT(DISTINCT message_id) FROM retryspool_data"
                    + " WHERE message_id NOT IN (SELECT id FROM retryspool_messages)", Long.class))
                    .as("bodies without metadata").isZero();
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM retryspool_messages m"
                    + " WHERE NOT EXISTS (SELECT 1 FROM retryspool_data d WHERE d.message_id = m.id)", Long.class))
                    .as("metadata without a body").isZero();

            assertThat(logs.evictions()).as("connections evicted after a lock timeout").isPositive();
            assertThat(logs.claimFailuresSince(released)).as("claim failures after the lock was released").isZero();
            assertEveryPooledConnectionIsClean(pool);
            System.out.printf("lock held %d x %d ms past a busy timeout of %d ms: %d enqueue calls, %d refused,"
                            + " %d messages accepted and delivered once; %d connections evicted, %d claim failures,"
                            + " %d outcomes not written%n",
                    ROUNDS, HOLD_MILLIS, BUSY_TIMEOUT.toMillis(), calls.get(), refused.get(), accepted.size(),
                    logs.evictions(), logs.claimFailuresSince(0), logs.outcomesNotStored().size());
        } finally {
            logs.close();
        }
    }

    @Test
    void afterABeginThatTimedOutTheNextTransactionsOnThePoolAreRealTransactions() throws Exception {
        Path file = directory.resolve("spool.db");
        try (HikariDataSource pool = SqliteDataSources.create(file, options(Duration.ofMillis(100), 1))) {
            JdbcTemplate jdbc = new JdbcTemplate(pool);
            jdbc.execute("CREATE TABLE t (n INTEGER)");
            TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(pool));
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
                 Statement statement = other.createStatement()) {
                statement.execute("BEGIN IMMEDIATE");
                assertThatThrownBy(() -> transactions.executeWithoutResult(status -> jdbc.update("INSERT INTO t VALUES (0)")))
                        .isInstanceOf(CannotCreateTransactionException.class)
                        .rootCause().hasMessageContaining("SQLITE_BUSY");
                statement.execute("ROLLBACK");
            }

            for (int n = 1; n <= 3; n++) {
                int value = n;
                assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
                    jdbc.update("INSERT INTO t VALUES (?)", value);
                    throw new IllegalStateException("fails after its write");
                })).isInstanceOf(IllegalStateException.class);
            }

            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM t", Long.class))
                    .as("writes of transactions that failed were rolled back").isZero();
            assertEveryPooledConnectionIsClean(pool);
        }
    }

    @Test
    void aCommitLeavesTheWriteLockFreeSoThatItCannotTimeOutAfterTheDataIsCommitted() throws Exception {
        Path file = directory.resolve("spool.db");
        try (HikariDataSource pool = SqliteDataSources.create(file, options(Duration.ofMillis(100), 1))) {
            JdbcTemplate jdbc = new JdbcTemplate(pool);
            jdbc.execute("CREATE TABLE t (n INTEGER)");
            try (Connection connection = pool.getConnection()) {
                connection.setAutoCommit(false);
                try (Statement statement = connection.createStatement()) {
                    statement.executeUpdate("INSERT INTO t VALUES (1)");
                }
                connection.commit();

                // sqlite-jdbc begins the next transaction inside commit(); begun IMMEDIATE, it would hold the lock
                try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
                     Statement statement = other.createStatement()) {
                    statement.execute("PRAGMA busy_timeout = 0");
                    statement.execute("BEGIN IMMEDIATE");
                    statement.execute("INSERT INTO t VALUES (2)");
                    statement.execute("COMMIT");
                }
                connection.setAutoCommit(true);
            }

            assertThat(jdbc.queryForList("SELECT n FROM t ORDER BY n", Integer.class)).containsExactly(1, 2);
            assertEveryPooledConnectionIsClean(pool);
        }
    }

    @Test
    void aFailedBeginIsAStorageExceptionAndTheConnectionIsReplaced() throws Exception {
        Path file = directory.resolve("spool.db");
        try (HikariDataSource pool = SqliteDataSources.create(file, options(Duration.ofMillis(100), 1))) {
            RetrySpoolSchema.migrate(pool);
            JdbcStoreTransactions transactions = new JdbcStoreTransactions(pool);
            SQLiteConnection before = sqliteConnectionOf(pool);
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
                 Statement statement = other.createStatement()) {
                statement.execute("BEGIN IMMEDIATE");
                assertThatThrownBy(() -> transactions.inTransaction(() -> null))
                        .isInstanceOf(StorageException.class)
                        .hasMessageContaining("SQLITE_BUSY");
                statement.execute("ROLLBACK");
            }

            assertThat(sqliteConnectionOf(pool)).as("the pool's connection after the failed begin").isNotSameAs(before);
            assertThat(pool.getHikariPoolMXBean().getTotalConnections()).isEqualTo(1);
        }
    }

    @Test
    void anErrorThatIsNotALockTimeoutKeepsTheConnection() throws Exception {
        Path file = directory.resolve("spool.db");
        try (HikariDataSource pool = SqliteDataSources.create(file, options(Duration.ofMillis(100), 1))) {
            SQLiteConnection before = sqliteConnectionOf(pool);
            TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(pool));
            JdbcTemplate jdbc = new JdbcTemplate(pool);

            assertThatThrownBy(() -> transactions.executeWithoutResult(status -> jdbc.update("INSERT INTO no_such_table VALUES (1)")))
                    .hasMessageContaining("no such table");

            assertThat(sqliteConnectionOf(pool)).isSameAs(before);
        }
    }

    private static Set<String> idsIn(RetrySpool spool, QueueState state) {
        return spool.list(state, ListOptions.builder().limit(10_000).build()).items().stream()
                .map(Message::id).collect(Collectors.toSet());
    }

    /** What the pool, the claim loop and the message processor log, caught while the test runs. */
    private static final class EngineLogs implements AutoCloseable {
        private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
        private final List<Logger> loggers = List.of(logger("com.zaxxer.hikari.pool.ProxyConnection"),
                logger("io.retryspool.internal.scheduler.Scheduler"),
                logger("io.retryspool.internal.processing.MessageProcessor"));

        EngineLogs() {
            appender.start();
            loggers.forEach(logger -> logger.addAppender(appender));
        }

        private static Logger logger(String name) {
            return (Logger) LoggerFactory.getLogger(name);
        }

        private List<ILoggingEvent> events() {
            synchronized (appender) { // AppenderBase.doAppend appends holding this lock
                return new ArrayList<>(appender.list);
            }
        }

        /** Connections HikariCP marked as broken. */
        long evictions() {
            return events().stream().filter(event -> event.getMessage().contains("marked as broken")).count();
        }

        /** Polls of the claim loop that failed since a time. */
        long claimFailuresSince(long epochMillis) {
            return events().stream().filter(event -> event.getTimeStamp() >= epochMillis)
                    .filter(event -> event.getFormattedMessage().startsWith("Claiming due messages failed")
                            || event.getFormattedMessage().startsWith("Claiming due messages still fails")).count();
        }

        /** The messages whose outcome could not be stored even after retrying for the lease. */
        Set<String> outcomesNotStored() {
            return events().stream()
                    .filter(event -> event.getFormattedMessage().startsWith("Could not store the outcome of message "))
                    .map(event -> (String) event.getArgumentArray()[0]).collect(Collectors.toSet());
        }

        @Override
        public void close() {
            loggers.forEach(logger -> logger.detachAppender(appender));
        }
    }

    private static SqliteDataSources.Options options(Duration busyTimeout, int poolSize) {
        return new SqliteDataSources.Options("WAL", "NORMAL", busyTimeout, 2000, poolSize);
    }

    private static SQLiteConnection sqliteConnectionOf(HikariDataSource pool) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            return connection.unwrap(SQLiteConnection.class);
        }
    }

    /** Borrows every connection of the pool at once: each must be in auto-commit mode with no transaction open. */
    private static void assertEveryPooledConnectionIsClean(HikariDataSource pool) throws SQLException {
        int size = pool.getMaximumPoolSize();
        List<Connection> borrowed = new ArrayList<>();
        try {
            for (int i = 0; i < size; i++) {
                borrowed.add(pool.getConnection());
            }
            for (Connection connection : borrowed) {
                SQLiteConnection sqlite = connection.unwrap(SQLiteConnection.class);
                assertThat(sqlite.getConnectionConfig().isAutoCommit()).as("driver's auto-commit of %s", sqlite).isTrue();
                assertThat(connection.getAutoCommit()).as("auto-commit of %s", connection).isTrue();
            }
        } finally {
            for (Connection connection : borrowed) {
                connection.close();
            }
        }
    }
}
