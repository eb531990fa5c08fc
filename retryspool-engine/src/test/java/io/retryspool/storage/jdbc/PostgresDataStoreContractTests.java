package io.retryspool.storage.jdbc;

import io.retryspool.storage.AbstractDataStoreContractTests;
import io.retryspool.storage.DataStore;
import io.retryspool.testing.MigratedPostgresSchema;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;

/** The DataStore contract on PostgreSQL, with small chunks so that bodies span many of them. */
class PostgresDataStoreContractTests extends AbstractDataStoreContractTests {

    @RegisterExtension
    static final MigratedPostgresSchema schema = new MigratedPostgresSchema("data_contract", 8);

    @Override
    protected DataStore createStore() {
        return new JdbcDataStore(schema.emptied(), JdbcTables.defaults(), 64 * 1024, Clock.systemUTC());
    }
}
