package io.retryspool.storage.jdbc;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.EnqueueRequest;
import io.retryspool.RetrySpool;
import io.retryspool.StorageException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteDataSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The SQLite file of a running spool is deleted or replaced: the spool refuses writes with a
 * {@link StorageException} that names the path and says what happened, instead of taking messages into a file
 * that no longer is at that path; it claims nothing more from the old file and keeps running. And the file's
 * absolute path is logged when the pool is created.
 */
class SqliteDatabaseFileTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path directory;
    private Path file;
    private HikariDataSource pool;
    private RetrySpool spool;
    private final Set<String> delivered = ConcurrentHashMap.newKeySet();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final List<Logger> watched = List.of(logger(SqliteDataSources.class.getName()),
            logger("io.retryspool.internal.scheduler.Scheduler"));
    private Level sqliteDataSourcesLevel;

    @BeforeEach
    void startSpool() {
        logs.start();
        watched.forEach(logger -> logger.addAppender(logs));
        Logger sqliteDataSources = watched.get(0);
        sqliteDataSourcesLevel = sqliteDataSources.getLevel();
        sqliteDataSources.setLevel(Level.INFO);
        file = directory.resolve("spool.db");
        pool = SqliteDataSources.create(file);
        spool = RetrySpool.builder()
                .jdbc(pool)
                .pollInterval(Duration.ofMillis(20))
                .handler((context, message, body) -> delivered.add(message.id()))
                .build();
        spool.start();
    }

    @AfterEach
    void closeSpool() {
        spool.close();
        pool.close();
        watched.forEach(logger -> logger.detachAppender(logs));
        watched.get(0).setLevel(sqliteDataSourcesLevel);
    }

    @Test
    void theAbsolutePathOfTheFileIsLoggedWithWhetherItWasCreated() {
        try (HikariDataSource again = SqliteDataSources.create(file)) {
            assertThat(again.getHikariPoolMXBean()).isNotNull();
        }

        assertThat(events()).map(ILoggingEvent::getFormattedMessage).containsSubsequence(
                "RetrySpool SQLite database " + file.toAbsolutePath() + ": created a new file",
                "RetrySpool SQLite database " + file.toAbsolutePath() + ": opened the existing file");
    }

    @Test
    void afterTheFileIsDeletedEveryWriteFailsNamingThePathAndNothingMoreIsClaimed() throws Exception {
        String before = spool.enqueue(Map.of(), bytes("before"));
        await().atMost(WAIT).until(() -> delivered.contains(before));
        Instant due = Instant.now().plusMillis(500);
        spool.enqueueAll(List.of(EnqueueRequest.builder().body(bytes("later")).notBefore(due).build()));

        deleteDatabaseFiles();

        assertEnqueuesFailSaying("was deleted");
        awaitClaimFailuresAfter(due);
        assertThat(delivered).as("delivered: nothing claimed from the deleted file").containsExactly(before);
        assertThat(spool.isRunning()).as("the spool keeps running").isTrue();
        assertThat(file).as("no new file made at the path").doesNotExist();
    }

    @Test
    void afterTheFileIsReplacedEveryWriteFailsNamingThePath() throws Exception {
        String before = spool.enqueue(Map.of(), bytes("before"));
        await().atMost(WAIT).until(() -> delivered.contains(before));
        Instant due = Instant.now().plusMillis(500);
        spool.enqueueAll(List.of(EnqueueRequest.builder().body(bytes("later")).notBefore(due).build()));

        deleteDatabaseFiles();
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = other.createStatement()) {
            statement.execute("CREATE TABLE another_database (x INTEGER)");
        }

        assertEnqueuesFailSaying("was replaced by another file");
        awaitClaimFailuresAfter(due);
        assertThat(delivered).as("delivered: nothing claimed from the old file").containsExactly(before);
        assertThat(spool.isRunning()).as("the spool keeps running").isTrue();
    }

    @Test
    void aPlainSqliteDataSourceIsGuardedToo() throws Exception {
        Path other = directory.resolve("plain.db");
        SQLiteDataSource plain = new SQLiteDataSource();
        plain.setUrl("jdbc:sqlite:" + other);
        RetrySpoolSchema.migrate(plain);
        JdbcStoreTransactions transactions = new JdbcStoreTransactions(plain);
        assertThat(transactions.inTransaction(() -> "written")).isEqualTo("written");

        Files.delete(other);

        assertThatThrownBy(() -> transactions.inTransaction(() -> "written"))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(other.toAbsolutePath().toString())
                .hasMessageContaining("was deleted");
        assertThat(other).as("no new file made at the path").doesNotExist();
    }

    private void assertEnqueuesFailSaying(String what) {
        String path = file.toAbsolutePath().toString();
        assertThatThrownBy(() -> spool.enqueue(Map.of(), bytes("single")))
                .isInstanceOf(StorageException.class).hasMessageContaining(path).hasMessageContaining(what);
        assertThatThrownBy(() -> spool.enqueue(Map.of(), new ByteArrayInputStream(bytes("streamed"))))
                .isInstanceOf(StorageException.class).hasMessageContaining(path).hasMessageContaining(what);
        assertThatThrownBy(() -> spool.enqueueAll(List.of(EnqueueRequest.builder().body(bytes("group")).build())))
                .isInstanceOf(StorageException.class).hasMessageContaining(path).hasMessageContaining(what);
    }

    /**
     * Waits until the claim loop has failed on the file check (it logs the first failure of a run with its stack
     * trace, then one line a minute) and until the not-yet-due message has been due for a second of 20 ms polls.
     */
    private void awaitClaimFailuresAfter(Instant due) {
        String path = file.toAbsolutePath().toString();
        await("a claim failed on the file check").atMost(WAIT).until(() -> events().stream()
                .filter(event -> event.getFormattedMessage().startsWith("Claiming due messages failed"))
                .anyMatch(event -> event.getThrowableProxy() != null
                        && event.getThrowableProxy().getMessage().contains(path)));
        await("the later message has been due for a second").atMost(WAIT)
                .until(() -> Instant.now().isAfter(due.plusSeconds(1)));
        assertThat(spool.isRunning()).isTrue();
    }

    private void deleteDatabaseFiles() throws Exception {
        for (String suffix : List.of("", "-wal", "-shm")) {
            Files.deleteIfExists(Path.of(file + suffix));
        }
    }

    private List<ILoggingEvent> events() {
        synchronized (logs) { // AppenderBase.doAppend appends holding this lock
            return new ArrayList<>(logs.list);
        }
    }

    private static Logger logger(String name) {
        return (Logger) LoggerFactory.getLogger(name);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
