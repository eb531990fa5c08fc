package io.retryspool.storage.jdbc;

import io.retryspool.storage.AbstractDataStoreContractTests;
import io.retryspool.storage.DataStore;
import io.retryspool.testing.MigratedMariaDbDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;

/** The DataStore contract on MariaDB, with small chunks so that bodies span many of them. */
class MariaDbDataStoreContractTests extends AbstractDataStoreContractTests {

    @RegisterExtension
    static final MigratedMariaDbDatabase database = new MigratedMariaDbDatabase("data_contract", 8);

    @Override
    protected DataStore createStore() {
        return new JdbcDataStore(database.emptied(), JdbcTables.defaults(), 64 * 1024, Clock.systemUTC());
    }
}
