package io.retryspool.storage.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.EnqueueRequest;
import io.retryspool.ListOptions;
import io.retryspool.Message;
import io.retryspool.QueueState;
import io.retryspool.RetrySpool;
import io.retryspool.retry.FixedRetryPolicy;
import io.retryspool.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Durability when a spool process dies without warning: a worker JVM ({@link SpoolWorkerMain}) is killed
 * with {@code SIGKILL} in the middle of its work, and a new spool on the same database must then finish
 * every message, each archived once, none lost, none left ACTIVE or INCOMING. Run on an SQLite file and on a
 * PostgreSQL schema.
 */
class KilledProcessRecoveryTests {

    private static final int MESSAGES = 200;
    private static final long HANDLER_MILLIS = 200;
    private static final int ARCHIVED_BEFORE_KILL = 10;
    private static final Duration CHILD_WAIT = Duration.ofSeconds(60);
    private static final Duration RECOVERY_WAIT = Duration.ofSeconds(60);

    @TempDir
    Path directory;

    @Test
    void sqliteSpoolKilledMidDeliveryLosesNoMessageAndANewSpoolArchivesEveryOneOnce() throws Exception {
        Path database = directory.resolve("spool.db");
        try (HikariDataSource dataSource = SqliteDataSources.create(database)) {
            killWorkerMidDeliveryThenRecover(dataSource, "sqlite", database.toString());
        }
    }

    @Test
    void postgresSpoolKilledMidDeliveryLosesNoMessageAndANewSpoolArchivesEveryOneOnce() throws Exception {
        try (TestPostgres.Schema schema = TestPostgres.newSchema("killed_worker", 8)) {
            killWorkerMidDeliveryThenRecover(schema.dataSource(), "postgresql", schema.jdbcUrl());
        }
    }

    private void killWorkerMidDeliveryThenRecover(DataSource dataSource, String kind, String location) throws Exception {
        Set<String> ids;
        Set<String> archivedAtKill;
        Set<String> activeAtKill;
        Map<QueueState, Long> countsAtKill;
        try (RetrySpool observer = RetrySpool.builder().jdbc(dataSource).instanceId("observer").build()) {
            ids = new LinkedHashSet<>(observer.enqueueAll(requests()));
            assertThat(ids).hasSize(MESSAGES);

            try (ChildJvm worker = ChildJvm.start(directory.resolve(kind + "-worker.log"), "256m", SpoolWorkerMain.class,
                    kind, location, "worker-to-kill", Long.toString(HANDLER_MILLIS))) {
                await("the worker starts handling").atMost(CHILD_WAIT)
                        .failFast("the worker died", () -> !worker.isAlive())
                        .until(() -> worker.outputLines().stream().anyMatch(line -> line.startsWith(SpoolWorkerMain.STARTED)));
                await("some messages archived, some still to do").atMost(CHILD_WAIT)
                        .failFast("the worker died", () -> !worker.isAlive())
                        .until(observer::counts, counts -> counts.get(QueueState.ARCHIVED) >= ARCHIVED_BEFORE_KILL
                                && counts.get(QueueState.INCOMING) > 0 && counts.get(QueueState.ACTIVE) > 0);

                int exitCode = worker.kill();

                assertThat(worker.isAlive()).as("the worker is dead").isFalse();
                assertThat(exitCode).as("exit code of a JVM killed by SIGKILL (128 + 9)").isEqualTo(137);
                assertThat(worker.outputLines()).as(worker.describe()).contains(SpoolWorkerMain.READY);
            }

            countsAtKill = observer.counts();
            archivedAtKill = idsIn(observer, QueueState.ARCHIVED);
            activeAtKill = idsIn(observer, QueueState.ACTIVE);
            Set<String> incomingAtKill = idsIn(observer, QueueState.INCOMING);
            assertThat(activeAtKill).as("messages the killed worker held mid-delivery").isNotEmpty();
            assertThat(archivedAtKill).hasSizeGreaterThanOrEqualTo(ARCHIVED_BEFORE_KILL);
            assertThat(incomingAtKill).isNotEmpty();
            assertThat(union(archivedAtKill, activeAtKill, incomingAtKill)).as("every message is still there")
                    .isEqualTo(ids);
        }

        Map<String, Integer> deliveredByRecovery = new ConcurrentHashMap<>();
        try (RetrySpool recovery = RetrySpool.builder()
                .jdbc(dataSource)
                .archiveSuccess(true)
                .leaseTimeout(SpoolWorkerMain.LEASE_TIMEOUT)
                .pollInterval(SpoolWorkerMain.POLL_INTERVAL)
                .concurrency(SpoolWorkerMain.CONCURRENCY)
                .instanceId("recovery")
                .retryPolicy(FixedRetryPolicy.of(Duration.ofMillis(100)))
                .handler((context, message, body) -> {
                    body.readAllBytes();
                    deliveredByRecovery.merge(message.id(), 1, Integer::sum);
                })
                .build()) {
            recovery.start();

            await("every message archived after the kill (counts at kill: " + countsAtKill + ")").atMost(RECOVERY_WAIT)
                    .until(recovery::counts, counts -> counts.get(QueueState.ARCHIVED) == MESSAGES);

            assertThat(recovery.counts()).isEqualTo(onlyArchived(MESSAGES));
            assertThat(idsIn(recovery, QueueState.ARCHIVED)).as("the archived messages are the enqueued ones").isEqualTo(ids);
            Set<String> unfinishedAtKill = new HashSet<>(ids);
            unfinishedAtKill.removeAll(archivedAtKill);
            assertThat(deliveredByRecovery.keySet()).as("the new spool delivers exactly what the killed one left unfinished")
                    .isEqualTo(unfinishedAtKill);
            assertThat(deliveredByRecovery).as("each of them once").allSatisfy((id, times) -> assertThat(times).as("deliveries of %s", id).isOne());
            assertThat(deliveredByRecovery.keySet()).as("including the messages the killed worker held")
                    .containsAll(activeAtKill);
        }
    }

    private static List<EnqueueRequest> requests() {
        List<EnqueueRequest> requests = new ArrayList<>(MESSAGES);
        for (int i = 0; i < MESSAGES; i++) {
            requests.add(EnqueueRequest.builder().header("n", Integer.toString(i))
                    .body(("message " + i).getBytes(StandardCharsets.UTF_8)).build());
        }
        return requests;
    }

    private static Set<String> idsIn(RetrySpool spool, QueueState state) {
        return spool.list(state, ListOptions.builder().limit(MESSAGES * 2).build()).items().stream()
                .map(Message::id).collect(Collectors.toSet());
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> union = new HashSet<>();
        for (Set<String> set : sets) {
            union.addAll(set);
        }
        return union;
    }

    private static Map<QueueState, Long> onlyArchived(long archived) {
        Map<QueueState, Long> counts = new EnumMap<>(QueueState.class);
        for (QueueState state : QueueState.values()) {
            counts.put(state, state == QueueState.ARCHIVED ? archived : 0L);
        }
        return counts;
    }
}
