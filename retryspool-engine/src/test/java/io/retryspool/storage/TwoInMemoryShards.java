package io.retryspool.storage;

import io.retryspool.storage.memory.InMemoryDataStore;
import io.retryspool.storage.memory.InMemoryMetaStore;
import io.retryspool.storage.shard.Shard;
import io.retryspool.storage.shard.ShardedStore;

import java.util.List;

/** The shard layout of the contract suites on shards: shards {@code a} and {@code b} of affinity 1, in memory. */
final class TwoInMemoryShards {

    private TwoInMemoryShards() {
    }

    /** A new store over two empty in-memory shards. */
    static ShardedStore create() {
        return ShardedStore.of(List.of(
                new Shard("a", SpoolStore.of(new InMemoryMetaStore(), new InMemoryDataStore()), 1),
                new Shard("b", SpoolStore.of(new InMemoryMetaStore(), new InMemoryDataStore()), 1)));
    }

    /** Makes the test messages alternate between the shards: even ones on {@code a}, odd ones on {@code b}. */
    static void alternateIds() {
        TestMessages.useIds(n -> String.format("msg-%05d", n) + (n % 2 == 0 ? ".a" : ".b"));
    }

    /** Puts every test message on one shard. */
    static void idsOn(String shard) {
        TestMessages.useIds(n -> String.format("msg-%05d", n) + "." + shard);
    }
}
