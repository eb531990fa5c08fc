package io.retryspool;

import io.retryspool.storage.SpoolStore;
import io.retryspool.storage.memory.InMemoryDataStore;
import io.retryspool.storage.memory.InMemoryMetaStore;
import io.retryspool.storage.shard.Shard;
import io.retryspool.storage.shard.ShardedStore;

import java.util.List;

/** The bulk verbs on a store over two in-memory shards of affinity 1 and 2. */
class TwoShardsBulkActionBehaviourTests extends AbstractBulkActionBehaviourTests {

    @Override
    protected SpoolStore createStore() {
        return ShardedStore.of(List.of(
                new Shard("a", SpoolStore.of(new InMemoryMetaStore(), new InMemoryDataStore(clock)), 1),
                new Shard("b", SpoolStore.of(new InMemoryMetaStore(), new InMemoryDataStore(clock)), 2)));
    }
}
