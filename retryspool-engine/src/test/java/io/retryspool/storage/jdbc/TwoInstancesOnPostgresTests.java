package io.retryspool.storage.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.QueueState;
import io.retryspool.RetrySpool;
import io.retryspool.handler.MessageHandler;
import io.retryspool.storage.Claim;
import io.retryspool.retry.FixedRetryPolicy;
import io.retryspool.storage.ClaimRequest;
import io.retryspool.testing.SharedSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two spool instances on one PostgreSQL schema, each with its own connection pool as two processes would
 * have: every message is delivered exactly once between them, and messages claimed by a third instance that
 * died stay with it until its lease expires and are then delivered once by the live instances. Real clock.
 */
class TwoInstancesOnPostgresTests {

    private static final int CONCURRENCY = 8;
    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);
    private static final Duration DEAD_LEASE = Duration.ofSeconds(4);
    private static final Duration WAIT = Duration.ofSeconds(45);

    private SharedSchema shared;

    @BeforeEach
    void createSchema() {
        shared = SharedSchema.create("two_instances");
    }

    @AfterEach
    void closeInstancesAndDropSchema() throws Exception {
        if (shared != null) {
            shared.close();
        }
    }

    @Test
    void twentyThousandMessagesEnqueuedFromManyThreadsAreEachDeliveredExactlyOnceByTwoInstances() throws Exception {
        Deliveries deliveries = new Deliveries();
        RetrySpool first = instance("instance-a", deliveries.handler("instance-a"));
        RetrySpool second = instance("instance-b", deliveries.handler("instance-b"));
        first.start();
        second.start();

        ProducerLoad load = new ProducerLoad(4, 10, 495, 5);
        int expected = load.total();
        assertThat(expected).isEqualTo(20_000);
        Set<String> ids = load.enqueue(first, second, WAIT);
        assertThat(ids).hasSize(expected);

        await("every message delivered and gone").atMost(WAIT)
                .until(() -> deliveries.total() >= expected && first.counts().values().stream().allMatch(n -> n == 0));

        assertThat(deliveries.counts().keySet()).as("the delivered ids are the enqueued ones").isEqualTo(ids);
        assertThat(deliveries.deliveredMoreThanOnce()).as("ids delivered more than once, with their counts").isEmpty();
        assertThat(first.counts().values()).as("counts seen by the first instance").containsOnly(0L);
        assertThat(second.counts().values()).as("counts seen by the second instance").containsOnly(0L);
        assertThat(deliveries.byInstance("instance-a")).as("deliveries by the first instance").isPositive();
        assertThat(deliveries.byInstance("instance-b")).as("deliveries by the second instance").isPositive();
    }

    @Test
    void messagesClaimedByAnInstanceThatDiedStayWithItUntilItsLeaseExpiresAndAreThenDeliveredOnceByTheLiveInstances() {
        Deliveries deliveries = new Deliveries();
        RetrySpool first = instance("instance-a", deliveries.handler("instance-a"));
        RetrySpool second = instance("instance-b", deliveries.handler("instance-b"));
        List<String> abandoned = first.enqueueAll(ProducerLoad.requests("abandoned", 50));

        HikariDataSource deadPool = shared.pool(2);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instant deadLeaseUntil = now.plus(DEAD_LEASE);
        List<Claim> claims = new JdbcMetaStore(deadPool)
                .claim(new ClaimRequest(EnumSet.of(QueueState.INCOMING), now, abandoned.size(), "dead", DEAD_LEASE));
        assertThat(claims).extracting(Claim::id).containsExactlyInAnyOrderElementsOf(abandoned);

        first.start();
        second.start();
        List<String> control = second.enqueueAll(ProducerLoad.requests("control", 50));

        await("the live instances deliver the other messages").atMost(Duration.ofSeconds(2))
                .until(() -> deliveries.counts().keySet().containsAll(control));
        await("the dead instance's claims stay ACTIVE and undelivered for a second")
                .during(Duration.ofSeconds(1)).atMost(Duration.ofMillis(1400))
                .until(() -> heldBy("dead") == abandoned.size() && deliveries.noneOf(abandoned));
        assertThat(Instant.now()).as("the check ran while the dead lease was live").isBefore(deadLeaseUntil);

        await("the abandoned messages delivered after the lease expired").atMost(WAIT)
                .until(() -> deliveries.total() >= abandoned.size() + control.size()
                        && first.counts().values().stream().allMatch(n -> n == 0));

        assertThat(deliveries.counts().keySet()).as("none lost")
                .containsExactlyInAnyOrderElementsOf(concat(abandoned, control));
        assertThat(deliveries.deliveredMoreThanOnce()).as("ids delivered more than once, with their counts").isEmpty();
        for (String id : abandoned) {
            assertThat(deliveries.firstDelivery(id)).as("delivery of %s", id).isAfter(deadLeaseUntil);
            assertThat(deliveries.attempt(id)).as("attempt of %s: the expired lease counted as the first", id)
                    .isEqualTo(2);
        }
        assertThat(first.counts().values()).as("counts at the end").containsOnly(0L);
    }

    /** Builds a stopped instance with a pool of its own on the test schema. */
    private RetrySpool instance(String instanceId, MessageHandler handler) {
        HikariDataSource pool = shared.pool(CONCURRENCY + 4);
        RetrySpool spool = RetrySpool.builder()
                .jdbc(pool)
                .instanceId(instanceId)
                .concurrency(CONCURRENCY)
                .pollInterval(POLL_INTERVAL)
                .shutdownGrace(Duration.ofSeconds(5))
                .retryPolicy(FixedRetryPolicy.of(Duration.ofMillis(100)))
                .handler(handler)
                .build();
        return shared.track(spool);
    }

    private int heldBy(String owner) {
        Integer held = new JdbcTemplate(shared.schema().dataSource()).queryForObject(
                "SELECT COUNT(*) FROM retryspool_messages WHERE state = ? AND lease_owner = ?", Integer.class,
                QueueState.ACTIVE.code(), owner);
        return held == null ? 0 : held;
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
