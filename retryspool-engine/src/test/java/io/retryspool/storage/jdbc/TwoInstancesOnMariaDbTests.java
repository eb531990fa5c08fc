package io.retryspool.storage.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.EnqueueRequest;
import io.retryspool.RetrySpool;
import io.retryspool.handler.MessageHandler;
import io.retryspool.retry.FixedRetryPolicy;
import io.retryspool.testing.MigratedMariaDbDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two spool instances on one MariaDB database, each with its own connection pool as two processes would have, claim
 * with {@code FOR UPDATE SKIP LOCKED} and find new messages by polling: every message is delivered exactly once
 * between them. Real clock.
 */
class TwoInstancesOnMariaDbTests {

    @RegisterExtension
    static final MigratedMariaDbDatabase database = new MigratedMariaDbDatabase("two_instances", 2);

    private static final int CONCURRENCY = 8;
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final List<AutoCloseable> closeLastFirst = new ArrayList<>();

    @AfterEach
    void closeInstances() throws Exception {
        for (int i = closeLastFirst.size() - 1; i >= 0; i--) {
            closeLastFirst.get(i).close();
        }
    }

    @Test
    void fiveThousandMessagesEnqueuedFromManyThreadsAreEachDeliveredExactlyOnceByTwoInstances() throws Exception {
        database.emptied();
        Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> byInstance = new ConcurrentHashMap<>();
        RetrySpool first = instance("instance-a", handler("instance-a", deliveries, byInstance));
        RetrySpool second = instance("instance-b", handler("instance-b", deliveries, byInstance));
        first.start();
        second.start();

        int producers = 4;
        int batches = 10;
        int batchSize = 120;
        int singles = 5;
        int expected = producers * batches * (batchSize + singles);
        Set<String> ids = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(producers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                RetrySpool spool = p % 2 == 0 ? first : second;
                String producer = "producer-" + p;
                done.add(pool.submit(() -> {
                    for (int b = 0; b < batches; b++) {
                        ids.addAll(spool.enqueueAll(requests(producer + "-batch-" + b, batchSize)));
                        for (int s = 0; s < singles; s++) {
                            ids.add(spool.enqueue(Map.of("from", producer), body(producer + "-" + b + "-" + s)));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(ids).hasSize(expected);

        await("every message delivered and gone").atMost(WAIT).until(() -> deliveries.size() >= expected
                && first.counts().values().stream().allMatch(n -> n == 0));

        assertThat(deliveries.keySet()).as("the delivered ids are the enqueued ones").isEqualTo(ids);
        assertThat(deliveries.values().stream().filter(count -> count.get() > 1).count())
                .as("messages delivered more than once").isZero();
        assertThat(second.counts().values()).as("counts seen by the second instance").containsOnly(0L);
        assertThat(byInstance.get("instance-a")).as("deliveries by the first instance").isNotNull();
        assertThat(byInstance.get("instance-b")).as("deliveries by the second instance").isNotNull();
    }

    /** Builds a stopped instance with a pool of its own on the test database. */
    private RetrySpool instance(String instanceId, MessageHandler handler) {
        HikariDataSource pool = database.pool(CONCURRENCY + 4);
        closeLastFirst.add(pool);
        RetrySpool spool = RetrySpool.builder()
                .jdbc(pool)
                .migrate(false)
                .instanceId(instanceId)
                .concurrency(CONCURRENCY)
                .pollInterval(Duration.ofMillis(50))
                .shutdownGrace(Duration.ofSeconds(5))
                .retryPolicy(FixedRetryPolicy.of(Duration.ofMillis(100)))
                .handler(handler)
                .build();
        closeLastFirst.add(spool);
        return spool;
    }

    private static MessageHandler handler(String instanceId, Map<String, AtomicInteger> deliveries,
                                          Map<String, AtomicInteger> byInstance) {
        return (context, message, body) -> {
            deliveries.computeIfAbsent(message.id(), id -> new AtomicInteger()).incrementAndGet();
            byInstance.computeIfAbsent(instanceId, id -> new AtomicInteger()).incrementAndGet();
        };
    }

    private static List<EnqueueRequest> requests(String prefix, int count) {
        List<EnqueueRequest> requests = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            requests.add(EnqueueRequest.builder().header("from", prefix).body(body(prefix + "-" + i)).build());
        }
        return requests;
    }

    private static byte[] body(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
