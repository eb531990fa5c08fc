package io.retryspool.boot.autoconfigure;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.retryspool.RetrySpool;
import io.retryspool.boot.autoconfigure.metrics.RetrySpoolShardMetrics;
import io.retryspool.handler.MessageHandler;
import io.retryspool.storage.SpoolStore;
import io.retryspool.storage.shard.Shard;
import io.retryspool.storage.shard.ShardedStore;
import io.retryspool.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code retryspool.shards.<name>.*}: a spool over several databases from properties. */
class ShardsAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RetrySpoolAutoConfiguration.class))
            .withUserConfiguration(Deliveries.class);

    @Test
    void twoShardsFromPropertiesTakeNewMessagesByAffinityAndDeliverThem() {
        try (TestPostgres.Schema east = TestPostgres.newSchema("boot_shard_east", 2);
             TestPostgres.Schema west = TestPostgres.newSchema("boot_shard_west", 2)) {
            runner.withPropertyValues("retryspool.shards.east.url=" + east.jdbcUrl(),
                            "retryspool.shards.west.url=" + west.jdbcUrl(),
                            "retryspool.shards.west.affinity=3",
                            "retryspool.shards.west.maximum-pool-size=3",
                            "retryspool.worker.poll-interval=100ms")
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        assertThat(context).doesNotHaveBean(RetrySpoolJdbcConnection.class);
                        ShardedStore store = (ShardedStore) context.getBean(SpoolStore.class);
                        assertThat(store.shards()).extracting(Shard::name, Shard::affinity)
                                .containsExactly(org.assertj.core.groups.Tuple.tuple("east", 1),
                                        org.assertj.core.groups.Tuple.tuple("west", 3));
                        RetrySpool spool = context.getBean(RetrySpool.class);
                        List<String> ids = new ArrayList<>();
                        for (int i = 0; i < 40; i++) {
                            ids.add(spool.enqueue(Map.of("n", String.valueOf(i)), new byte[]{1}));
                        }
                        assertThat(ids).allMatch(id -> id.endsWith(".east") || id.endsWith(".west"));
                        assertThat(ids.stream().filter(id -> id.endsWith(".west")).count()).isEqualTo(30);
                        Set<String> delivered = context.getBean(Deliveries.class).ids;
                        await().until(() -> delivered.containsAll(ids));

                        SimpleMeterRegistry registry = new SimpleMeterRegistry();
                        new RetrySpoolShardMetrics(Set.of("east", "west"), () -> store).bindTo(registry);
                        assertThat(registry.get(RetrySpoolShardMetrics.REACHABLE).tag("shard", "west").gauge().value())
                                .isEqualTo(1.0);
                        assertThat(registry.get(RetrySpoolShardMetrics.AFFINITY).tag("shard", "west").gauge().value())
                                .isEqualTo(3.0);
                        assertThat(new JdbcTemplate(west.dataSource()).queryForObject(
                                "SELECT COUNT(*) FROM retryspool_schema_history", Long.class))
                                .as("the shard's own migrations").isPositive();
                    });
        }
    }

    @Test
    void shardSettingsThatCannotWorkStopStartUpNamingTheProperty() {
        assertFails("retryspool.shards.East.url=jdbc:postgresql://127.0.0.1/x", "retryspool.shards.East");
        assertFails("retryspool.shards.east.url=jdbc:sqlite:/tmp/x.db", "retryspool.shards.east.url is a SQLite file");
        assertFails("retryspool.shards.east.affinity=0", "at least one shard needs an affinity above 0");
        assertFails("retryspool.shards.east.affinity=1001", "affinity: must be between 0 and 1000");
        assertFails("retryspool.shards.east.maximum-pool-size=0", "retryspool.shards.east.maximum-pool-size");
        runner.withPropertyValues("retryspool.shards.east.url=jdbc:postgresql://127.0.0.1/x",
                "retryspool.datasource.url=jdbc:postgresql://127.0.0.1/y").run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(messages(context.getStartupFailure()))
                            .contains("retryspool.shards and retryspool.datasource.url cannot both be set");
                });
    }

    private void assertFails(String property, String message) {
        String url = property.contains(".url=") ? "" : "retryspool.shards.east.url=jdbc:postgresql://127.0.0.1/x";
        runner.withPropertyValues(property, url.isEmpty() ? property : url).run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).contains(message);
        });
    }

    private static String messages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }

    @Configuration(proxyBeanMethods = false)
    static class Deliveries {
        final Set<String> ids = ConcurrentHashMap.newKeySet();

        @Bean
        MessageHandler recordingHandler() {
            return (context, message, body) -> ids.add(message.id());
        }
    }
}
