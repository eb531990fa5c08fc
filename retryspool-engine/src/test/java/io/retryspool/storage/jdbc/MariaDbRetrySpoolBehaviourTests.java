package io.retryspool.storage.jdbc;

import io.retryspool.builder.RetrySpoolBuilder;
import io.retryspool.AbstractRetrySpoolBehaviourTests;
import io.retryspool.RetrySpool;
import io.retryspool.storage.DataStore;
import io.retryspool.storage.MetaStore;
import io.retryspool.testing.MigratedMariaDbDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The engine's behaviour on MariaDB, meta and bodies in one database with shared transactions. */
class MariaDbRetrySpoolBehaviourTests extends AbstractRetrySpoolBehaviourTests {

    @RegisterExtension
    static final MigratedMariaDbDatabase database = new MigratedMariaDbDatabase("behaviour", 24);

    @Override
    protected MetaStore createMetaStore() {
        return new JdbcMetaStore(database.emptied());
    }

    @Override
    protected DataStore createDataStore() {
        return new JdbcDataStore(database.dataSource(), JdbcTables.defaults(), JdbcDataStore.DEFAULT_CHUNK_SIZE, clock);
    }

    @Override
    protected void customize(RetrySpoolBuilder builder) {
        builder.transactions(new JdbcStoreTransactions(database.dataSource()));
    }
}
