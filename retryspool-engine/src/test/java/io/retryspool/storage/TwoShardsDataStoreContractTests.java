package io.retryspool.storage;

import io.retryspool.storage.memory.InMemoryDataStore;
import io.retryspool.storage.memory.InMemoryMetaStore;
import io.retryspool.storage.shard.Shard;
import io.retryspool.storage.shard.ShardedStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.util.List;

/** The DataStore contract on the bodies of a store over two shards, the test bodies alternating between them. */
class TwoShardsDataStoreContractTests extends AbstractDataStoreContractTests {

    @BeforeEach
    void alternateShards() {
        TestMessages.useIds(n -> String.format("msg-%05d", n) + (n % 2 == 0 ? ".a" : ".b"));
    }

    @AfterEach
    void plainIds() {
        TestMessages.usePlainIds();
    }

    @Override
    protected DataStore createStore() {
        return ShardedStore.of(List.of(
                new Shard("a", SpoolStore.of(new InMemoryMetaStore(), new InMemoryDataStore()), 1),
                new Shard("b", SpoolStore.of(new InMemoryMetaStore(), new InMemoryDataStore()), 1))).bodies();
    }
}
