package io.retryspool.storage.jdbc;

import io.retryspool.builder.RetrySpoolBuilder;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.EnqueueRequest;
import io.retryspool.MessageMetadata;
import io.retryspool.QueueState;
import io.retryspool.RetrySpool;
import io.retryspool.handler.MessageHandler;
import io.retryspool.handler.RetryableException;
import io.retryspool.retry.FixedRetryPolicy;
import io.retryspool.testing.LocalPostgresCluster;
import io.retryspool.testing.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Promises under faults that only a real PostgreSQL server can show: an outage of the server (the local cluster is
 * stopped and started again) shorter than the lease causes no redelivery; instances whose clocks are 25 s apart never
 * take each other's live leases (leases run on the server's clock); a row the database refuses fails only itself.
 */
class PostgresFaultTests {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private TestPostgres.Schema schema;
    private final List<AutoCloseable> resources = new ArrayList<>();

    @BeforeEach
    void createSchema() {
        schema = TestPostgres.newSchema("faults", 4);
        RetrySpoolSchema.migrate(schema.dataSource());
    }

    @AfterEach
    void closeEverything() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
        schema.close();
    }

    @Test
    void anOutageOfTheDatabaseShorterThanTheLeaseCausesNoRedelivery() throws Exception {
        LocalPostgresCluster cluster = LocalPostgresCluster.require();
        CountDownLatch proceed = new CountDownLatch(1);
        CountDownLatch fourRunning = new CountDownLatch(4);
        Map<String, List<Integer>> attempts = new ConcurrentHashMap<>();
        RetrySpool spool = instance("outage", Clock.systemUTC(), b -> b.concurrency(4).batchSize(4)
                .leaseTimeout(Duration.ofSeconds(60)).archiveSuccess(true)
                .handler((context, message, body) -> {
                    attempts.computeIfAbsent(message.id(), ignored -> new CopyOnWriteArrayList<>()).add(context.attempt());
                    fourRunning.countDown();
                    proceed.await();
                }));
        List<String> ids = spool.enqueueAll(requests(8));
        spool.start();
        assertThat(fourRunning.await(30, TimeUnit.SECONDS)).isTrue();

        try {
            cluster.stop();
            proceed.countDown();
            Thread.sleep(3_000); // the handlers' outcomes cannot be stored meanwhile: they are retried
        } finally {
            cluster.start();
        }

        await("every message archived after the outage").atMost(WAIT)
                .ignoreExceptions()
                .until(() -> spool.counts().get(QueueState.ARCHIVED) == ids.size());
        assertThat(attempts.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(attempts).as("each message delivered once, at its first attempt")
                .allSatisfy((id, tries) -> assertThat(tries).containsExactly(1));
        assertThat(spool.isRunning()).isTrue();
    }

    @Test
    void instancesWhoseClocksAre25SecondsApartNeverTakeEachOthersLiveLeases() throws Exception {
        Map<String, List<String>> deliveries = new ConcurrentHashMap<>();
        CountDownLatch running = new CountDownLatch(1);
        Duration lease = Duration.ofSeconds(30);
        MessageHandler slow = handlerOf("on-time", deliveries, running, Duration.ofSeconds(7));
        RetrySpool onTime = instance("on-time", Clock.systemUTC(),
                b -> b.leaseTimeout(lease).archiveSuccess(true).handler(slow));
        RetrySpool ahead = instance("ahead", Clock.offset(Clock.systemUTC(), Duration.ofSeconds(25)),
                b -> b.leaseTimeout(lease).archiveSuccess(true)
                        .handler(handlerOf("ahead", deliveries, new CountDownLatch(1), Duration.ZERO)));
        String id = onTime.enqueue(Map.of(), bytes("a seven-second job"));
        onTime.start();
        assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();

        ahead.start();
        await("the slow delivery finishes").atMost(WAIT).until(() -> onTime.counts().get(QueueState.ARCHIVED) == 1);

        assertThat(deliveries).as("deliveries by instance").containsOnlyKeys(id);
        assertThat(deliveries.get(id)).as("delivered once, by the instance that claimed it").containsExactly("on-time");
        assertThat(onTime.getMessage(id).metadata().attempts()).isEqualTo(1);
    }

    @Test
    void aRowTheDatabaseRefusesFailsOnlyItselfAndTheOthersOfItsGroupAreStoredOnce() {
        new JdbcTemplate(schema.dataSource()).execute("CREATE FUNCTION refuse_marked() RETURNS trigger AS $$ BEGIN"
                + " IF NEW.last_error LIKE '%refuse-me%' THEN RAISE EXCEPTION 'refused by the test trigger'; END IF;"
                + " RETURN NEW; END $$ LANGUAGE plpgsql");
        new JdbcTemplate(schema.dataSource()).execute("CREATE TRIGGER refuse_marked BEFORE UPDATE ON retryspool_messages"
                + " FOR EACH ROW EXECUTE FUNCTION refuse_marked()");
        Map<String, List<Integer>> attempts = new ConcurrentHashMap<>();
        CountDownLatch allRunning = new CountDownLatch(7);
        RetrySpool spool = instance("refused", Clock.systemUTC(), b -> b.concurrency(7).batchSize(7)
                .leaseTimeout(Duration.ofSeconds(2)).retryPolicy(FixedRetryPolicy.of(Duration.ofHours(1)))
                .handler((context, message, body) -> {
                    attempts.computeIfAbsent(message.id(), ignored -> new CopyOnWriteArrayList<>()).add(context.attempt());
                    allRunning.countDown();
                    allRunning.await(); // all seven fail together, so their outcomes are written as one group
                    throw new RetryableException(message.metadata().headers().containsKey("bad") ? "refuse-me"
                            : "try later");
                }));
        List<EnqueueRequest> requests = new ArrayList<>(requests(6));
        requests.add(EnqueueRequest.builder().header("bad", "yes").body(bytes("bad")).build());
        List<String> ids = spool.enqueueAll(requests);
        String bad = ids.get(6);
        spool.start();

        await("the good rows stored, the refused one settled when its lease expired").atMost(WAIT)
                .until(() -> spool.counts().get(QueueState.DEFERRED) == 7);

        for (String id : ids.subList(0, 6)) {
            MessageMetadata deferred = spool.getMessage(id).metadata();
            assertThat(deferred.lastError()).as(id).isEqualTo(RetryableException.class.getName() + ": try later");
            assertThat(deferred.attempts()).isEqualTo(1);
        }
        MessageMetadata refused = spool.getMessage(bad).metadata();
        assertThat(refused.lastError()).isEqualTo("lease expired: the worker stopped");
        assertThat(refused.attempts()).isEqualTo(1);
        assertThat(attempts).as("every message attempted once").hasSize(7)
                .allSatisfy((id, tries) -> assertThat(tries).containsExactly(1));
    }

    private static MessageHandler handlerOf(String instance, Map<String, List<String>> deliveries, CountDownLatch running,
                                            Duration duration) {
        return (context, message, body) -> {
            deliveries.computeIfAbsent(message.id(), ignored -> new CopyOnWriteArrayList<>()).add(instance);
            running.countDown();
            Thread.sleep(duration.toMillis());
        };
    }

    /** A stopped spool with a pool of its own on the schema, whose connections give up after two seconds. */
    private RetrySpool instance(String instanceId, Clock clock, Consumer<RetrySpoolBuilder> customizer) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(schema.jdbcUrl());
        config.setMaximumPoolSize(12);
        config.setConnectionTimeout(2_000);
        config.setPoolName("faults-" + instanceId);
        HikariDataSource pool = new HikariDataSource(config);
        resources.add(pool);
        RetrySpoolBuilder builder = RetrySpool.builder().jdbc(pool).migrate(false).instanceId(instanceId).clock(clock)
                .pollInterval(Duration.ofMillis(100)).shutdownGrace(Duration.ofSeconds(5));
        customizer.accept(builder);
        RetrySpool spool = builder.build();
        resources.add(spool);
        return spool;
    }

    private static List<EnqueueRequest> requests(int count) {
        List<EnqueueRequest> requests = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            requests.add(EnqueueRequest.builder().header("n", Integer.toString(i)).body(bytes("message " + i)).build());
        }
        return requests;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
