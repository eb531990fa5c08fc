package io.retryspool;

import io.retryspool.storage.SpoolStore;
import io.retryspool.storage.memory.InMemoryDataStore;
import io.retryspool.storage.memory.InMemoryMetaStore;
import io.retryspool.storage.shard.Shard;
import io.retryspool.storage.shard.ShardedStore;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The engine's behaviour on a store over two in-memory shards of affinity 1 and 2. Priority holds within a shard, not
 * across shards (claims take the shards in turn), so the priority test puts its messages on one shard with one
 * {@code enqueueAll}.
 */
class TwoShardsRetrySpoolBehaviourTests extends AbstractRetrySpoolBehaviourTests {

    @Override
    @Test
    void higherPriorityMessagesAreDeliveredFirst() {
        List<String> order = new CopyOnWriteArrayList<>();
        RetrySpool spool = spool(b -> b.concurrency(1).batchSize(1)
                .handler((context, message, body) -> order.add(new String(body.readAllBytes(), StandardCharsets.UTF_8))));
        List<String> ids = spool.enqueueAll(List.of(
                EnqueueRequest.builder().body("low".getBytes(StandardCharsets.UTF_8)).priority(1).build(),
                EnqueueRequest.builder().body("default".getBytes(StandardCharsets.UTF_8)).build(),
                EnqueueRequest.builder().body("urgent".getBytes(StandardCharsets.UTF_8)).priority(100).build(),
                EnqueueRequest.builder().body("default-later".getBytes(StandardCharsets.UTF_8)).build()));
        assertThat(ids).extracting(Shard::nameIn).as("one enqueue, one shard").containsOnly(Shard.nameIn(ids.get(0)));

        spool.start();

        await().atMost(Duration.ofSeconds(20)).until(() -> order.size() == 4);
        assertThat(order.get(0)).isEqualTo("urgent");
        assertThat(order.subList(1, 3)).containsExactlyInAnyOrder("default", "default-later");
        assertThat(order.get(3)).isEqualTo("low");
    }

    @Override
    protected SpoolStore createStore() {
        return ShardedStore.of(List.of(
                new Shard("a", SpoolStore.of(new InMemoryMetaStore(), new InMemoryDataStore()), 1),
                new Shard("b", SpoolStore.of(new InMemoryMetaStore(), new InMemoryDataStore()), 2)));
    }
}
