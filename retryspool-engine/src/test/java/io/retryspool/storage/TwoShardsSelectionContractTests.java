package io.retryspool.storage;

import io.retryspool.storage.memory.InMemoryDataStore;
import io.retryspool.storage.memory.InMemoryMetaStore;
import io.retryspool.storage.shard.Shard;
import io.retryspool.storage.shard.ShardedStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.util.List;

/**
 * The selection contract (bulk moves and deletes, filtered listings) on a store over two shards, with every test
 * message in the second: the walks pass the empty first shard and keep the contract's windows exactly. Windows over
 * messages of both shards follow each shard's rows (a walk takes the shards one after the other, a listing merges
 * them), so the contract's exact windows hold per shard; {@code TwoPostgresClustersShardTests} walks and lists
 * messages of both shards.
 */
class TwoShardsSelectionContractTests extends AbstractMetaStoreSelectionContractTests {

    @BeforeEach
    void secondShard() {
        TestMessages.useIds(n -> String.format("msg-%05d", n) + ".b");
    }

    @AfterEach
    void plainIds() {
        TestMessages.usePlainIds();
    }

    @Override
    protected MetaStore createStore() {
        return ShardedStore.of(List.of(
                new Shard("a", SpoolStore.of(new InMemoryMetaStore(), new InMemoryDataStore()), 1),
                new Shard("b", SpoolStore.of(new InMemoryMetaStore(), new InMemoryDataStore()), 1))).meta();
    }
}
