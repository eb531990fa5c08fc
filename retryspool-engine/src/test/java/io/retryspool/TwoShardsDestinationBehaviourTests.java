package io.retryspool;

import io.retryspool.storage.SpoolStore;
import io.retryspool.storage.memory.InMemoryDataStore;
import io.retryspool.storage.memory.InMemoryMetaStore;
import io.retryspool.storage.shard.Shard;
import io.retryspool.storage.shard.ShardedStore;

import java.util.List;

/**
 * How the engine schedules messages with a destination on a store over two in-memory shards of affinity 1 and 2.
 * Limits hold per shard; the tests enqueue the messages whose limits they check with one {@code enqueueAll}, which
 * puts them on one shard.
 */
class TwoShardsDestinationBehaviourTests extends AbstractDestinationBehaviourTests {

    @Override
    protected SpoolStore createStore() {
        return ShardedStore.of(List.of(
                new Shard("a", SpoolStore.of(new InMemoryMetaStore(), new InMemoryDataStore()), 1),
                new Shard("b", SpoolStore.of(new InMemoryMetaStore(), new InMemoryDataStore()), 2)));
    }
}
