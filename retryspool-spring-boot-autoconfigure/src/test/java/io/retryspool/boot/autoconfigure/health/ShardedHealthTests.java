package io.retryspool.boot.autoconfigure.health;

import io.retryspool.RetrySpool;
import io.retryspool.StorageException;
import io.retryspool.storage.MetaStore;
import io.retryspool.storage.SpoolStore;
import io.retryspool.storage.memory.InMemoryDataStore;
import io.retryspool.storage.memory.InMemoryMetaStore;
import io.retryspool.storage.shard.Shard;
import io.retryspool.storage.shard.ShardedStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** Health of a spool over two shards: each shard reported on its own, UP while one answers, DOWN when none does. */
class ShardedHealthTests {

    private final AtomicBoolean eastAnswers = new AtomicBoolean(true);
    private final AtomicBoolean westAnswers = new AtomicBoolean(true);
    private final ShardedStore store = ShardedStore.of(List.of(
            new Shard("east", SpoolStore.of(unreliable(eastAnswers), new InMemoryDataStore()), 1),
            new Shard("west", SpoolStore.of(unreliable(westAnswers), new InMemoryDataStore()), 0)));
    private final RetrySpool spool = RetrySpool.builder().store(store).build();

    @AfterEach
    void closeSpool() {
        spool.close();
    }

    @Test
    void eachShardIsReportedWithItsAffinityAndCountsAndTheCountsAreSummed() {
        spool.enqueue(Map.of(), new byte[0]);
        spool.enqueue(Map.of(), new byte[0]);

        Health health = new RetrySpoolHealthIndicator(spool, false).withShards(store, 1_000).health();

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails().get("counts")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("INCOMING", 2L);
        Map<?, ?> shards = (Map<?, ?>) health.getDetails().get("shards");
        Map<?, ?> east = (Map<?, ?>) shards.get("east");
        Map<?, ?> west = (Map<?, ?>) shards.get("west");
        assertThat(east.get("affinity")).isEqualTo(1);
        assertThat(((Map<?, ?>) east.get("counts")).get("INCOMING")).isEqualTo(2L);
        assertThat(west.get("affinity")).isEqualTo(0);
        assertThat(((Map<?, ?>) west.get("counts")).get("INCOMING")).isEqualTo(0L);
        assertThat(health.getDetails()).doesNotContainKey("unreachableShards");
    }

    @Test
    void aShardThatCannotBeReadIsNamedAndTheSpoolStaysUpWhileAnotherAnswers() {
        spool.enqueue(Map.of(), new byte[0]);
        westAnswers.set(false);

        Health health = new RetrySpoolHealthIndicator(spool, false).withShards(store, 1_000).health();

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("unreachableShards", List.of("west"));
        Map<?, ?> west = (Map<?, ?>) ((Map<?, ?>) health.getDetails().get("shards")).get("west");
        assertThat((String) west.get("error")).contains("connection refused");
        assertThat(health.getDetails().get("counts")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("INCOMING", 1L);
    }

    @Test
    void noShardAnsweringIsDown() {
        eastAnswers.set(false);
        westAnswers.set(false);

        Health health = new RetrySpoolHealthIndicator(spool, false).withShards(store, 1_000).health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("reason", "no shard can be reached");
    }

    /** An in-memory metadata store whose reads fail, as a database that refuses connections, while told to. */
    private static MetaStore unreliable(AtomicBoolean answers) {
        MetaStore memory = new InMemoryMetaStore();
        return (MetaStore) Proxy.newProxyInstance(MetaStore.class.getClassLoader(), new Class<?>[]{MetaStore.class},
                (proxy, method, args) -> {
                    if (!answers.get()) {
                        throw new StorageException("could not count messages (PostgreSQL): connection refused");
                    }
                    try {
                        return method.invoke(memory, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
