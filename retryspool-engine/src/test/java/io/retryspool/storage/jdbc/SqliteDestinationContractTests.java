package io.retryspool.storage.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.storage.AbstractDestinationContractTests;
import io.retryspool.storage.MetaStore;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The destination contract on an SQLite file; each other client has a pool of its own. */
class SqliteDestinationContractTests extends AbstractDestinationContractTests {

    @TempDir
    Path directory;
    private final List<HikariDataSource> pools = new ArrayList<>();

    @Override
    protected MetaStore createStore() {
        HikariDataSource pool = pool();
        RetrySpoolSchema.migrate(pool);
        return new JdbcMetaStore(pool);
    }

    @Override
    protected MetaStore anotherClientOf(MetaStore store) {
        return new JdbcMetaStore(pool());
    }

    @Override
    protected void destroyStore(MetaStore store) {
        pools.forEach(HikariDataSource::close);
    }

    private HikariDataSource pool() {
        HikariDataSource pool = SqliteDataSources.create(directory.resolve("destinations.db"));
        pools.add(pool);
        return pool;
    }
}
