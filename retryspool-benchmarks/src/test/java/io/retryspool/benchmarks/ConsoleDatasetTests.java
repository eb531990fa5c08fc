package io.retryspool.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.ArchiveReason;
import io.retryspool.BacklogShape;
import io.retryspool.ListOptions;
import io.retryspool.Message;
import io.retryspool.MessageMetadata;
import io.retryspool.QueueState;
import io.retryspool.RetrySpool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The console scenario's data set on the local PostgreSQL: the filled rows read back through the engine as a spool's
 * own rows, and a kept data set is reused until a row leaves ARCHIVED or DEFERRED.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsoleDatasetTests {

    private static final int ARCHIVED = 1_200;
    private static final int DEFERRED = 300;
    private static final String KEPT_SCHEMA = "bench_console_" + ARCHIVED + "_" + DEFERRED;

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private String url;

    @BeforeEach
    void dropTheKeptSchema() throws Exception {
        url = TestPostgres.requireUrl();
        TestPostgres.execute(url, "DROP SCHEMA IF EXISTS " + KEPT_SCHEMA + " CASCADE");
    }

    @AfterEach
    void dropTheKeptSchemaAgain() throws Exception {
        TestPostgres.execute(url, "DROP SCHEMA IF EXISTS " + KEPT_SCHEMA + " CASCADE");
    }

    @Test
    void theFilledRowsReadAsASpoolsOwnRows() throws Exception {
        try (BenchmarkContext context = context();
                ConsoleDataset data = ConsoleDataset.prepare(context, ARCHIVED, DEFERRED);
                HikariDataSource pool = new HikariDataSource();
                RetrySpool spool = spoolOn(pool, data)) {
            assertThat(spool.counts()).containsEntry(QueueState.ARCHIVED, (long) ARCHIVED)
                    .containsEntry(QueueState.DEFERRED, (long) DEFERRED).containsEntry(QueueState.INCOMING, 0L);

            List<Message> deferred = spool.list(QueueState.DEFERRED, ListOptions.builder().limit(DEFERRED).build()).items();
            assertThat(deferred).hasSize(DEFERRED).allSatisfy(message -> {
                MessageMetadata metadata = message.metadata();
                assertThat(metadata.id()).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
                assertThat(metadata.attempts()).isBetween(1, 9);
                assertThat(metadata.lastError()).containsPattern("host h\\d+$");
                assertThat(metadata.headers()).containsOnlyKeys("tenant", "type");
                assertThat(metadata.created()).isBefore(Instant.now());
            });
            assertThat(deferred).extracting(message -> message.metadata().headers().get("tenant")).contains("t7");
            assertThat(deferred).extracting(message -> message.metadata().lastError())
                    .anySatisfy(error -> assertThat(error).isEqualTo("connection refused: host h1"));
            assertThat(spool.oldestDue()).as("some DEFERRED rows are due").isPresent();
            assertThat(spool.backlog().counts(QueueState.DEFERRED)).hasSize(BacklogShape.BUCKETS)
                    .allSatisfy(count -> assertThat(count).as("every age bucket holds DEFERRED rows").isPositive());

            Message archived = spool.list(QueueState.ARCHIVED, ListOptions.builder().limit(1).build()).items().get(0);
            assertThat(archived.metadata().archivedAs()).isEqualTo(ArchiveReason.DELIVERED);
            assertThat(spool.getMessage(archived.metadata().id()).metadata().headers())
                    .isEqualTo(archived.metadata().headers());
        }
        assertThat(TestPostgres.schemaExists(url, KEPT_SCHEMA)).isFalse();
    }

    @Test
    void aKeptDataSetIsReusedUntilARowMovesOrTheMigrationsChange() throws Exception {
        try (BenchmarkContext context = context()) {
            try (ConsoleDataset first = ConsoleDataset.prepare(context, ARCHIVED, DEFERRED, true)) {
                assertThat(first.describe()).contains("schema " + KEPT_SCHEMA, "kept for the next run", "filled in");
            }
            try (ConsoleDataset second = ConsoleDataset.prepare(context, ARCHIVED, DEFERRED, true)) {
                assertThat(second.describe()).contains("kept, reused: filled at");
                TestPostgres.execute(url, "UPDATE " + KEPT_SCHEMA + ".retryspool_messages SET state = 0 WHERE id = "
                        + "(SELECT min(id) FROM " + KEPT_SCHEMA + ".retryspool_messages WHERE state = 2)");
                assertThatIllegalStateException().isThrownBy(second::checkUntouched)
                        .withMessageContaining("left ARCHIVED or DEFERRED");
            }
            try (ConsoleDataset third = ConsoleDataset.prepare(context, ARCHIVED, DEFERRED, true)) {
                assertThat(third.describe()).contains("filled in");
                third.checkUntouched();
            }
            TestPostgres.execute(url, "UPDATE " + KEPT_SCHEMA + ".bench_console_fill SET migration_version = '0'");
            try (ConsoleDataset fourth = ConsoleDataset.prepare(context, ARCHIVED, DEFERRED, true)) {
                assertThat(fourth.describe()).contains("filled in");
            }
        }
        assertThat(TestPostgres.schemaExists(url, KEPT_SCHEMA)).as("kept after the run").isTrue();
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("reusing schema " + KEPT_SCHEMA)
                .contains("filling schema " + KEPT_SCHEMA + ": no marker of a finished fill")
                .contains("filling schema " + KEPT_SCHEMA + ": filled at migration version 0, the schema is at version");
    }

    private BenchmarkContext context() {
        return new BenchmarkContext(Sizes.tiny(), url, new PrintStream(console, true, StandardCharsets.UTF_8));
    }

    private static RetrySpool spoolOn(HikariDataSource pool, ConsoleDataset data) {
        pool.setJdbcUrl(data.jdbcUrl());
        pool.setMaximumPoolSize(2);
        return RetrySpool.builder().jdbc(pool).instanceId("console-dataset-test").build();
    }
}
