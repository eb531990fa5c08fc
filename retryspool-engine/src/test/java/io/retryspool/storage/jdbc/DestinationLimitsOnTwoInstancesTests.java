package io.retryspool.storage.jdbc;

import io.retryspool.EnqueueRequest;
import io.retryspool.RetrySpool;
import io.retryspool.builder.RetrySpoolBuilder;
import io.retryspool.handler.MessageHandler;
import io.retryspool.testing.SharedSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Destination limits held by two spool instances on one PostgreSQL schema, each with its own pool as two processes
 * would have, with a real clock: a handler records how many attempts on each destination run at once across both,
 * and when each starts.
 */
class DestinationLimitsOnTwoInstancesTests {

    /**
     * Workers of each instance, with claims of one message: an instance holds at most {@code WORKERS + 2} claims
     * (running or waiting for a worker), fewer than the 8 the destinations' limits allow together, so the other
     * instance always finds room and both deliver (with batches of 100 the instance that started first could hold
     * every slot until the end).
     */
    private static final int WORKERS = 4;
    private static final Duration WAIT = Duration.ofSeconds(60);

    private SharedSchema shared;

    @BeforeEach
    void createSchema() {
        shared = SharedSchema.create("destination_limits");
    }

    @AfterEach
    void closeInstancesAndDropSchema() throws Exception {
        if (shared != null) {
            shared.close();
        }
    }

    @Test
    void concurrencyLimitsAreNeverExceededAcrossTwoInstancesAndEveryMessageIsDeliveredOnce() {
        Map<String, Integer> limits = Map.of("three.example", 3, "one.example", 1, "default.example", 4);
        ConcurrentEntries entries = new ConcurrentEntries();
        UnaryOperator<RetrySpoolBuilder> limited = builder -> builder
                .destinationConcurrency(4)
                .destinationConcurrency("three.example", 3)
                .destinationConcurrency("one.example", 1);
        RetrySpool first = instance("instance-a", entries.handler("instance-a"), limited);
        RetrySpool second = instance("instance-b", entries.handler("instance-b"), limited);
        List<EnqueueRequest> requests = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            for (String destination : limits.keySet()) {
                requests.add(EnqueueRequest.builder().header("n", Integer.toString(i)).body(new byte[]{1})
                        .destination(destination).build());
            }
        }
        List<String> ids = first.enqueueAll(requests);
        first.start();
        second.start();

        await("every message delivered").atMost(WAIT).until(() -> entries.delivered.size() >= ids.size()
                && first.counts().values().stream().allMatch(n -> n == 0));

        assertThat(entries.delivered).as("each message delivered once").hasSize(ids.size())
                .containsExactlyInAnyOrderElementsOf(ids);
        limits.forEach((destination, limit) -> assertThat(entries.mostAtOnce(destination))
                .as("the most attempts on %s at once, both instances together", destination)
                .isLessThanOrEqualTo(limit)
                .isPositive());
        assertThat(entries.mostAtOnce("three.example")).as("the limit of 3 was reached, so it is what held")
                .isEqualTo(3);
        assertThat(entries.byInstance.keySet()).as("both instances delivered")
                .containsExactlyInAnyOrder("instance-a", "instance-b");
    }

    @Test
    void aRateLimitHoldsWithinTenPercentOverThirtySecondsAcrossTwoInstances() {
        double rate = 20;
        ConcurrentLinkedQueue<Long> starts = new ConcurrentLinkedQueue<>();
        MessageHandler handler = (context, message, body) -> starts.add(System.nanoTime());
        UnaryOperator<RetrySpoolBuilder> rated = builder -> builder.destinationRate("rated.example", rate);
        RetrySpool first = instance("instance-a", handler, rated);
        RetrySpool second = instance("instance-b", handler, rated);
        List<EnqueueRequest> requests = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            requests.add(EnqueueRequest.builder().body(new byte[]{1}).destination("rated.example").build());
        }
        first.enqueueAll(requests);
        first.start();
        second.start();
        Duration window = Duration.ofSeconds(30);

        await("thirty seconds of attempts").atMost(window.plusSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> !starts.isEmpty() && System.nanoTime() - firstOf(starts) > window.toNanos());

        long first0 = firstOf(starts);
        long inWindow = starts.stream().filter(start -> start - first0 < window.toNanos()).count();
        double expected = rate * window.toSeconds();
        assertThat((double) inWindow).as("attempts started in the first %s, at %s per second", window, rate)
                .isBetween(0.9 * expected, 1.1 * expected);
    }

    private static long firstOf(ConcurrentLinkedQueue<Long> starts) {
        return starts.stream().mapToLong(Long::longValue).min().orElseThrow();
    }

    /** Builds a stopped instance with a pool of its own on the test schema. */
    private RetrySpool instance(String instanceId, MessageHandler handler, UnaryOperator<RetrySpoolBuilder> limits) {
        RetrySpool spool = limits.apply(RetrySpool.builder()
                        .jdbc(shared.pool(WORKERS + 4))
                        .instanceId(instanceId)
                        .concurrency(WORKERS)
                        .batchSize(1)
                        .pollInterval(Duration.ofMillis(100))
                        .shutdownGrace(Duration.ofSeconds(5))
                        .handler(handler))
                .build();
        return shared.track(spool);
    }

    /**
     * A handler that counts, per destination, the attempts running at once, and records what was delivered. The
     * first attempts on {@code three.example} wait for each other (up to 3 seconds) until three run at once, so that
     * its limit is reached whatever the timing, and a fourth, were the limit broken, would be counted.
     */
    private static final class ConcurrentEntries {
        private static final String RENDEZVOUS = "three.example";
        private final AtomicBoolean rendezvousDone = new AtomicBoolean();
        private final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> most = new ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> byInstance = new ConcurrentHashMap<>();
        private final ConcurrentLinkedQueue<String> delivered = new ConcurrentLinkedQueue<>();

        MessageHandler handler(String instanceId) {
            return (context, message, body) -> {
                String destination = message.metadata().destination();
                int now = running.computeIfAbsent(destination, d -> new AtomicInteger()).incrementAndGet();
                most.computeIfAbsent(destination, d -> new AtomicInteger()).accumulateAndGet(now, Math::max);
                try {
                    if (RENDEZVOUS.equals(destination)) {
                        awaitRendezvous();
                    }
                    Thread.sleep(ThreadLocalRandom.current().nextInt(1, 6));
                } finally {
                    running.get(destination).decrementAndGet();
                }
                delivered.add(message.id());
                byInstance.computeIfAbsent(instanceId, i -> new AtomicInteger()).incrementAndGet();
            };
        }

        private void awaitRendezvous() throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (!rendezvousDone.get() && running.get(RENDEZVOUS).get() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            rendezvousDone.set(true);
        }

        int mostAtOnce(String destination) {
            AtomicInteger value = most.get(destination);
            return value == null ? 0 : value.get();
        }
    }
}
