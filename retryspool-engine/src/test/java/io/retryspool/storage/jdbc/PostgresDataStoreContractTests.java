package io.retryspool.storage.jdbc;

import io.retryspool.storage.AbstractDataStoreContractTests;
import io.retryspool.storage.DataStore;
import io.retryspool.testing.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.time.Clock;

/** The DataStore contract on PostgreSQL, with small chunks so that bodies span many of them. */
class PostgresDataStoreContractTests extends AbstractDataStoreContractTests {

    private static TestPostgres.Schema schema;

    @BeforeAll
    static void createSchema() {
        schema = TestPostgres.newSchema("data_contract", 8);
        RetrySpoolSchema.migrate(schema.dataSource());
    }

    @AfterAll
    static void dropSchema() {
        if (schema != null) {
            schema.close();
        }
    }

    @Override
    protected DataStore createStore() {
        new org.springframework.jdbc.core.JdbcTemplate(schema.dataSource()).execute("TRUNCATE retryspool_data");
        return new JdbcDataStore(schema.dataSource(), JdbcTables.defaults(), 64 * 1024, Clock.systemUTC());
    }
}
