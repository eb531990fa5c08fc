package io.retryspool.storage.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.EnqueueRequest;
import io.retryspool.MessageMetadata;
import io.retryspool.QueueState;
import io.retryspool.RetrySpool;
import io.retryspool.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A message that kills the process delivering it is bounced after {@code max-attempts} crashes instead of
 * crashing instance after instance for ever: worker JVMs ({@link CrashingWorkerMain}) are started one after the
 * other on the same database, each dies ({@code Runtime.halt}) when it reaches the poison message, and the next one
 * settles the dead one's expired lease as a failed attempt. Run on an SQLite file and on a PostgreSQL schema.
 */
class PoisonMessageCrashTests {

    private static final int GOOD_MESSAGES = 20;
    private static final Duration CHILD_WAIT = Duration.ofSeconds(60);

    @TempDir
    Path directory;

    @Test
    void sqliteMessageThatKillsItsWorkerEveryTimeIsBouncedAfterMaxAttemptsCrashes() throws Exception {
        Path database = directory.resolve("spool.db");
        try (HikariDataSource dataSource = SqliteDataSources.create(database)) {
            crashUntilBounced(dataSource, "sqlite", database.toString());
        }
    }

    @Test
    void postgresMessageThatKillsItsWorkerEveryTimeIsBouncedAfterMaxAttemptsCrashes() throws Exception {
        try (TestPostgres.Schema schema = TestPostgres.newSchema("poison", 4)) {
            crashUntilBounced(schema.dataSource(), "postgresql", schema.jdbcUrl());
        }
    }

    private void crashUntilBounced(DataSource dataSource, String kind, String location) throws Exception {
        try (RetrySpool observer = RetrySpool.builder().jdbc(dataSource).instanceId("observer").build()) {
            String poison = observer.enqueue(EnqueueRequest.builder().header(CrashingWorkerMain.POISON_HEADER, "yes")
                    .priority(100).maxAttempts(CrashingWorkerMain.MAX_ATTEMPTS).body(bytes("poison")).build());
            List<EnqueueRequest> good = new ArrayList<>();
            for (int i = 0; i < GOOD_MESSAGES; i++) {
                // enough attempts that a good message caught in flight by every crash is not bounced with the poison
                good.add(EnqueueRequest.builder().header("n", Integer.toString(i)).maxAttempts(20)
                        .body(bytes("good " + i)).build());
            }
            List<String> goodIds = observer.enqueueAll(good);

            int crashes = 0;
            for (int run = 1; run <= CrashingWorkerMain.MAX_ATTEMPTS + 2 && !bounced(observer, poison); run++) {
                try (ChildJvm worker = ChildJvm.start(directory.resolve(kind + "-worker-" + run + ".log"), "128m",
                        CrashingWorkerMain.class, kind, location, "worker-" + run)) {
                    await("worker " + run + " crashes or the poison message is bounced").atMost(CHILD_WAIT)
                            .until(() -> !worker.isAlive() || bounced(observer, poison));
                    if (!worker.isAlive()) {
                        assertThat(worker.awaitExit(Duration.ofSeconds(5))).as(worker.describe())
                                .isEqualTo(CrashingWorkerMain.HALT_CODE);
                        assertThat(worker.output()).contains("HALTING on " + poison + " attempt " + (crashes + 1));
                        crashes++;
                    }
                }
            }

            MessageMetadata bounced = observer.getMessage(poison).metadata();
            assertThat(crashes).as("processes the poison message killed").isEqualTo(CrashingWorkerMain.MAX_ATTEMPTS);
            assertThat(bounced.state()).isEqualTo(QueueState.BOUNCE);
            assertThat(bounced.attempts()).isEqualTo(CrashingWorkerMain.MAX_ATTEMPTS);
            assertThat(bounced.lastError()).isEqualTo("lease expired: the worker stopped (bounced after "
                    + CrashingWorkerMain.MAX_ATTEMPTS + " attempts)");

            try (ChildJvm worker = ChildJvm.start(directory.resolve(kind + "-worker-last.log"), "128m",
                    CrashingWorkerMain.class, kind, location, "worker-last")) {
                await("every good message archived, none lost").atMost(CHILD_WAIT)
                        .failFast("the last worker died", () -> !worker.isAlive())
                        .until(() -> observer.counts().get(QueueState.ARCHIVED) == GOOD_MESSAGES);
                assertThat(worker.output()).as("the bounced message is not attempted again").doesNotContain("HALTING");
            }
            for (String id : goodIds) {
                assertThat(observer.getMessage(id).metadata().state()).isEqualTo(QueueState.ARCHIVED);
            }
            assertThat(observer.counts()).containsEntry(QueueState.BOUNCE, 1L).containsEntry(QueueState.ACTIVE, 0L)
                    .containsEntry(QueueState.INCOMING, 0L).containsEntry(QueueState.DEFERRED, 0L);
        }
    }

    private static boolean bounced(RetrySpool spool, String id) {
        return spool.getMessage(id).metadata().state() == QueueState.BOUNCE;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
