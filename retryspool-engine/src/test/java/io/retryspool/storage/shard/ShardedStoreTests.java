package io.retryspool.storage.shard;

import io.retryspool.MessageMetadata;
import io.retryspool.MessageNotFoundException;
import io.retryspool.QueueState;
import io.retryspool.StoreUnavailableException;
import io.retryspool.storage.ClaimRequest;
import io.retryspool.storage.DataStore;
import io.retryspool.storage.MetaStore;
import io.retryspool.storage.MissingBodyException;
import io.retryspool.storage.NewMessage;
import io.retryspool.storage.PlacementKey;
import io.retryspool.storage.SpoolStore;
import io.retryspool.storage.StoreResult;
import io.retryspool.storage.memory.InMemoryDataStore;
import io.retryspool.storage.memory.InMemoryMetaStore;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Placement, routing and unreachable shards of {@link ShardedStore}, on in-memory shards. */
class ShardedStoreTests {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private final AtomicBoolean bAnswers = new AtomicBoolean(true);
    /** The methods whose calls shard b refused, and how long each refusal took (as a connection timeout takes). */
    private final List<String> bRefused = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile long bRefusalMillis;
    private final List<String> bSubscriptions = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** What shard b throws while it does not answer. */
    private volatile java.util.function.Supplier<RuntimeException> bFailure = () -> new StoreUnavailableException(
            "could not reach the database (PostgreSQL): no connection: refused", null);

    @Test
    void wholeEnqueuesOfAnySizeAreSplitByAffinityToWithinOneEnqueue() {
        ShardedStore store = ShardedStore.of(List.of(shard("a", 1), shard("b", 3)));
        Random random = new Random(7);
        Map<String, Integer> placed = new HashMap<>();
        for (int enqueue = 0; enqueue < 2_000; enqueue++) {
            int size = 1 + random.nextInt(50);
            List<String> ids = store.placeNewMessages(unique(size), Collections.nCopies(size, PlacementKey.NONE));
            assertThat(ids).extracting(Shard::nameIn).as("one enqueue, one shard").containsOnly(Shard.nameIn(ids.get(0)));
            placed.merge(Shard.nameIn(ids.get(0)), size, Integer::sum);
        }
        int total = placed.values().stream().mapToInt(Integer::intValue).sum();
        assertThat((double) placed.get("a") / total).isCloseTo(0.25, org.assertj.core.data.Offset.offset(50.0 / total));
    }

    @Test
    void aKeyAlwaysGoesToTheSameShardAndKeysSpreadByAffinity() {
        ShardedStore store = ShardedStore.of(List.of(shard("a", 1), shard("b", 3)));
        int onA = 0;
        for (int n = 0; n < 20_000; n++) {
            String key = "order-" + n;
            String first = Shard.nameIn(store.placeNewMessages(unique(1), List.of(byKey(key))).get(0));
            assertThat(Shard.nameIn(store.placeNewMessages(unique(1), List.of(byKey(key))).get(0))).isEqualTo(first);
            onA += first.equals("a") ? 1 : 0;
        }
        assertThat(onA / 20_000.0).isCloseTo(0.25, org.assertj.core.data.Offset.offset(0.0125));
    }

    @Test
    void aDestinationAlwaysGoesToTheSameShardWithOrWithoutAKeyAndDestinationsSpreadByAffinity() {
        ShardedStore store = ShardedStore.of(List.of(shard("a", 1), shard("b", 3)));
        int onA = 0;
        for (int n = 0; n < 20_000; n++) {
            String destination = "host-" + n + ".example";
            List<String> ids = store.placeNewMessages(unique(4), List.of(new PlacementKey(destination, null),
                    PlacementKey.NONE, new PlacementKey(destination, "key-" + n), new PlacementKey(destination, null)));
            String first = Shard.nameIn(ids.get(0));
            assertThat(Shard.nameIn(ids.get(2))).as("the destination places a message that has a key").isEqualTo(first);
            assertThat(Shard.nameIn(ids.get(3))).isEqualTo(first);
            onA += first.equals("a") ? 1 : 0;
        }
        assertThat(onA / 20_000.0).isCloseTo(0.25, org.assertj.core.data.Offset.offset(0.0125));
    }

