package io.retryspool.storage.shard;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.ListOptions;
import io.retryspool.Message;
import io.retryspool.MessageFilter;
import io.retryspool.Page;
import io.retryspool.QueueState;
import io.retryspool.RetrySpool;
import io.retryspool.SortField;
import io.retryspool.builder.RetrySpoolBuilder;
import io.retryspool.internal.scheduler.OrphanSweeper;
import io.retryspool.storage.jdbc.JdbcStore;
import io.retryspool.testing.LocalPostgresCluster;
import io.retryspool.testing.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A spool over two shards on two real PostgreSQL clusters: the local one (127.0.0.1:5432) and a second one on
 * 127.0.0.1:5433 that the test set-up creates and starts ({@link LocalPostgresCluster#requireSecond()}). Each test
 * keeps its tables in a schema of its own on each cluster.
 */
class TwoPostgresClustersShardTests {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final byte[] BODY = "order".getBytes(StandardCharsets.UTF_8);

    private LocalPostgresCluster second;
    private String schema;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();

    @BeforeEach
    void createSchemas() throws SQLException {
        TestPostgres.requireUrl();
        second = LocalPostgresCluster.requireSecond();
        schema = "shards_" + Long.toHexString(System.nanoTime());
        execute(firstUrl(), "CREATE SCHEMA " + schema);
        execute(second.url("postgres"), "CREATE SCHEMA " + schema);
    }

    @AfterEach
    void dropSchemas() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
        second.start();
        execute(firstUrl(), "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        execute(second.url("postgres"), "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    @Test
    void twentyThousandMessagesAreSplitByAffinityOneToThreeAndEachIsDeliveredOnce() throws Exception {
        RetrySpool spool = track(spool("a", 1, "b", 3).handler((context, message, body) -> record(message.id())).build());
        spool.start();

        Set<String> ids = enqueueConcurrently(spool, 20_000, 8);

        await("every message delivered").atMost(WAIT).until(() -> deliveries.size() == ids.size());
        assertThat(deliveries.keySet()).isEqualTo(ids);
        assertThat(deliveries).allSatisfy((id, times) -> assertThat(times).as(id).hasValue(1));
        long onA = ids.stream().filter(id -> id.endsWith(".a")).count();
        long onB = ids.stream().filter(id -> id.endsWith(".b")).count();
        System.out.printf("Two clusters, affinity 1:3: %,d messages on shard a, %,d on shard b%n", onA, onB);
        assertThat(onA + onB).isEqualTo(20_000);
        assertThat(onA).as("shard a's quarter, within 5%").isBetween(4_750L, 5_250L);
        assertThat(onB).as("shard b's three quarters, within 5%").isBetween(14_250L, 15_750L);
        assertThat(spool.counts().values()).containsOnly(0L);
    }

    @Test
    void aStoppedClusterStopsOnlyItsShardAndItsMessagesAreDeliveredOnceItIsBack() throws Exception {
        AtomicBoolean holdB = new AtomicBoolean(true);
        RetrySpool spool = track(spool("a", 1, "b", 1)
                .handler((context, message, body) -> {
                    if (holdB.get() && message.id().endsWith(".b")) {
                        throw new IllegalStateException("shard b's messages wait for the outage");
                    }
                    record(message.id());
                })
                .retryPolicy(io.retryspool.retry.FixedRetryPolicy.of(Duration.ofMillis(200)))
                .maxAttempts(1_000).build());
        Set<String> before = enqueueConcurrently(spool, 2_000, 4);
        Set<String> waitingOnB = new HashSet<>();
        before.stream().filter(id -> id.endsWith(".b")).forEach(waitingOnB::add);
        assertThat(waitingOnB).isNotEmpty();
        spool.start();
        await("shard a's first messages delivered").atMost(WAIT).until(() -> deliveries.keySet().stream()
                .filter(id -> id.endsWith(".a")).count() == before.size() - waitingOnB.size());

        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger refused = new AtomicInteger();
        long onADuringOutage;
        try {
            second.stop();
            AtomicBoolean producing = new AtomicBoolean(true);
            ExecutorService producers = Executors.newFixedThreadPool(2);
            for (int thread = 0; thread < 2; thread++) {
                producers.submit(() -> {
                    while (producing.get() && acknowledged.size() < 3_000) {
                        try {
                            acknowledged.add(spool.enqueue(Map.of("phase", "outage"), BODY));
                        } catch (RuntimeException refusedWhileShardBWasMarked) {
                            refused.incrementAndGet();
                        }
                    }
                });
            }
            await("enqueues go on during the outage").atMost(WAIT).until(() -> acknowledged.size() >= 3_000);
            producing.set(false);
            producers.shutdown();
            assertThat(producers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            await("shard a delivers during the outage").atMost(WAIT)
                    .until(() -> acknowledged.stream().filter(id -> id.endsWith(".a")).allMatch(deliveries::containsKey));
            await("shard a's outcomes written during the outage: its delivered messages are gone").atMost(WAIT)
                    .until(() -> acknowledged.stream().filter(id -> id.endsWith(".a")).noneMatch(id -> exists(spool, id)));
            onADuringOutage = acknowledged.stream().filter(id -> id.endsWith(".a")).count();
            assertThat(spool.estimateCounts().anyEstimated()).as("counts of the answering shard, marked estimated").isTrue();
            org.assertj.core.api.Assertions.assertThatThrownBy(spool::counts)
                    .isInstanceOf(io.retryspool.StorageException.class).hasMessageContaining("shard 'b'");
            assertThat(waitingOnB).noneMatch(deliveries::containsKey);
        } finally {
            second.start();
        }
        holdB.set(false);

        Set<String> all = new HashSet<>(before);
        all.addAll(acknowledged);
        await("every acknowledged message delivered after the cluster is back").atMost(WAIT).ignoreExceptions()
                .until(() -> deliveries.keySet().containsAll(all));
        System.out.printf("Second cluster stopped: %,d enqueues acknowledged during the outage (%,d on shard a), "
                + "%,d refused, %,d of shard b's messages delivered after it came back%n", acknowledged.size(),
                onADuringOutage, refused.get(), waitingOnB.size());
        assertThat(onADuringOutage).as("new messages went to the reachable shard").isGreaterThan(2_900);
        assertThat(deliveries).allSatisfy((id, times) -> assertThat(times).as(id).hasValue(1));
        assertThat(deliveries.size() - all.size()).as("delivered without an acknowledgement: only enqueues whose "
                + "commit succeeded while their connection broke, each of which threw").isBetween(0, refused.get());
    }

    @Test
    void concurrentEnqueuesWrittenTogetherWhileOneClusterIsDownFailOnlyTheCallersOfMessagesPinnedToIt()
            throws Exception {
        RetrySpool spool = track(spool("a", 1, "b", 1).handler((context, message, body) -> record(message.id())).build());
        spool.start();
        Set<String> all = ConcurrentHashMap.newKeySet();
        String destinationOnA = destinationPlacedOn(spool, "a", all);
        String destinationOnB = destinationPlacedOn(spool, "b", all);
        int producers = 30;
        int rounds = 40;
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Set<String> storedOnB = ConcurrentHashMap.newKeySet();
        AtomicInteger refusedOnB = new AtomicInteger();
        List<Throwable> refusedElsewhere = java.util.Collections.synchronizedList(new ArrayList<>());
        try {
            second.stop();
            ExecutorService callers = Executors.newFixedThreadPool(producers);
            for (int thread = 0; thread < producers; thread++) {
                callers.submit(() -> {
                    for (int round = 0; round < rounds; round++) {
                        String destination = round % 3 == 0 ? destinationOnB : round % 3 == 1 ? destinationOnA : null;
                        io.retryspool.EnqueueRequest.Builder request = io.retryspool.EnqueueRequest.builder().body(BODY);
                        if (destination != null) {
                            request.destination(destination);
                        }
                        try {
                            String id = spool.enqueue(request.build());
                            (destinationOnB.equals(destination) ? storedOnB : acknowledged).add(id);
                        } catch (io.retryspool.StoreUnavailableException refused) {
                            if (destinationOnB.equals(destination) && refused.getMessage().contains("shard 'b'")) {
                                refusedOnB.incrementAndGet();
                            } else {
                                refusedElsewhere.add(refused);
                            }
                        }
                    }
                });
            }
            callers.shutdown();
            assertThat(callers.awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

            assertThat(refusedElsewhere).as("callers whose messages could be stored on shard a").isEmpty();
            assertThat(storedOnB).as("acknowledged on the stopped cluster").isEmpty();
            int pinnedCalls = producers * ((rounds + 2) / 3);
            assertThat(refusedOnB).as("every message pinned to shard b refused").hasValue(pinnedCalls);
            assertThat(acknowledged).as("the other callers' messages, each stored on shard a")
                    .hasSize(producers * rounds - pinnedCalls).allMatch(id -> id.endsWith(".a"));
            await("shard a delivers during the outage").atMost(WAIT)
                    .until(() -> deliveries.keySet().containsAll(acknowledged));
        } finally {
            second.start();
        }
        all.addAll(acknowledged);

        await("shard b takes its destination's messages again").atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions().until(() -> all.add(spool.enqueue(io.retryspool.EnqueueRequest.builder()
                        .destination(destinationOnB).body(BODY).build())));
        await("every acknowledged message delivered").atMost(WAIT).until(() -> deliveries.keySet().containsAll(all));
        System.out.printf("Second cluster stopped under %d producers: %,d messages pinned to it refused, %,d others "
                + "acknowledged%n", producers, refusedOnB.get(), acknowledged.size());
        assertThat(deliveries.keySet()).as("nothing delivered that was not acknowledged").isEqualTo(all);
        assertThat(deliveries).allSatisfy((id, times) -> assertThat(times).as(id).hasValue(1));
    }

    @Test
    void aSpoolStartsWhileOneClusterIsDownAndUsesThatShardOnceItAnswers() throws Exception {
        RetrySpool first = spool("a", 1, "b", 1).build();
        first.close();
        Set<String> ids = ConcurrentHashMap.newKeySet();
        RetrySpool spool;
        try {
            second.stop();
            spool = track(spool("a", 1, "b", 1).handler((context, message, body) -> record(message.id())).build());
            spool.start();
            for (int n = 0; n < 200; n++) {
                ids.add(spool.enqueue(Map.of(), BODY));
            }
            assertThat(ids).allMatch(id -> id.endsWith(".a"));
        } finally {
            second.start();
        }
        await("shard b takes new messages once it answers").atMost(WAIT).until(() -> {
            String id = spool.enqueue(Map.of(), BODY);
            ids.add(id);
            return id.endsWith(".b");
        });
        await("every message delivered").atMost(WAIT).until(() -> deliveries.keySet().containsAll(ids));
        assertThat(deliveries).allSatisfy((id, times) -> assertThat(times).as(id).hasValue(1));
    }

    @Test
    void theOrphanSweeperSweepsTheReachableShardWhileTheOtherClusterIsDownAndTheOtherOnceItIsBack() {
        ShardedStore store = ShardedStore.of(List.of(
                Shard.connecting("a", 1, () -> JdbcStore.builder(pool(firstUrl())).build()),
                Shard.connecting("b", 1, () -> JdbcStore.builder(pool(second.url("postgres"))).build())));
        String orphanOnA = UUID.randomUUID() + ".a";
        String orphanOnB = UUID.randomUUID() + ".b";
        store.bodies().store(orphanOnA, new ByteArrayInputStream(BODY));
        store.bodies().store(orphanOnB, new ByteArrayInputStream(BODY));
        OrphanSweeper sweeper = new OrphanSweeper(store.meta(), store.bodies(),
                Clock.offset(Clock.systemUTC(), Duration.ofHours(2)), Duration.ofHours(1));
        try {
            second.stop();
            assertThat(sweeper.sweep()).as("shard a's orphan, with shard b's cluster stopped").isEqualTo(1);
            assertThat(storedBodies(store, "a")).as("bodies left on shard a").isEmpty();
        } finally {
            second.start();
        }
        await("shard b's orphan swept by a later run once its cluster answers").atMost(WAIT)
                .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> sweeper.sweep() == 1 && storedBodies(store, "b").isEmpty());
    }

    @Test
    void aSpoolStartedWhileOneClusterIsDownIsWokenByThatShardsNotificationsOnceItIsBack() throws Exception {
        RetrySpool creating = spool("a", 1, "b", 1).build();
        creating.close();
        RetrySpool spool;
        try {
            second.stop();
            // a poll interval far beyond the test's waits: a delivery in time can only come from a wake-up
            spool = track(spool("a", 1, "b", 1).pollInterval(Duration.ofHours(1))
                    .handler((context, message, body) -> record(message.id())).build());
            spool.start();
            String onA = spool.enqueue(Map.of(), BODY);
            await("shard a delivers meanwhile").atMost(WAIT).until(() -> deliveries.containsKey(onA));
        } finally {
            second.start();
        }
        // the spool's own enqueues wake its claims, and the first claim that reaches shard b subscribes it
        String[] onBByTheSpool = new String[1];
        await("the spool enqueues on shard b again").atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions().until(() -> {
                    String id = spool.enqueue(Map.of(), BODY);
                    onBByTheSpool[0] = id;
                    return id.endsWith(".b");
                });
        await("and delivers it").atMost(WAIT).until(() -> deliveries.containsKey(onBByTheSpool[0]));
        Thread.sleep(1_000); // the claim thread's look-agains end; from here only a wake-up makes it claim
        try (RetrySpool otherInstance = spool("a", 0, "b", 1).instanceId("other").build()) {
            List<String> onB = new ArrayList<>();
            for (int n = 0; n < 20; n++) {
                onB.add(otherInstance.enqueue(Map.of(), BODY));
            }
            assertThat(onB).allMatch(id -> id.endsWith(".b"));
            await("shard b's messages, enqueued by another instance, delivered after its NOTIFY woke the spool")
                    .atMost(Duration.ofSeconds(20)).until(() -> deliveries.keySet().containsAll(onB));
        }
    }

    @Test
    void aShardWithAffinityZeroTakesNoNewMessagesAndDeliversTheOnesItHas() throws Exception {
        RetrySpool filling = spool("a", 1, "b", 1).build();
        Set<String> old = enqueueConcurrently(filling, 400, 2);
        filling.close();
        long oldOnB = old.stream().filter(id -> id.endsWith(".b")).count();
        assertThat(oldOnB).isGreaterThan(100);

        RetrySpool draining = track(spool("a", 1, "b", 0).handler((context, message, body) -> record(message.id())).build());
        Set<String> fresh = enqueueConcurrently(draining, 400, 2);
        draining.start();

        assertThat(fresh).allMatch(id -> id.endsWith(".a"));
        Set<String> all = new HashSet<>(old);
        all.addAll(fresh);
        await("every message delivered, the draining shard's too").atMost(WAIT)
                .until(() -> deliveries.keySet().containsAll(all));
        assertThat(deliveries).allSatisfy((id, times) -> assertThat(times).as(id).hasValue(1));
    }

    @Test
    void listingAcrossShardsPagesThroughEveryMessageExactlyOnceAndCountsAreSummed() throws Exception {
        RetrySpool spool = track(spool("a", 1, "b", 2).build());
        Set<String> ids = enqueueConcurrently(spool, 1_000, 4);
        assertThat(spool.count(QueueState.INCOMING)).isEqualTo(1_000);

        for (SortField sort : SortField.values()) {
            for (boolean descending : new boolean[]{false, true}) {
                List<String> seen = pageThrough(spool, sort, descending);
                assertThat(seen).as("sorted by %s%s", sort, descending ? " descending" : "").hasSize(1_000)
                        .doesNotHaveDuplicates();
                assertThat(new HashSet<>(seen)).isEqualTo(ids);
            }
        }
        List<String> filtered = new ArrayList<>();
        String after = null;
        do {
            ListOptions.Builder options = ListOptions.builder().limit(41);
            if (after != null) {
                options.after(after);
            }
            Page<Message> page = spool.list(MessageFilter.builder().state(QueueState.INCOMING)
                    .headerEquals("batch", "listing").build(), options.build());
            page.items().forEach(message -> filtered.add(message.id()));
            after = page.nextCursor();
        } while (after != null);
        assertThat(filtered).hasSize(1_000).doesNotHaveDuplicates();

        assertThat(spool.moveAll(MessageFilter.builder().state(QueueState.INCOMING).build(), QueueState.HOLD))
                .isEqualTo(1_000);
        assertThat(spool.counts()).containsEntry(QueueState.HOLD, 1_000L).containsEntry(QueueState.INCOMING, 0L);
        assertThat(spool.deleteAll(MessageFilter.builder().state(QueueState.HOLD).build())).isEqualTo(1_000);
        assertThat(spool.counts().values()).containsOnly(0L);
    }

    /**
     * A destination that {@code spool} places on {@code shard}, found by enqueueing to destinations until one lands
     * there; the probes' ids are added to {@code enqueued}.
     */
    private static String destinationPlacedOn(RetrySpool spool, String shard, Set<String> enqueued) {
        for (int n = 0; ; n++) {
            String destination = "host-" + n + ".example";
            String id = spool.enqueue(io.retryspool.EnqueueRequest.builder().destination(destination).body(BODY).build());
            enqueued.add(id);
            if (id.endsWith("." + shard)) {
                return destination;
            }
        }
    }

    /** The ids of the bodies stored on one shard. */
    private static List<String> storedBodies(ShardedStore store, String shard) {
        return store.bodies().listIds(Instant.now().plus(Duration.ofHours(1)), null, 100).stream()
                .filter(id -> id.endsWith("." + shard)).toList();
    }

    private static boolean exists(RetrySpool spool, String id) {
        try {
            spool.getMessage(id);
            return true;
        } catch (io.retryspool.MessageNotFoundException gone) {
            return false;
        }
    }

    private static List<String> pageThrough(RetrySpool spool, SortField sort, boolean descending) {
        List<String> seen = new ArrayList<>();
        String after = null;
        do {
            ListOptions.Builder options = ListOptions.builder().limit(37).sortBy(sort);
            if (descending) {
                options.descending();
            }
            if (after != null) {
                options.after(after);
            }
            Page<Message> page = spool.list(QueueState.INCOMING, options.build());
            assertThat(page.total()).isEqualTo(1_000);
            page.items().forEach(message -> seen.add(message.id()));
            after = page.nextCursor();
        } while (after != null);
        return seen;
    }

    /** Enqueues single messages from several threads (so that the spool groups them), with varied priorities. */
    private Set<String> enqueueConcurrently(RetrySpool spool, int messages, int threads) throws InterruptedException {
        Set<String> ids = ConcurrentHashMap.newKeySet();
        AtomicInteger next = new AtomicInteger();
        ExecutorService producers = Executors.newFixedThreadPool(threads);
        for (int thread = 0; thread < threads; thread++) {
            producers.submit(() -> {
                for (int n = next.getAndIncrement(); n < messages; n = next.getAndIncrement()) {
                    ids.add(spool.enqueue(io.retryspool.EnqueueRequest.builder().header("batch", "listing")
                            .priority(n % 7).body(BODY).build()));
                }
            });
        }
        producers.shutdown();
        assertThat(producers.awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(ids).hasSize(messages);
        return ids;
    }

    private RetrySpoolBuilder spool(String first, int firstAffinity, String secondName, int secondAffinity) {
        return RetrySpool.builder()
                .shard(first, pool(firstUrl()), firstAffinity)
                .shard(secondName, pool(second.url("postgres")), secondAffinity)
                .instanceId("shards").concurrency(8).pollInterval(Duration.ofMillis(100))
                .leaseTimeout(Duration.ofSeconds(60)).shutdownGrace(Duration.ofSeconds(5));
    }

    private void record(String id) {
        deliveries.computeIfAbsent(id, ignored -> new AtomicInteger()).incrementAndGet();
    }

    private HikariDataSource pool(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema);
        config.setUsername("postgres");
        config.setMaximumPoolSize(6);
        config.setConnectionTimeout(2_000);
        config.setInitializationFailTimeout(-1);
        return track(new HikariDataSource(config));
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    private static String firstUrl() {
        return TestPostgres.requireUrl();
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
