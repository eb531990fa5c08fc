package io.retryspool.storage.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.RetrySpool;
import io.retryspool.testing.LocalPostgresCluster;
import io.retryspool.testing.SharedSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The primary restarted under load, reached through a multi-host URL with {@code targetServerType=primary} (the URL
 * an HA deployment uses; here its first host answers nothing, so every connection is made by skipping it): producers
 * enqueue and workers deliver while the local cluster is stopped and started again. Every enqueue that returned an id
 * is delivered, exactly once; enqueues refused during the outage threw to their caller.
 */
class PrimaryRestartUnderLoadTests {

    private static final Duration LOAD_AFTER_RESTART = Duration.ofSeconds(2);
    private static final Duration WAIT = Duration.ofSeconds(60);

    private SharedSchema shared;

    @BeforeEach
    void createSchema() {
        shared = SharedSchema.create("ha_restart");
    }

    @AfterEach
    void dropSchema() throws Exception {
        if (shared != null) {
            shared.close();
        }
    }

    @Test
    void everyAcknowledgedEnqueueIsDeliveredOnceAcrossARestartOfThePrimary() throws Exception {
        LocalPostgresCluster cluster = LocalPostgresCluster.require();
        Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger refused = new AtomicInteger();
        RetrySpool spool = shared.track(RetrySpool.builder().jdbc(multiHostPool()).migrate(false)
                .instanceId("ha").concurrency(4).pollInterval(Duration.ofMillis(100))
                .leaseTimeout(Duration.ofSeconds(60)).shutdownGrace(Duration.ofSeconds(5))
                .handler((context, message, body) -> deliveries.computeIfAbsent(message.id(),
                        id -> new AtomicInteger()).incrementAndGet())
                .build());
        spool.start();
        AtomicBoolean producing = new AtomicBoolean(true);
        ExecutorService producers = Executors.newFixedThreadPool(2);
        for (int thread = 0; thread < 2; thread++) {
            producers.submit(() -> {
                while (producing.get()) {
                    try {
                        acknowledged.add(spool.enqueue(Map.of("load", "ha"), "order".getBytes(StandardCharsets.UTF_8)));
                    } catch (RuntimeException refusedDuringOutage) {
                        refused.incrementAndGet();
                    }
                }
            });
        }
        await("load under way").atMost(WAIT).until(() -> deliveries.size() > 100);

        try {
            cluster.stop();
            Thread.sleep(2_000);
        } finally {
            cluster.start();
        }
        int acknowledgedAtRestart = acknowledged.size();
        await("enqueues acknowledged again after the restart").atMost(WAIT)
                .until(() -> acknowledged.size() > acknowledgedAtRestart + 100);
        Thread.sleep(LOAD_AFTER_RESTART.toMillis());
        producing.set(false);
        producers.shutdown();
        assertThat(producers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        await("every acknowledged enqueue delivered").atMost(WAIT).ignoreExceptions()
                .until(() -> deliveries.keySet().containsAll(acknowledged));
        System.out.printf("Primary restart under load: %,d enqueues acknowledged, %,d refused during the outage, "
                + "%,d messages delivered%n", acknowledged.size(), refused.get(), deliveries.size());
        assertThat(deliveries).as("each message delivered once").allSatisfy((id, times) -> assertThat(times).hasValue(1));
        assertThat(deliveries.size() - acknowledged.size()).as("delivered without an acknowledgement: only enqueues "
                + "whose commit succeeded while their connection broke, each of which threw").isBetween(0, refused.get());
        assertThat(spool.isRunning()).isTrue();
    }

    /**
     * A pool whose URL lists a host that answers nothing before the real one, with {@code targetServerType=primary}:
     * the driver skips to the host that is a primary, as it does when a failed primary's address comes first.
     */
    private HikariDataSource multiHostPool() throws Exception {
        String url = shared.schema().jdbcUrl();
        String hosts = url.substring("jdbc:postgresql://".length(), url.indexOf('/', "jdbc:postgresql://".length()));
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url.replace(hosts, "127.0.0.1:" + deadPort + "," + hosts) + "&targetServerType=primary");
        config.setMaximumPoolSize(8);
        config.setConnectionTimeout(2_000);
        config.setPoolName("ha-restart");
        return shared.track(new HikariDataSource(config));
    }
}
