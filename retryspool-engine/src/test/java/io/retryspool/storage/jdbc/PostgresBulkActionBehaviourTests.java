package io.retryspool.storage.jdbc;

import io.retryspool.AbstractBulkActionBehaviourTests;
import io.retryspool.RetrySpool;
import io.retryspool.storage.DataStore;
import io.retryspool.storage.MetaStore;
import io.retryspool.testing.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.jdbc.core.JdbcTemplate;

/** The bulk verbs on PostgreSQL, meta and bodies in one database with shared transactions. */
class PostgresBulkActionBehaviourTests extends AbstractBulkActionBehaviourTests {

    private static TestPostgres.Schema schema;

    @BeforeAll
    static void createSchema() {
        schema = TestPostgres.newSchema("bulk_behaviour", 12);
        RetrySpoolSchema.migrate(schema.dataSource());
    }

    @AfterAll
    static void dropSchema() {
        if (schema != null) {
            schema.close();
        }
    }

    @Override
    protected MetaStore createMetaStore() {
        new JdbcTemplate(schema.dataSource()).execute("TRUNCATE retryspool_messages, retryspool_data");
        return new JdbcMetaStore(schema.dataSource());
    }

    @Override
    protected DataStore createDataStore() {
        return new JdbcDataStore(schema.dataSource(), JdbcTables.defaults(), JdbcDataStore.DEFAULT_CHUNK_SIZE, clock);
    }

    @Override
    protected void customize(RetrySpool.Builder builder) {
        builder.transactions(new JdbcStoreTransactions(schema.dataSource()));
    }
}
