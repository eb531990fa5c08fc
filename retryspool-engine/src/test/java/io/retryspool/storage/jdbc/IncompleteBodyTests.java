package io.retryspool.storage.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.MessageMetadata;
import io.retryspool.QueueState;
import io.retryspool.RetrySpool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A body whose chunks went missing bounces with the reason instead of being retried for ever. */
class IncompleteBodyTests {

    @TempDir
    Path directory;
    private HikariDataSource pool;
    private RetrySpool spool;
    private final AtomicInteger handlerRuns = new AtomicInteger();

    @BeforeEach
    void createSpool() {
        pool = SqliteDataSources.create(directory.resolve("spool.db"));
        RetrySpoolSchema.migrate(pool);
        spool = RetrySpool.builder()
                .metaStore(new JdbcMetaStore(pool))
                .dataStore(new JdbcDataStore(pool, JdbcTables.defaults(), 1024, Clock.systemUTC()))
                .transactions(new JdbcStoreTransactions(pool))
                .pollInterval(Duration.ofMillis(20))
                .handler((context, message, body) -> {
                    handlerRuns.incrementAndGet();
                    body.readAllBytes();
                })
                .build();
    }

    @AfterEach
    void close() {
        spool.close();
        pool.close();
    }

    @Test
    void messageWithAMissingMiddleChunkBouncesSayingTheBodyIsIncomplete() {
        String id = spool.enqueue(Map.of(), new byte[5_000]);
        new JdbcTemplate(pool).update("DELETE FROM retryspool_data WHERE message_id = ? AND chunk_no = 2", id);

        spool.start();

        await().atMost(Duration.ofSeconds(20)).until(() -> spool.getMessage(id).metadata().state() == QueueState.BOUNCE);
        MessageMetadata bounced = spool.getMessage(id).metadata();
        assertThat(bounced.lastError()).contains("incomplete").contains("2048 of 5000 bytes");
        assertThat(bounced.attempts()).isEqualTo(1);
    }

    @Test
    void messageWhoseBodyIsGoneBouncesWhenTheHandlerReadsIt() {
        String id = spool.enqueue(Map.of(), new byte[100]);
        new JdbcTemplate(pool).update("DELETE FROM retryspool_data WHERE message_id = ?", id);

        spool.start();

        await().atMost(Duration.ofSeconds(20)).until(() -> spool.getMessage(id).metadata().state() == QueueState.BOUNCE);
        assertThat(spool.getMessage(id).metadata().lastError()).contains("no body is stored for message " + id);
        assertThat(handlerRuns).hasValue(1);
        assertThat(spool.getMessage(id).metadata().attempts()).isEqualTo(1);
    }
}
