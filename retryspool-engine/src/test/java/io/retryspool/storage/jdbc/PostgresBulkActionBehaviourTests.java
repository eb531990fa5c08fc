package io.retryspool.storage.jdbc;

import io.retryspool.builder.RetrySpoolBuilder;
import io.retryspool.AbstractBulkActionBehaviourTests;
import io.retryspool.RetrySpool;
import io.retryspool.storage.DataStore;
import io.retryspool.storage.MetaStore;
import io.retryspool.testing.MigratedPostgresSchema;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The bulk verbs on PostgreSQL, meta and bodies in one database with shared transactions. */
class PostgresBulkActionBehaviourTests extends AbstractBulkActionBehaviourTests {

    @RegisterExtension
    static final MigratedPostgresSchema schema = new MigratedPostgresSchema("bulk_behaviour", 12);

    @Override
    protected MetaStore createMetaStore() {
        return new JdbcMetaStore(schema.emptied());
    }

    @Override
    protected DataStore createDataStore() {
        return new JdbcDataStore(schema.dataSource(), JdbcTables.defaults(), JdbcDataStore.DEFAULT_CHUNK_SIZE, clock);
    }

    @Override
    protected void customize(RetrySpoolBuilder builder) {
        builder.transactions(new JdbcStoreTransactions(schema.dataSource()));
    }
}
