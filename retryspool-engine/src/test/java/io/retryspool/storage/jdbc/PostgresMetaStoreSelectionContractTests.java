package io.retryspool.storage.jdbc;

import io.retryspool.storage.AbstractMetaStoreSelectionContractTests;
import io.retryspool.storage.MetaStore;
import io.retryspool.testing.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.jdbc.core.JdbcTemplate;

/** The bulk operations' contract on PostgreSQL, in a schema of this class's own. */
class PostgresMetaStoreSelectionContractTests extends AbstractMetaStoreSelectionContractTests {

    private static TestPostgres.Schema schema;

    @BeforeAll
    static void createSchema() {
        schema = TestPostgres.newSchema("selection_contract", 4);
        RetrySpoolSchema.migrate(schema.dataSource());
    }

    @AfterAll
    static void dropSchema() {
        if (schema != null) {
            schema.close();
        }
    }

    @Override
    protected MetaStore createStore() {
        new JdbcTemplate(schema.dataSource()).execute("TRUNCATE retryspool_messages");
        return new JdbcMetaStore(schema.dataSource());
    }
}
