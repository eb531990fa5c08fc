package io.retryspool.storage.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.retryspool.storage.AbstractDestinationContractTests;
import io.retryspool.storage.MetaStore;
import io.retryspool.testing.MigratedMariaDbDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

/** The destination contract on MariaDB, in a database of this class's own; each other client has its own pool. */
class MariaDbDestinationContractTests extends AbstractDestinationContractTests {

    @RegisterExtension
    static final MigratedMariaDbDatabase database = new MigratedMariaDbDatabase("destination_contract", 8);

    private final List<HikariDataSource> extraPools = new ArrayList<>();

    @Override
    protected MetaStore createStore() {
        return new JdbcMetaStore(database.emptied());
    }

    @Override
    protected MetaStore anotherClientOf(MetaStore store) {
        HikariDataSource pool = database.pool(4);
        extraPools.add(pool);
        return new JdbcMetaStore(pool);
    }

    @Override
    protected void destroyStore(MetaStore store) {
        extraPools.forEach(HikariDataSource::close);
        extraPools.clear();
    }
}
