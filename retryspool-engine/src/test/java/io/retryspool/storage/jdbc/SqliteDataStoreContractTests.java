package io.retryspool.storage.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.storage.AbstractDataStoreContractTests;
import io.retryspool.storage.DataStore;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;

/** The DataStore contract on an SQLite file, with small chunks so that bodies span many of them. */
class SqliteDataStoreContractTests extends AbstractDataStoreContractTests {

    @TempDir
    Path directory;
    private HikariDataSource pool;

    @Override
    protected DataStore createStore() {
        pool = SqliteDataSources.create(directory.resolve("data.db"));
        RetrySpoolSchema.migrate(pool);
        return new JdbcDataStore(pool, JdbcTables.defaults(), 64 * 1024, Clock.systemUTC());
    }

    @Override
    protected void destroyStore(DataStore store) {
        pool.close();
    }
}
