package io.retryspool;

import io.retryspool.storage.SpoolStore;
import io.retryspool.storage.memory.InMemoryDataStore;
import io.retryspool.storage.memory.InMemoryMetaStore;
import io.retryspool.storage.shard.Shard;
import io.retryspool.storage.shard.ShardedStore;

import java.util.List;

/**
 * How the engine schedules messages with a destination on a store over two in-memory shards of affinity 1 and 2,
 * where each destination's messages go to the one shard the destination hashes to.
 */
class TwoShardsDestinationBehaviourTests extends AbstractDestinationBehaviourTests {

    @Override
    protected SpoolStore createStore() {
        return ShardedStore.of(List.of(
                new Shard("a", SpoolStore.of(new InMemoryMetaStore(), new InMemoryDataStore()), 1),
                new Shard("b", SpoolStore.of(new InMemoryMetaStore(), new InMemoryDataStore()), 2)));
    }
}
