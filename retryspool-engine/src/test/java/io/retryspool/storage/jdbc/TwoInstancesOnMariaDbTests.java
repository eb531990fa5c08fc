package io.retryspool.storage.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.RetrySpool;
import io.retryspool.handler.MessageHandler;
import io.retryspool.retry.FixedRetryPolicy;
import io.retryspool.testing.MigratedMariaDbDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

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
        Deliveries deliveries = new Deliveries();
        RetrySpool first = instance("instance-a", deliveries.handler("instance-a"));
        RetrySpool second = instance("instance-b", deliveries.handler("instance-b"));
        first.start();
        second.start();

        ProducerLoad load = new ProducerLoad(4, 10, 120, 5);
        int expected = load.total();
        Set<String> ids = load.enqueue(first, second, WAIT);
        assertThat(ids).hasSize(expected);

        await("every message delivered and gone").atMost(WAIT).until(() -> deliveries.total() >= expected
                && first.counts().values().stream().allMatch(n -> n == 0));

        assertThat(deliveries.counts().keySet()).as("the delivered ids are the enqueued ones").isEqualTo(ids);
        assertThat(deliveries.deliveredMoreThanOnce()).as("ids delivered more than once, with their counts").isEmpty();
        assertThat(second.counts().values()).as("counts seen by the second instance").containsOnly(0L);
        assertThat(deliveries.byInstance("instance-a")).as("deliveries by the first instance").isPositive();
        assertThat(deliveries.byInstance("instance-b")).as("deliveries by the second instance").isPositive();
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
}
