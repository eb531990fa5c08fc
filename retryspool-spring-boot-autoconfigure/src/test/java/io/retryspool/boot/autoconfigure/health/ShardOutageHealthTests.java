package io.retryspool.boot.autoconfigure.health;

import io.retryspool.RetrySpool;
import io.retryspool.boot.autoconfigure.RetrySpoolAutoConfiguration;
import io.retryspool.testing.LocalPostgresCluster;
import io.retryspool.testing.TestPostgres;
import io.retryspool.testing.TestServices;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The health of a spool over two shards on two real PostgreSQL clusters while the second cluster is stopped: UP, the
 * stopped shard named with its error, the other shard's counts reported.
 */
class ShardOutageHealthTests {

    @Test
    void aStoppedClusterIsReportedAsAnUnreachableShardWhileTheSpoolStaysUp() {
        LocalPostgresCluster second = LocalPostgresCluster.requireSecond();
        String schema = "boot_shard_outage_" + Long.toHexString(System.nanoTime());
        String secondServer = second.url("postgres") + "?user=postgres";
        TestServices.execute(secondServer, "CREATE SCHEMA " + schema, "second PostgreSQL");
        try (TestPostgres.Schema east = TestPostgres.newSchema("boot_shard_outage", 2)) {
            new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(RetrySpoolAutoConfiguration.class,
                            RetrySpoolHealthAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class))
                    .withPropertyValues("retryspool.auto-start=false",
                            "retryspool.shards.east.url=" + east.jdbcUrl(),
                            "retryspool.shards.west.url=" + secondServer + "&currentSchema=" + schema,
                            "retryspool.shards.west.connection-timeout=1s")
                    .run(context -> {
                        RetrySpool spool = context.getBean(RetrySpool.class);
                        spool.enqueue(Map.of(), new byte[]{1});
                        try {
                            second.stop();
                            Health health = context.getBean(RetrySpoolHealthIndicator.class).health();

                            assertThat(health.getStatus()).isEqualTo(Status.UP);
                            assertThat(health.getDetails()).containsEntry("unreachableShards", List.of("west"));
                            Map<?, ?> shards = (Map<?, ?>) health.getDetails().get("shards");
                            assertThat(((Map<?, ?>) shards.get("west")).get("error")).isNotNull();
                            assertThat(((Map<?, ?>) shards.get("east")).get("counts")).isNotNull();
                        } finally {
                            second.start();
                        }
                        assertThat(context.getBean(RetrySpoolHealthIndicator.class).health().getDetails())
                                .doesNotContainKey("unreachableShards");
                    });
        } finally {
            TestServices.execute(secondServer, "DROP SCHEMA IF EXISTS " + schema + " CASCADE", "second PostgreSQL");
        }
    }
}