    @Test
    void aMessageWithAHeldKeyResolvesToTheExistingMessageAcrossTheEnqueue() {
        ShardedStore store = ShardedStore.of(List.of(shard("a", 1), shard("b", 1)));
        List<String> ids = store.placeNewMessages(unique(3), List.of(byKey("k"), PlacementKey.NONE, byKey("k")));
        List<StoreResult> results = store.storeAllWithBodies(List.of(message(ids.get(0), "k"), message(ids.get(1), null),
                message(ids.get(2), "k")), List.of(new byte[]{1}, new byte[]{2}, new byte[]{3}));

        assertThat(results).extracting(StoreResult::created).containsExactly(true, true, false);
        assertThat(results.get(2).id()).isEqualTo(ids.get(0));
        assertThat(store.meta().find(ids.get(2))).isEmpty();
        assertThat(store.bodies().listIds(NOW.plusSeconds(60), null, 10)).containsExactlyInAnyOrder(ids.get(0), ids.get(1));
    }

    @Test
    void anEnqueuePlacedOnTwoShardsKeepsWhatOneStoredWhenTheOtherFailsAndNamesTheRequestsNotStored()
            throws Exception {
        String onA = placedOn("a");
        String onB = placedOn("b");
        try (io.retryspool.RetrySpool spool = io.retryspool.RetrySpool.builder().shard("a", shard("a", 1).store(), 1)
                .shard("b", shard("b", 1).store(), 1).build()) {
            bAnswers.set(false);
            assertThatThrownBy(() -> spool.enqueueAll(List.of(keyed(onA, "first"), to(onB, "second"),
                    keyed(onB, "third"))))
                    .isInstanceOf(io.retryspool.PartlyEnqueuedException.class).hasMessageContaining("shard 'b'")
                    .extracting(e -> ((io.retryspool.PartlyEnqueuedException) e).unstoredRequests())
                    .isEqualTo(List.of(1, 2));
            bAnswers.set(true);

            String storedOnA = spool.enqueue(keyed(onA, "again"));
            assertThat(storedOnA).endsWith(".a");
            try (io.retryspool.MessageBody body = spool.openBody(storedOnA)) {
                assertThat(new String(body.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("first");
            }
        }
    }

    @Test
    void concurrentSingleEnqueuesWrittenTogetherFailOnlyTheCallersWhoseMessagesWereNotStored() throws Exception {
        List<String> keysOnA = new ArrayList<>();
        for (int n = 0; keysOnA.size() < 100; n++) {
            String key = "a-key-" + n;
            if (ShardedStore.of(List.of(shard("a", 1), shard("b", 1))).placeNewMessages(unique(1), List.of(byKey(key)))
                    .get(0).endsWith(".a")) {
                keysOnA.add(key);
            }
        }
        String destinationOnB = placedOn("b");
        String destinationOnA = placedOn("a");
        try (io.retryspool.RetrySpool spool = io.retryspool.RetrySpool.builder().shard("a", shard("a", 1).store(), 1)
                .shard("b", shard("b", 1).store(), 1).build()) {
            bAnswers.set(false);
            java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(30);
            try {
                List<java.util.concurrent.Future<String>> keyed = new ArrayList<>();
                List<java.util.concurrent.Future<String>> pinnedToB = new ArrayList<>();
                List<java.util.concurrent.Future<String>> pinnedToA = new ArrayList<>();
                List<java.util.concurrent.Future<String>> free = new ArrayList<>();
                for (int n = 0; n < 100; n++) {
                    String key = keysOnA.get(n);
                    keyed.add(callers.submit(() -> spool.enqueue(keyed(key, key))));
                    pinnedToB.add(callers.submit(() -> spool.enqueue(to(destinationOnB, "pinned"))));
                    pinnedToA.add(callers.submit(() -> spool.enqueue(to(destinationOnA, "pinned to a"))));
                    free.add(callers.submit(() -> spool.enqueue(Map.of(), new byte[]{1})));
                }
                for (java.util.concurrent.Future<String> id : keyed) {
                    assertThat(id.get(30, java.util.concurrent.TimeUnit.SECONDS)).as("stored on a, so acknowledged")
                            .endsWith(".a");
                }
                for (java.util.concurrent.Future<String> id : pinnedToA) {
                    assertThat(id.get(30, java.util.concurrent.TimeUnit.SECONDS))
                            .as("stored on a even when written after b's part failed").endsWith(".a");
                }
                for (java.util.concurrent.Future<String> id : free) {
                    assertThat(id.get(30, java.util.concurrent.TimeUnit.SECONDS)).as("placed on a").endsWith(".a");
                }
                for (java.util.concurrent.Future<String> id : pinnedToB) {
                    assertThatThrownBy(() -> id.get(30, java.util.concurrent.TimeUnit.SECONDS))
                            .hasCauseInstanceOf(StoreUnavailableException.class);
                }
            } finally {
                callers.shutdownNow();
            }
            bAnswers.set(true);
            org.awaitility.Awaitility.await("b back").atMost(Duration.ofSeconds(20)).ignoreExceptions()
                    .untilAsserted(() -> assertThat(spool.count(QueueState.INCOMING))
                            .as("nothing stored without its caller told so").isEqualTo(300));
        }
    }

    @Test
    void anEnqueueRefusedByAnUnreachableShardSaysInOneLineThatItsBodiesAreLeftToTheOrphanSweeper() {
        ch.qos.logback.classic.Logger spoolLog = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                io.retryspool.internal.DefaultRetrySpool.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs =
                new ch.qos.logback.core.read.ListAppender<>();
        logs.start();
        spoolLog.addAppender(logs);
        try (io.retryspool.RetrySpool spool = io.retryspool.RetrySpool.builder().shard("a", shard("a", 1).store(), 1)
                .shard("b", shard("b", 1).store(), 1).build()) {
            bAnswers.set(false);
            String destinationOnB = placedOn("b");
            List<io.retryspool.EnqueueRequest> requests = new ArrayList<>();
            for (int n = 0; n < 30; n++) {
                requests.add(to(destinationOnB, "body " + n));
            }
            assertThatThrownBy(() -> spool.enqueueAll(requests)).isInstanceOf(StoreUnavailableException.class);

            assertThat(logs.list).filteredOn(event -> event.getLevel() == ch.qos.logback.classic.Level.WARN)
                    .extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).singleElement()
                    .asString().contains("bodies of 30 message(s) of a failed enqueue", "shard 'b' is paused");
        } finally {
            spoolLog.detachAppender(logs);
        }
    }

    @Test
    void anEnqueuePlacedOnAShardFoundUnreachableOnlyThenIsPlacedOnAnotherAndNothingWaitsForItWhileItIsTriedAgain()
            throws Exception {
        try (io.retryspool.RetrySpool spool = io.retryspool.RetrySpool.builder().shard("a", shard("a", 1).store(), 1)
                .shard("b", shard("b", 1).store(), 1).build()) {
            bAnswers.set(false);
            List<String> ids = new ArrayList<>();
            for (int n = 0; n < 20; n++) {
                ids.add(spool.enqueue(Map.of("n", Integer.toString(n)), new byte[]{(byte) n}));
            }
            assertThat(ids).as("every enqueue stored, on shard a").allMatch(id -> id.endsWith(".a"));
            assertThat(bRefused).as("one enqueue found b unreachable").containsExactly("store");
            for (String id : ids) {
                try (io.retryspool.MessageBody body = spool.openBody(id)) {
                    assertThat(body.readAllBytes()).containsExactly((byte) Integer.parseInt(
                            spool.getMessage(id).metadata().headers().get("n")));
                }
            }
            assertThatThrownBy(() -> spool.enqueue(keyed(placedOn("b"), "pinned")))
                    .as("a key places its message on its shard, reachable or not")
                    .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("shard 'b'");
            assertThatThrownBy(() -> spool.enqueue(to(placedOn("b"), "pinned")))
                    .as("so does a destination")
                    .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("shard 'b'");
            assertThat(spool.enqueue(to(placedOn("a"), "on a"))).endsWith(".a");
            long onABefore = spool.estimateCounts().get(QueueState.INCOMING).value();
            assertThatThrownBy(() -> spool.enqueueAll(List.of(to(placedOn("b"), "pinned"),
                    io.retryspool.EnqueueRequest.builder().body(new byte[]{9}).build())))
                    .as("an enqueueAll that stored nothing fails whole, its unpinned message not moved and stored alone")
                    .isExactlyInstanceOf(StoreUnavailableException.class);
            assertThat(spool.estimateCounts().get(QueueState.INCOMING).value()).isEqualTo(onABefore);

            bRefusalMillis = 1_000;
            org.awaitility.Awaitility.await("b tried again in the background").atMost(Duration.ofSeconds(20))
                    .until(() -> bRefused.contains("oldestDue"));
            java.util.concurrent.ExecutorService producers = java.util.concurrent.Executors.newFixedThreadPool(8);
            try {
                List<java.util.concurrent.Future<String>> enqueued = new ArrayList<>();
                for (int n = 0; n < 40; n++) {
                    enqueued.add(producers.submit(() -> spool.enqueueAll(List.of(io.retryspool.EnqueueRequest.builder()
                            .body(new byte[]{1}).build())).get(0)));
                }
                for (java.util.concurrent.Future<String> id : enqueued) {
                    assertThat(id.get(30, java.util.concurrent.TimeUnit.SECONDS)).endsWith(".a");
                }
            } finally {
                producers.shutdownNow();
            }
            assertThat(bRefused).as("only the background tries reached b").containsOnly("store", "oldestDue")
                    .containsOnlyOnce("store");

            bAnswers.set(true);
            org.awaitility.Awaitility.await("b back").atMost(Duration.ofSeconds(20))
                    .until(() -> spool.enqueueAll(List.of(io.retryspool.EnqueueRequest.builder().body(new byte[]{2})
                            .build())).get(0).endsWith(".b"));
        }
    }

    @Test
    void aShardWithAffinityZeroTakesNoNewMessagesAndAllDrainingIsRefused() {
        ShardedStore store = ShardedStore.of(List.of(shard("a", 0), shard("b", 2)));
        for (int n = 0; n < 100; n++) {
            assertThat(store.placeNewMessages(unique(1), List.of(PlacementKey.NONE)).get(0)).endsWith(".b");
            assertThat(store.placeNewMessages(unique(1), List.of(byKey("key-" + n))).get(0)).endsWith(".b");
        }
        assertThatThrownBy(() -> ShardedStore.of(List.of(shard("a", 0), shard("b", 0))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("affinity 0");
        assertThatThrownBy(() -> ShardedStore.of(List.of(shard("a", 1), shard("a", 1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a' is given twice");
    }

    @Test
    void anUnreachableShardTakesNoNewMessagesAndCatchesUpBoundedlyOnceBack() throws InterruptedException {
        ShardedStore store = ShardedStore.of(List.of(shard("a", 1), shard("b", 1)), Duration.ofSeconds(1));
        bAnswers.set(false);
        assertThat(store.meta().claim(claim())).as("the claim loop goes on with shard a").isEmpty();
        assertThat(store.shardStatus().get("b").reachable()).isFalse();
        assertThatThrownBy(() -> store.meta().find(UUID.randomUUID() + ".b")).isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("shard 'b' is paused");
        assertThat(store.shardStatus().get("b").lastFailure()).contains("refused");

        for (int n = 0; n < 5_000; n++) {
            assertThat(store.placeNewMessages(unique(1), List.of(PlacementKey.NONE)).get(0)).endsWith(".a");
        }
        bAnswers.set(true);
        org.awaitility.Awaitility.await("b found back in the background").atMost(Duration.ofSeconds(10))
                .until(() -> store.shardStatus().get("b").reachable());
        int toBInARow = 0;
        while (store.placeNewMessages(unique(1), List.of(PlacementKey.NONE)).get(0).endsWith(".b")) {
            toBInARow++;
        }
        assertThat(toBInARow).as("b catches up by at most %d", ShardPlacement.CATCH_UP).isBetween(900, 1_001);
    }

    @Test
    void claimsGoOnWithTheOtherShardsWithoutEverWaitingForAnUnreachableOneWhileItIsTriedAgain() {
        ShardedStore store = ShardedStore.of(List.of(shard("a", 1), shard("b", 1)), Duration.ofMillis(100));
        bAnswers.set(false);
        bRefusalMillis = 300;
        store.meta().claim(claim());
        org.awaitility.Awaitility.await("b tried again twice in the background").atMost(Duration.ofSeconds(10))
                .until(() -> {
                    store.meta().claim(claim());
                    return bRefused.stream().filter("oldestDue"::equals).count() >= 2;
                });
        assertThat(bRefused).as("only the first claim reached b").containsOnlyOnce("claim").containsOnly("claim", "oldestDue");
    }

    @Test
    void outcomesOfAReachableShardAreWrittenWhileAnotherShardsWaitForIt() throws Exception {
        ShardedStore store = ShardedStore.of(List.of(shard("a", 1), shard("b", 1)), Duration.ofMillis(300));
        List<String> ids = storeSingleEnqueues(store, 6);
        List<io.retryspool.storage.Claim> claims = new ArrayList<>(store.meta().claim(claim()));
        assertThat(claims).hasSize(6);
        bAnswers.set(false);
        io.retryspool.internal.processing.OutcomeWriter writer =
                new io.retryspool.internal.processing.OutcomeWriter(store, 100, Duration.ofSeconds(30),
                        io.retryspool.storage.DestinationPolicy.DEFAULTS, java.time.Clock.systemUTC());
        writer.start("test-shard-outcomes");
        try {
            Map<String, java.util.concurrent.CompletableFuture<Boolean>> written = new HashMap<>();
            claims.forEach(claim -> written.put(claim.id(), writer.submit(io.retryspool.storage.ClaimOutcome.delete(claim))));

            for (String id : ids) {
                if (id.endsWith(".a")) {
                    assertThat(written.get(id).get(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                }
            }
            assertThat(ids.stream().filter(id -> id.endsWith(".b")).map(written::get)).noneMatch(f -> f.isDone());
            bAnswers.set(true);
            for (String id : ids) {
                assertThat(written.get(id).get(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            writer.stop();
        }
        assertThat(store.meta().countByState().values()).containsOnly(0L);
    }

    @Test
    void delayWarningsAreClaimedUpToTheLimitAcrossShardsOldestFirstAndEachOnce() {
        ShardedStore store = ShardedStore.of(List.of(shard("a", 1), shard("b", 1)));
        List<String> ids = new ArrayList<>();
        for (int n = 0; n < 300; n++) {
            ids.addAll(store.placeNewMessages(unique(1), List.of(PlacementKey.NONE)));
        }
        List<NewMessage> messages = new ArrayList<>();
        for (int n = 0; n < ids.size(); n++) {
            messages.add(new NewMessage(MessageMetadata.builder().id(ids.get(n)).state(QueueState.INCOMING)
                    .created(NOW.plusMillis(n)).build(), null));
        }
        store.storeAllWithBodies(messages, Collections.nCopies(ids.size(), new byte[]{1}));
        assertThat(ids).filteredOn(id -> id.endsWith(".a")).hasSize(150);

        List<String> warned = new ArrayList<>();
        List<MessageMetadata> batch;
        do {
            batch = store.meta().claimDelayWarnings(NOW.plusSeconds(60), NOW.plusSeconds(60), 100);
            assertThat(batch).hasSizeLessThanOrEqualTo(100);
            assertThat(batch).extracting(MessageMetadata::created).isSorted();
            batch.forEach(message -> warned.add(message.id()));
        } while (batch.size() == 100);
        assertThat(warned).hasSize(300).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void expiredLeasesOfTheOtherShardsAreSettledWhileOneShardFails() {
        ShardedStore store = ShardedStore.of(List.of(shard("a", 1), shard("b", 1)), Duration.ofSeconds(30));
        storeSingleEnqueues(store, 6);
        List<io.retryspool.storage.Claim> claims = store.meta().claim(claim());
        Instant expired = NOW.plus(Duration.ofMinutes(2));
        List<io.retryspool.storage.ClaimOutcome> outcomes = store.meta().expiredLeases(expired, 10).stream()
                .map(claim -> io.retryspool.storage.ClaimOutcome.update(claim, claim.metadata().toBuilder()
                        .state(QueueState.DEFERRED).nextRetry(expired).build()))
                .toList();
        assertThat(outcomes).hasSize(claims.size());
        bFailure = () -> new io.retryspool.StorageException("b refused the write", null);
        bAnswers.set(false);

        java.util.Set<String> notWritten = store.meta().settleExpiredLeases(outcomes, expired);

        assertThat(notWritten).isNotEmpty().allMatch(id -> id.endsWith(".b"));
        assertThat(claims).filteredOn(claim -> claim.id().endsWith(".a"))
                .allMatch(claim -> store.meta().find(claim.id()).orElseThrow().state() == QueueState.DEFERRED);
        assertThatThrownBy(() -> store.meta().settleExpiredLeases(
                outcomes.stream().filter(outcome -> outcome.id().endsWith(".b")).toList(), expired))
                .as("fails when every shard failed").isInstanceOf(io.retryspool.StorageException.class);
    }

    @Test
    void whileAShardCannotBeReachedExactCountsFailNamingItAndEstimatesSumTheOthers() {
        ShardedStore store = ShardedStore.of(List.of(shard("a", 1), shard("b", 1)), Duration.ofSeconds(30));
        List<String> ids = storeSingleEnqueues(store, 4);
        bAnswers.set(false);

        assertThatThrownBy(() -> store.meta().countByState()).isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("shard 'b'");
        io.retryspool.QueueCounts estimated = store.meta().countByState(1_000);
        assertThat(estimated.get(QueueState.INCOMING)).isEqualTo(io.retryspool.Count.estimate(2));
        assertThat(estimated.anyEstimated()).isTrue();
        assertThat(store.meta().countInState(QueueState.INCOMING, 1_000)).isEqualTo(io.retryspool.Count.estimate(2));
        assertThat(store.meta().backlog(NOW, 1_000).estimated(QueueState.INCOMING, 0)).isTrue();
    }

    @Test
    void theOrphanSweeperAlsoPassesOverAShardWhoseConnectionBrokeMidway() {
        bFailure = () -> new io.retryspool.StorageException("could not list bodies (PostgreSQL): I/O error",
                new java.sql.SQLException("An I/O error occurred while sending to the backend.", "08006"));
        ShardedStore store = ShardedStore.of(List.of(shard("a", 1), shard("b", 1)), Duration.ofSeconds(30));
        store.bodies().store(UUID.randomUUID() + ".a", new java.io.ByteArrayInputStream(new byte[]{1}));
        bAnswers.set(false);
        io.retryspool.internal.scheduler.OrphanSweeper sweeper = new io.retryspool.internal.scheduler.OrphanSweeper(
                store.meta(), store.bodies(), java.time.Clock.fixed(NOW.plus(Duration.ofHours(2)),
                java.time.ZoneOffset.UTC), Duration.ofHours(1));

        assertThat(sweeper.sweep()).isEqualTo(1);
    }

    @Test
    void theOrphanSweeperGoesOnWithTheOtherShardsWhileOneCannotBeReached() throws InterruptedException {
        ShardedStore store = ShardedStore.of(List.of(shard("a", 1), shard("b", 1), shard("c", 1)),
                Duration.ofMillis(200));
        for (String shard : List.of("a", "b", "c")) {
            store.bodies().store(UUID.randomUUID() + "." + shard, new java.io.ByteArrayInputStream(new byte[]{1}));
        }
        bAnswers.set(false);
        io.retryspool.internal.scheduler.OrphanSweeper sweeper = new io.retryspool.internal.scheduler.OrphanSweeper(
                store.meta(), store.bodies(), java.time.Clock.fixed(NOW.plus(Duration.ofHours(2)),
                java.time.ZoneOffset.UTC), Duration.ofHours(1));

        assertThat(sweeper.sweep()).as("the orphans of a and c, with b down between them").isEqualTo(2);
        bAnswers.set(true);
        awaitReachable(store, "b");
        assertThat(store.bodies().listIds(NOW.plusSeconds(1), null, 10)).as("b's orphan, left for the next run")
                .singleElement().asString().endsWith(".b");
    }

    @Test
    void aShardThatWasDownWhenTheSpoolSubscribedIsSubscribedOnceAClaimReachesIt() throws InterruptedException {
        ShardedStore store = ShardedStore.of(List.of(shard("a", 1), shard("b", 1)), Duration.ofMillis(200));
        bAnswers.set(false);
        MetaStore.Subscription subscription = store.meta().subscribeToClaimable(() -> { });
        store.meta().claim(claim());
        assertThat(bSubscriptions).isEmpty();

        bAnswers.set(true);
        awaitReachable(store, "b");
        store.meta().claim(claim());
        store.meta().claim(claim());
        assertThat(bSubscriptions).as("subscribed once, by the first claim that reached b").containsExactly("subscribed");
        subscription.close();
        assertThat(bSubscriptions).containsExactly("subscribed", "closed");
        store.meta().claim(claim());
        assertThat(bSubscriptions).as("not again after the close").hasSize(2);
    }

    @Test
    void idsThatNameNoShardAreNotFound() {
        ShardedStore store = ShardedStore.of(List.of(shard("a", 1)));
        assertThat(store.meta().find("plain-id")).isEmpty();
        assertThat(store.meta().find("x.nope")).isEmpty();
        assertThat(store.meta().delete("x.nope")).isFalse();
        assertThatThrownBy(() -> store.meta().update("x.nope", m -> m)).isInstanceOf(MessageNotFoundException.class)
                .hasMessageContaining("names no shard");
        assertThatThrownBy(() -> store.bodies().openReader("x.nope")).isInstanceOf(MissingBodyException.class);
    }

    private static void awaitReachable(ShardedStore store, String shard) {
        org.awaitility.Awaitility.await(shard + " found back in the background").atMost(Duration.ofSeconds(10))
                .until(() -> store.shardStatus().get(shard).reachable());
    }

    /** A destination or idempotency key that two shards a and b of affinity 1 place on {@code shard}. */
    private String placedOn(String shard) {
        ShardedStore placing = ShardedStore.of(List.of(shard("a", 1), shard("b", 1)));
        for (int n = 0; ; n++) {
            String key = "key-" + n;
            if (placing.placeNewMessages(unique(1), List.of(byKey(key))).get(0).endsWith("." + shard)) {
                return key;
            }
        }
    }

    private static PlacementKey byKey(String idempotencyKey) {
        return new PlacementKey(null, idempotencyKey);
    }

    private static io.retryspool.EnqueueRequest to(String destination, String body) {
        return io.retryspool.EnqueueRequest.builder().destination(destination)
                .body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)).build();
    }

    private static io.retryspool.EnqueueRequest keyed(String key, String body) {
        return io.retryspool.EnqueueRequest.builder().idempotencyKey(key)
                .body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)).build();
    }

    /** Stores {@code count} messages placed one enqueue at a time, so that they spread over the shards. */
    private static List<String> storeSingleEnqueues(ShardedStore store, int count) {
        List<String> ids = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            ids.addAll(store.placeNewMessages(unique(1), List.of(PlacementKey.NONE)));
        }
        store.storeAllWithBodies(ids.stream().map(id -> message(id, null)).toList(),
                Collections.nCopies(ids.size(), new byte[]{1}));
        return ids;
    }

    private Shard shard(String name, int affinity) {
        MetaStore meta = new InMemoryMetaStore();
        DataStore bodies = new InMemoryDataStore(java.time.Clock.fixed(NOW, java.time.ZoneOffset.UTC));
        if (!name.equals("b")) {
            return new Shard(name, SpoolStore.of(meta, bodies), affinity);
        }
        return new Shard(name, SpoolStore.of(answeringWhileBAnswers(MetaStore.class, meta),
                answeringWhileBAnswers(DataStore.class, bodies)), affinity);
    }

    /** {@code target}, failing as an unreachable database does while {@link #bAnswers} is false. */
    private <T> T answeringWhileBAnswers(Class<T> type, T target) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, (proxy, method, args) -> {
            if (!bAnswers.get()) {
                bRefused.add(method.getName());
                Thread.sleep(bRefusalMillis);
                throw bFailure.get();
            }
            if (method.getName().equals("subscribeToClaimable")) {
                bSubscriptions.add("subscribed");
                return (MetaStore.Subscription) () -> bSubscriptions.add("closed");
            }
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }));
    }

    private static List<String> unique(int count) {
        List<String> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(UUID.randomUUID().toString());
        }
        return ids;
    }

    private static NewMessage message(String id, String key) {
        return new NewMessage(MessageMetadata.builder().id(id).state(QueueState.INCOMING).created(NOW).build(), key);
    }

    private static ClaimRequest claim() {
        return new ClaimRequest(EnumSet.of(QueueState.INCOMING), NOW, 10, "owner", Duration.ofMinutes(1));
    }
}
