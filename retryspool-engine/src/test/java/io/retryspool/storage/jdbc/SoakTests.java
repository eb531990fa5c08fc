package io.retryspool.storage.jdbc;

import io.retryspool.EnqueueRequest;
import io.retryspool.ListOptions;
import io.retryspool.Message;
import io.retryspool.QueueState;
import io.retryspool.RetrySpool;
import io.retryspool.testing.LocalPostgresCluster;
import io.retryspool.testing.TestPostgres;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A soak test, off unless {@code -Dretryspool.soak.minutes=N} is given: for N minutes a producer enqueues while
 * four worker processes ({@link SoakWorkerMain}) deliver, one of them is killed with SIGKILL at random every few
 * seconds (and replaced), and the local PostgreSQL cluster is stopped for a few seconds about once a minute. At the
 * end every message must be delivered and archived (none lost), and the workers' journals must show that no message
 * was ever handled by two attempts at once: each attempt starts only after the previous one returned or its process
 * was killed.
 */
class SoakTests {

    private static final String MINUTES_PROPERTY = "retryspool.soak.minutes";
    private static final int WORKERS = 4;

    @TempDir
    Path directory;

    @Test
    void randomKillsAndOutagesLoseNothingAndNeverRunAMessageTwiceAtOnce() throws Exception {
        String minutes = System.getProperty(MINUTES_PROPERTY);
        Assumptions.assumeTrue(minutes != null, "soak test: run with -D" + MINUTES_PROPERTY + "=<minutes>");
        Duration soak = Duration.ofMinutes(Long.parseLong(minutes));
        LocalPostgresCluster cluster = LocalPostgresCluster.require();
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Map<String, Long> killedAt = new ConcurrentHashMap<>();
        Set<String> enqueued = ConcurrentHashMap.newKeySet();

        try (TestPostgres.Schema schema = TestPostgres.newSchema("soak", 4);
             RetrySpool producer = RetrySpool.builder().jdbc(schema.dataSource()).instanceId("producer").build()) {
            List<ChildJvm> workers = new ArrayList<>();
            int started = 0;
            for (; started < WORKERS; started++) {
                workers.add(startWorker(schema, started));
            }
            AtomicBoolean producing = new AtomicBoolean(true);
            Thread producerThread = new Thread(() -> produce(producer, producing, enqueued), "soak-producer");
            producerThread.start();
            long end = System.nanoTime() + soak.toNanos();
            long nextOutage = System.nanoTime() + Duration.ofSeconds(30 + random.nextInt(60)).toNanos();
            try {
                while (System.nanoTime() < end) {
                    Thread.sleep(2_000 + random.nextInt(4_000));
                    int victim = random.nextInt(workers.size());
                    workers.get(victim).kill();
                    killedAt.put(instanceId(workers.get(victim)), System.currentTimeMillis());
                    workers.set(victim, startWorker(schema, started++));
                    if (System.nanoTime() > nextOutage) {
                        try {
                            cluster.stop();
                            Thread.sleep(1_000 + random.nextInt(4_000));
                        } finally {
                            cluster.start();
                        }
                        nextOutage = System.nanoTime() + Duration.ofSeconds(30 + random.nextInt(60)).toNanos();
                    }
                }
            } finally {
                producing.set(false);
                producerThread.join();
                cluster.start();
            }

            await("every message archived (seed " + seed + ")").atMost(Duration.ofMinutes(5)).ignoreExceptions()
                    .until(() -> producer.counts().get(QueueState.ARCHIVED) == enqueued.size());
            for (ChildJvm worker : workers) {
                worker.close();
            }
            Set<String> archived = new HashSet<>();
            String after = null;
            do {
                var page = producer.list(QueueState.ARCHIVED, ListOptions.builder().limit(1000).after(after).build());
                page.items().stream().map(Message::id).forEach(archived::add);
                after = page.nextCursor();
            } while (after != null);
            assertThat(archived).as("none lost (seed %d)", seed).isEqualTo(enqueued);
            assertThat(overlappingAttempts(killedAt)).as("attempts that ran at the same time (seed %d)", seed).isEmpty();
            System.out.printf("Soak of %s: %d messages, %d workers started, %d killed, seed %d%n", soak,
                    enqueued.size(), started, killedAt.size(), seed);
        }
    }

    private ChildJvm startWorker(TestPostgres.Schema schema, int number) {
        return ChildJvm.start(directory.resolve("soak-" + number + ".log"), "256m", SoakWorkerMain.class,
                "postgresql", schema.jdbcUrl(), "soak-" + number, directory.resolve("soak-" + number + ".journal").toString());
    }

    /** The instance id of a worker ({@code soak-N}), which also names its journal: its log file's name. */
    private static String instanceId(ChildJvm worker) {
        String name = worker.logFile().getFileName().toString();
        return name.substring(0, name.length() - ".log".length());
    }

    private static void produce(RetrySpool producer, AtomicBoolean producing, Set<String> enqueued) {
        int n = 0;
        while (producing.get()) {
            try {
                enqueued.add(producer.enqueue(EnqueueRequest.builder().header("n", Integer.toString(n++))
                        .body(("soak " + n).getBytes(StandardCharsets.UTF_8)).build()));
                Thread.sleep(5);
            } catch (RuntimeException e) {
                sleep(200); // the database is down: the enqueue failed and stored nothing
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Attempts of one message whose run times overlap, from the workers' journals. */
    private List<String> overlappingAttempts(Map<String, Long> killedAt) throws IOException {
        Map<String, List<long[]>> runs = new HashMap<>();
        try (var journals = Files.list(directory)) {
            for (Path journal : journals.filter(p -> p.toString().endsWith(".journal")).toList()) {
                String worker = journal.getFileName().toString().replace(".journal", "");
                long killed = killedAt.getOrDefault(worker, Long.MAX_VALUE);
                Map<String, long[]> open = new HashMap<>();
                for (String line : Files.readAllLines(journal)) {
                    String[] parts = line.split(" ");
                    if (parts.length != 4) {
                        continue; // the last line of a killed process may be cut short
                    }
                    String key = parts[1] + " " + parts[2];
                    long millis = Long.parseLong(parts[3]);
                    if (parts[0].equals("START")) {
                        long[] run = {millis, killed};
                        open.put(key, run);
                        runs.computeIfAbsent(parts[1], ignored -> new ArrayList<>()).add(run);
                    } else if (open.containsKey(key)) {
                        open.remove(key)[1] = millis;
                    }
                }
            }
        }
        List<String> overlaps = new ArrayList<>();
        runs.forEach((id, list) -> {
            list.sort(Comparator.comparingLong(run -> run[0]));
            for (int i = 1; i < list.size(); i++) {
                if (list.get(i)[0] < list.get(i - 1)[1]) {
                    overlaps.add(id + " started at " + list.get(i)[0] + " before its previous attempt ended at "
                            + list.get(i - 1)[1]);
                }
            }
        });
        return overlaps;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
