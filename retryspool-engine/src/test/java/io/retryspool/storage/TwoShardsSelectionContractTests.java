package io.retryspool.storage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

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
        TwoInMemoryShards.idsOn("b");
    }

    @AfterEach
    void plainIds() {
        TestMessages.usePlainIds();
    }

    @Override
    protected MetaStore createStore() {
        return TwoInMemoryShards.create().meta();
    }
}
