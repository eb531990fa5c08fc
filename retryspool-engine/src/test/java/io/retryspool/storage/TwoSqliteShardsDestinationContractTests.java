package io.retryspool.storage;

import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.storage.jdbc.JdbcStore;
import io.retryspool.storage.jdbc.SqliteDataSources;
import io.retryspool.storage.shard.Shard;
import io.retryspool.storage.shard.ShardedStore;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The destination contract on a store over two shards that are SQLite files: the sharded store's part (the policy
 * passed to each shard's claim, results and resumptions sent to every shard, suspensions merged) over a store that
 * schedules destinations itself.
 */
class TwoSqliteShardsDestinationContractTests extends TwoShardsDestinationContractTests {

    @TempDir
    Path directory;
    private final List<HikariDataSource> pools = new ArrayList<>();

    @Override
    protected MetaStore createStore() {
        return ShardedStore.of(List.of(shard("a"), shard("b"))).meta();
    }

    private Shard shard(String name) {
        HikariDataSource pool = SqliteDataSources.create(directory.resolve(name + ".db"));
        pools.add(pool);
        return new Shard(name, JdbcStore.builder(pool).build(), 1);
    }

    @Override
    protected void destroyStore(MetaStore store) {
        pools.forEach(HikariDataSource::close);
        pools.clear();
    }
}
