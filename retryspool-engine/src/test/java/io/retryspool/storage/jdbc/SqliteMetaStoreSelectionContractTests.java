package io.retryspool.storage.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.storage.AbstractMetaStoreSelectionContractTests;
import io.retryspool.storage.MetaStore;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The bulk operations' contract on an SQLite file. */
class SqliteMetaStoreSelectionContractTests extends AbstractMetaStoreSelectionContractTests {

    @TempDir
    Path directory;
    private HikariDataSource pool;

    @Override
    protected MetaStore createStore() {
        pool = SqliteDataSources.create(directory.resolve("meta.db"));
        RetrySpoolSchema.migrate(pool);
        return new JdbcMetaStore(pool);
    }

    @Override
    protected void destroyStore(MetaStore store) {
        pool.close();
    }
}
