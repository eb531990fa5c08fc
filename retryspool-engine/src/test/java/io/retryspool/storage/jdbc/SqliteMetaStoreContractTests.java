package io.retryspool.storage.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.storage.AbstractMetaStoreContractTests;
import io.retryspool.storage.MetaStore;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The MetaStore contract on an SQLite file. */
class SqliteMetaStoreContractTests extends AbstractMetaStoreContractTests {

    @TempDir
    Path directory;
    private final List<HikariDataSource> pools = new ArrayList<>();
    private Path file;

    @Override
    protected MetaStore createStore() {
        file = directory.resolve("meta.db");
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
        HikariDataSource pool = SqliteDataSources.create(file);
        pools.add(pool);
        return pool;
    }
}
