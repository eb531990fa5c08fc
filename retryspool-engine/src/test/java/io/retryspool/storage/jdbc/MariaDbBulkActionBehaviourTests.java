package io.retryspool.storage.jdbc;

import io.retryspool.builder.RetrySpoolBuilder;
import io.retryspool.AbstractBulkActionBehaviourTests;
import io.retryspool.RetrySpool;
import io.retryspool.storage.DataStore;
import io.retryspool.storage.MetaStore;
import io.retryspool.testing.MigratedMariaDbDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The bulk verbs on MariaDB, meta and bodies in one database with shared transactions. */
class MariaDbBulkActionBehaviourTests extends AbstractBulkActionBehaviourTests {

    @RegisterExtension
    static final MigratedMariaDbDatabase database = new MigratedMariaDbDatabase("bulk_behaviour", 12);

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
