package io.retryspool.storage.jdbc;

import io.retryspool.builder.RetrySpoolBuilder;
import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.AbstractBulkActionBehaviourTests;
import io.retryspool.RetrySpool;
import io.retryspool.storage.DataStore;
import io.retryspool.storage.MetaStore;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The bulk verbs on an SQLite file, meta and bodies in one database with shared transactions. */
class SqliteBulkActionBehaviourTests extends AbstractBulkActionBehaviourTests {

    @TempDir
    Path directory;
    private HikariDataSource pool;

    @Override
    protected MetaStore createMetaStore() {
        pool = SqliteDataSources.create(directory.resolve("spool.db"));
        RetrySpoolSchema.migrate(pool);
        return new JdbcMetaStore(pool);
    }

    @Override
    protected DataStore createDataStore() {
        return new JdbcDataStore(pool, JdbcTables.defaults(), JdbcDataStore.DEFAULT_CHUNK_SIZE, clock);
    }

    @Override
    protected void customize(RetrySpoolBuilder builder) {
        builder.transactions(new JdbcStoreTransactions(pool));
    }

    @Override
    protected void closeStores() {
        pool.close();
    }
}
